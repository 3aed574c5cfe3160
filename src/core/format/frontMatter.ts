// Front matter: optional YAML validated with zod (its mini build, see util/zod.ts). A problem never blocks
// opening: the text is kept verbatim by the serializer and the problems are reported with their line. The YAML
// is parsed and validated on first read of `data` or `errors`: a byte round trip (`runbook roundtrip`, saving)
// never needs it, and the YAML library loads only then (util/yaml.ts).
import type { Document, LineCounter } from 'yaml';
import { yaml as yamlLib } from '../util/yaml.js';
import * as z from '../util/zod.js';
import type { FrontMatterBlock, FrontMatterProblem } from './model.js';

const duration = z.string().check(z.regex(/^\d+(\.\d+)?\s*(ms|s|m|h|d)$/, 'expected a duration such as 15m, 1h or 30s'));

const opt = z.optional;
const nonEmpty = () => z.string().check(z.minLength(1));

export const hostSchema = z.looseObject({
  /** `user@host` or a Host alias of ~/.ssh/config. */
  ssh: nonEmpty(),
  port: opt(z.int().check(z.minimum(1), z.maximum(65535))),
  /** Name of another host (or ssh alias) to jump through; a list for several hops. */
  jump: opt(z.union([z.string(), z.array(z.string())])),
  identityFile: opt(z.string()),
  description: opt(z.string()),
  /** A production host: running a step that asks for confirmation there means typing the host's name. */
  production: opt(z.boolean()),
});

export const connectionSchema = z.looseObject({
  driver: z.enum(['sqlite', 'postgres', 'mysql', 'prometheus']),
  /** sqlite: path of the database file on the target host. */
  path: opt(z.string()),
  /** postgres/mysql: connection URL without password; prometheus: its base URL. */
  url: opt(z.string()),
  /** Host to run on (sqlite) or to tunnel through (postgres/mysql). */
  host: opt(z.string()),
  /** Variable holding the password. */
  passwordVariable: opt(z.string()),
  /** prometheus: variable holding a bearer token. */
  tokenVariable: opt(z.string()),
  description: opt(z.string()),
});

export const variableSchema = z.looseObject({
  default: opt(z.union([z.string(), z.number(), z.boolean()])),
  prompt: opt(z.string()),
  secret: opt(z.boolean()),
  description: opt(z.string()),
});

export const incidentSchema = z.looseObject({
  id: z.string(),
  severity: opt(z.string()),
  status: opt(z.string()),
  started: opt(z.union([z.string(), z.date()])),
  ended: opt(z.union([z.string(), z.date()])),
  commander: opt(z.string()),
  drill: opt(z.boolean()),
});

export const frontMatterSchema = z.looseObject({
  title: opt(z.string()),
  description: opt(z.string()),
  hosts: opt(z.record(z.string(), hostSchema)),
  connections: opt(z.record(z.string(), connectionSchema)),
  variables: opt(z.record(z.string(), variableSchema)),
  severity: opt(z.record(z.string(), duration)),
  incident: opt(incidentSchema),
  /** Host groups for fan-out: name → hosts, ssh-config patterns (`web-1*`), ranges (`web[01:12]`) or groups. */
  groups: opt(z.record(z.string(), z.array(nonEmpty()))),
  /** An Ansible inventory (INI or YAML), relative to the runbook: its groups and hosts can be targets. */
  inventory: opt(nonEmpty()),
  /** Drill scenarios of this runbook: folders relative to it (a scenario, or a folder of scenarios). */
  drills: opt(z.array(nonEmpty())),
});

export type FrontMatter = z.infer<typeof frontMatterSchema>;

const OPEN = /^---[ \t]*\r?\n/;
const CLOSE = /^(---|\.\.\.)[ \t]*$/;

/** Finds a front matter block at the very start of `text`; returns its length in characters or 0. */
export function frontMatterLength(text: string): number {
  const open = OPEN.exec(text);
  if (!open) return 0;
  let pos = open[0].length;
  while (pos < text.length) {
    const nl = text.indexOf('\n', pos);
    const end = nl === -1 ? text.length : nl + 1;
    const line = text.slice(pos, nl === -1 ? text.length : nl).replace(/\r$/, '');
    if (CLOSE.test(line)) return end;
    pos = end;
  }
  return 0; // never closed: not front matter, the text stays prose
}

/**
 * A front matter block (`raw` includes both delimiter lines). `data` and `errors` are computed on first
 * read, once; the block is otherwise a plain object (its getters are enumerable, so copies and JSON see them).
 */
export function readFrontMatter(raw: string): FrontMatterBlock {
  const firstNl = raw.indexOf('\n') + 1;
  const lastLineStart = raw.lastIndexOf('\n', raw.length - 2) + 1;
  const yaml = raw.slice(firstNl, lastLineStart);
  let checked: { data?: FrontMatter; errors: FrontMatterProblem[] } | undefined;
  const check = () => (checked ??= checkFrontMatter(yaml));
  return {
    raw,
    yaml,
    get data() { return check().data; },
    get errors() { return check().errors; },
  };
}

function checkFrontMatter(yaml: string): { data?: FrontMatter; errors: FrontMatterProblem[] } {
  const errors: FrontMatterProblem[] = [];
  const counter: LineCounter = new (yamlLib().LineCounter)();
  const doc = yamlLib().parseDocument(yaml, { lineCounter: counter, prettyErrors: false });
  for (const e of doc.errors) {
    errors.push({ message: `YAML: ${e.message.split('\n')[0]}`, line: 1 + counter.linePos(e.pos[0]).line - 1 });
  }
  if (errors.length) return { errors };
  const value: unknown = doc.toJS() ?? {};
  const result = frontMatterSchema.safeParse(value);
  if (result.success) return { data: result.data, errors };
  for (const issue of result.error.issues) {
    const path = issue.path.map(String);
    const node = path.length ? doc.getIn(path, true) : undefined;
    const range = (node as { range?: [number, number, number] } | undefined)?.range
      ?? nearestRange(doc, path);
    const line = range ? counter.linePos(range[0]).line : undefined; // 1-based within yaml == 0-based doc line
    errors.push({ message: `${path.join('.') || '(root)'}: ${issue.message}`, line });
  }
  return { errors };
}

function nearestRange(doc: Document.Parsed, path: string[]): [number, number, number] | undefined {
  for (let i = path.length - 1; i > 0; i--) {
    const node = doc.getIn(path.slice(0, i), true) as { range?: [number, number, number] } | undefined;
    if (node?.range) return node.range;
  }
  return undefined;
}
