// The front matter read again with positions: where each host, connection and variable is named, where
// YAML and schema problems are, and where a new variable can be inserted. Works on invalid front matter
// too (names are read from the YAML even when the schema fails, so one typo does not cascade).
import { isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, type Document, type Pair } from 'yaml';
import { frontMatterSchema } from '../format/frontMatter.js';

export interface DocSpan {
  /** 0-based document line. */
  line: number;
  start: number;
  end: number;
}

export interface NamedEntry extends DocSpan {
  name: string;
  /** The entry's value as plain data (an object for well-formed entries). */
  value: unknown;
}

export interface FrontMatterProblemAt extends DocSpan {
  message: string;
  severity: 'error' | 'warning';
}

export type Section = 'hosts' | 'connections' | 'variables';

export interface FrontMatterModel {
  /** Whether the document has a front matter block. */
  present: boolean;
  /** The YAML as plain data ({} when absent or unreadable). */
  data: Record<string, unknown>;
  hosts: NamedEntry[];
  connections: NamedEntry[];
  variables: NamedEntry[];
  problems: FrontMatterProblemAt[];
  /** Document line of the closing `---` (undefined without front matter). */
  closeLine?: number;
  /** Where a new variable goes: before this document line, with this indentation; undefined if unknown. */
  variableInsert?: { line: number; indent: string; needsHeader: boolean };
}

const EMPTY: FrontMatterModel = { present: false, data: {}, hosts: [], connections: [], variables: [], problems: [] };

/** Reads a front matter block (`raw` from the parsed document: both `---` lines included; starts at line 0). */
export function readFrontMatterModel(raw: string | undefined): FrontMatterModel {
  if (raw === undefined) return { ...EMPTY, hosts: [], connections: [], variables: [], problems: [] };
  const rawLines = raw.split('\n').map((l) => l.replace(/\r$/, ''));
  if (rawLines[rawLines.length - 1] === '') rawLines.pop();
  const closeLine = rawLines.length - 1;
  const yaml = rawLines.slice(1, closeLine).join('\n');
  const yamlLines = rawLines.slice(1, closeLine);
  const counter = new LineCounter();
  const doc = parseDocument(yaml, { lineCounter: counter, prettyErrors: false, uniqueKeys: true });
  const span = (from: number, to: number): DocSpan => {
    const a = counter.linePos(from);
    const b = counter.linePos(Math.max(from, to));
    const text = yamlLines[a.line - 1] ?? '';
    const start = a.col - 1;
    const end = b.line === a.line ? b.col - 1 : text.length;
    return { line: a.line, start, end: end > start ? end : start + 1 };
  };
  const model: FrontMatterModel = { present: true, data: {}, hosts: [], connections: [], variables: [], problems: [], closeLine };
  for (const e of doc.errors) {
    model.problems.push({ ...span(e.pos[0], e.pos[1]), message: `YAML: ${e.message.split('\n')[0]}`, severity: 'error' });
  }
  for (const w of doc.warnings) {
    model.problems.push({ ...span(w.pos[0], w.pos[1]), message: `YAML: ${w.message.split('\n')[0]}`, severity: 'warning' });
  }
  let data: unknown;
  try {
    data = doc.toJS() ?? {};
  } catch {
    data = {};
  }
  model.data = data && typeof data === 'object' && !Array.isArray(data) ? data as Record<string, unknown> : {};
  if (!doc.errors.length) {
    const result = frontMatterSchema.safeParse(data ?? {});
    if (!result.success) {
      for (const issue of result.error.issues) {
        const path = issue.path.map((p) => (typeof p === 'number' ? p : String(p)));
        const at = locatePath(doc, path);
        const where = at ? span(at[0], at[1]) : { line: 0, start: 0, end: 3 };
        model.problems.push({ ...where, message: issueMessage(path, issue.message), severity: 'error' });
      }
    }
  }
  for (const section of ['hosts', 'connections', 'variables'] as const) {
    model[section] = entriesOf(doc, section, model.data, span);
  }
  model.variableInsert = variableInsertPoint(doc, counter, closeLine);
  return model;
}

function issueMessage(path: (string | number)[], message: string): string {
  const where = path.join('.') || '(front matter)';
  if (/received undefined/.test(message) && path.length) {
    return `${path.slice(0, -1).join('.') || '(front matter)'}: missing "${String(path[path.length - 1])}" (${message})`;
  }
  return `${where}: ${message}`;
}

/** Source range of the node at `path`: a scalar value, else the key naming it, else the nearest parent's key. */
function locatePath(doc: Document, path: (string | number)[]): [number, number] | undefined {
  let node: unknown = doc.contents;
  let lastPair: Pair | undefined;
  for (const seg of path) {
    if (isMap(node)) {
      const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === String(seg));
      if (!pair) break;
      lastPair = pair;
      node = pair.value;
    } else if (isSeq(node) && typeof seg === 'number' && node.items[seg] !== undefined) {
      node = node.items[seg];
      lastPair = undefined;
      const r = (node as { range?: [number, number, number] }).range;
      if (r && path[path.length - 1] === seg) return [r[0], r[1]];
    } else {
      break;
    }
  }
  if (isScalar(node) && node.range && lastPair?.value === node) return [node.range[0], node.range[1]];
  const key = lastPair?.key;
  if (isScalar(key) && key.range) return [key.range[0], key.range[1]];
  const contents = doc.contents as { range?: [number, number, number] } | null;
  return contents?.range ? [contents.range[0], contents.range[0] + 1] : undefined;
}

function entriesOf(doc: Document, section: Section, data: Record<string, unknown>, span: (a: number, b: number) => DocSpan): NamedEntry[] {
  const root = doc.contents;
  if (!isMap(root)) return [];
  const pair = root.items.find((p) => isScalar(p.key) && p.key.value === section);
  if (!pair || !isMap(pair.value)) return [];
  const values = (data[section] && typeof data[section] === 'object' ? data[section] : {}) as Record<string, unknown>;
  const out: NamedEntry[] = [];
  for (const item of pair.value.items) {
    if (!isPair(item) || !isScalar(item.key) || !item.key.range) continue;
    const name = String(item.key.value);
    out.push({ name, value: values[name], ...span(item.key.range[0], item.key.range[1]) });
  }
  return out;
}

function variableInsertPoint(doc: Document, counter: LineCounter, closeLine: number): FrontMatterModel['variableInsert'] {
  const root = doc.contents;
  if (root !== null && !isMap(root)) return undefined;
  if (doc.errors.length) return undefined;
  const pair = root?.items.find((p) => isScalar(p.key) && p.key.value === 'variables');
  if (!pair) return { line: closeLine, indent: '  ', needsHeader: true };
  const value = pair.value;
  if (value === null || (isScalar(value) && value.value === null)) {
    const keyRange = (pair.key as { range?: [number, number, number] }).range;
    if (!keyRange) return undefined;
    return { line: counter.linePos(keyRange[0]).line + 1, indent: '  ', needsHeader: false };
  }
  if (!isMap(value) || value.flow || !value.range || !value.items.length) return undefined;
  const firstKey = value.items[0]!.key as { range?: [number, number, number] };
  if (!firstKey.range) return undefined;
  const indent = ' '.repeat(counter.linePos(firstKey.range[0]).col - 1);
  const lastLine = counter.linePos(Math.max(value.range[0], value.range[1] - 1)).line; // 1-based yaml line
  return { line: lastLine + 1, indent, needsHeader: false };
}
