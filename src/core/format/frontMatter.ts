// Front matter: optional YAML validated with zod. A problem never blocks opening: the text is kept
// verbatim by the serializer and the problems are reported with their line.
import { parseDocument, LineCounter } from 'yaml';
import { z } from 'zod';
import type { FrontMatterBlock, FrontMatterProblem } from './model.js';

const duration = z.string().regex(/^\d+(\.\d+)?\s*(ms|s|m|h|d)$/, 'expected a duration such as 15m, 1h or 30s');

export const hostSchema = z.looseObject({
  /** `user@host` or a Host alias of ~/.ssh/config. */
  ssh: z.string().min(1),
  port: z.number().int().min(1).max(65535).optional(),
  /** Name of another host (or ssh alias) to jump through; a list for several hops. */
  jump: z.union([z.string(), z.array(z.string())]).optional(),
  identityFile: z.string().optional(),
  description: z.string().optional(),
  /** A production host: running a step that asks for confirmation there means typing the host's name. */
  production: z.boolean().optional(),
});

export const connectionSchema = z.looseObject({
  driver: z.enum(['sqlite', 'postgres', 'mysql', 'prometheus']),
  /** sqlite: path of the database file on the target host. */
  path: z.string().optional(),
  /** postgres/mysql: connection URL without password; prometheus: its base URL. */
  url: z.string().optional(),
  /** Host to run on (sqlite) or to tunnel through (postgres/mysql). */
  host: z.string().optional(),
  /** Variable holding the password. */
  passwordVariable: z.string().optional(),
  /** prometheus: variable holding a bearer token. */
  tokenVariable: z.string().optional(),
  description: z.string().optional(),
});

export const variableSchema = z.looseObject({
  default: z.union([z.string(), z.number(), z.boolean()]).optional(),
  prompt: z.string().optional(),
  secret: z.boolean().optional(),
  description: z.string().optional(),
});

export const incidentSchema = z.looseObject({
  id: z.string(),
  severity: z.string().optional(),
  status: z.string().optional(),
  started: z.union([z.string(), z.date()]).optional(),
  ended: z.union([z.string(), z.date()]).optional(),
  commander: z.string().optional(),
  drill: z.boolean().optional(),
});

export const frontMatterSchema = z.looseObject({
  title: z.string().optional(),
  description: z.string().optional(),
  hosts: z.record(z.string(), hostSchema).optional(),
  connections: z.record(z.string(), connectionSchema).optional(),
  variables: z.record(z.string(), variableSchema).optional(),
  severity: z.record(z.string(), duration).optional(),
  incident: incidentSchema.optional(),
  /** Host groups for fan-out: name → hosts, ssh-config patterns (`web-1*`), ranges (`web[01:12]`) or groups. */
  groups: z.record(z.string(), z.array(z.string().min(1))).optional(),
  /** An Ansible inventory (INI or YAML), relative to the runbook: its groups and hosts can be targets. */
  inventory: z.string().min(1).optional(),
  /** Drill scenarios of this runbook: folders relative to it (a scenario, or a folder of scenarios). */
  drills: z.array(z.string().min(1)).optional(),
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

/** Parses and validates a front matter block (`raw` includes both delimiter lines). */
export function readFrontMatter(raw: string): FrontMatterBlock {
  const firstNl = raw.indexOf('\n') + 1;
  const lastLineStart = raw.lastIndexOf('\n', raw.length - 2) + 1;
  const yaml = raw.slice(firstNl, lastLineStart);
  const errors: FrontMatterProblem[] = [];
  const counter = new LineCounter();
  const doc = parseDocument(yaml, { lineCounter: counter, prettyErrors: false });
  for (const e of doc.errors) {
    errors.push({ message: `YAML: ${e.message.split('\n')[0]}`, line: 1 + counter.linePos(e.pos[0]).line - 1 });
  }
  if (errors.length) return { raw, yaml, errors };
  const value: unknown = doc.toJS() ?? {};
  const result = frontMatterSchema.safeParse(value);
  if (result.success) return { raw, yaml, data: result.data, errors };
  for (const issue of result.error.issues) {
    const path = issue.path.map(String);
    const node = path.length ? doc.getIn(path, true) : undefined;
    const range = (node as { range?: [number, number, number] } | undefined)?.range
      ?? nearestRange(doc, path);
    const line = range ? counter.linePos(range[0]).line : undefined; // 1-based within yaml == 0-based doc line
    errors.push({ message: `${path.join('.') || '(root)'}: ${issue.message}`, line });
  }
  return { raw, yaml, errors };
}

function nearestRange(doc: ReturnType<typeof parseDocument>, path: string[]): [number, number, number] | undefined {
  for (let i = path.length - 1; i > 0; i--) {
    const node = doc.getIn(path.slice(0, i), true) as { range?: [number, number, number] } | undefined;
    if (node?.range) return node.range;
  }
  return undefined;
}
