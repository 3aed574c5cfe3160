// The heavy libraries (ssh2, pg, mysql2, markdown-it), loaded on first use so that activating the extension
// or starting the CLI does not evaluate them. In the bundles each one is a separate file (dist/vendor/*.js, see
// scripts/build.mjs) that is not even parsed until a cell needs it. Only types are imported statically.
/* eslint-disable @typescript-eslint/no-require-imports -- a call-time require is the point of this file */
import type * as Ssh2 from 'ssh2';
import type * as Pg from 'pg';
import type * as Mysql2 from 'mysql2';
import type MarkdownIt = require('markdown-it');

let ssh2Module: typeof Ssh2 | undefined;
let pgModule: typeof Pg | undefined;
let mysql2Module: typeof Mysql2 | undefined;
export type MarkdownItInstance = InstanceType<typeof MarkdownIt>;

let markdownItModule: typeof MarkdownIt | undefined;

export function ssh2(): typeof Ssh2 {
  return (ssh2Module ??= require('ssh2') as typeof Ssh2);
}

export function pg(): typeof Pg {
  return (pgModule ??= require('pg') as typeof Pg);
}

export function mysql2(): typeof Mysql2 {
  return (mysql2Module ??= require('mysql2') as typeof Mysql2);
}

export function markdownIt(): typeof MarkdownIt {
  return (markdownItModule ??= require('markdown-it') as typeof MarkdownIt);
}
