// The YAML library, loaded on first use: front matter, inventories and record edits need it, loading the
// extension bundle or `runbook roundtrip` does not. In the bundles it is dist/vendor/yaml.js (scripts/build.mjs).
// Its own file, not util/lazy.ts: the format layer must not reach the drivers' requires.
/* eslint-disable @typescript-eslint/no-require-imports -- a call-time require is the point of this file */
import type * as Yaml from 'yaml';

let yamlModule: typeof Yaml | undefined;

export function yaml(): typeof Yaml {
  return (yamlModule ??= require('yaml') as typeof Yaml);
}
