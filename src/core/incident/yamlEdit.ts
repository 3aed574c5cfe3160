// Precise edits of front-matter YAML. The `yaml` Document API finds the nodes and renders new values; the
// edit is spliced into the original text at the node's range, so every other byte (comments, folded
// descriptions, flow maps, spacing) stays exactly as written. (Re-stringifying the whole document would
// re-fold `>-` scalars and re-space comments.)
import type { Document, Node, Pair, Scalar, YAMLMap } from 'yaml';
import { yaml as yamlLib } from '../util/yaml.js';

const isMap = (v: unknown): v is YAMLMap => yamlLib().isMap(v);
const isScalar = (v: unknown): v is Scalar => yamlLib().isScalar(v);

export type YamlPath = readonly string[];

export class YamlEditError extends Error {}

const RENDER = { lineWidth: 0, flowCollectionPadding: true } as const;

/** Sets `path` to `value` (scalar, array or object), creating missing maps on the way. */
export function setYamlIn(yaml: string, path: YamlPath, value: unknown): string {
  if (!path.length) throw new YamlEditError('empty path');
  const eol = yaml.includes('\r\n') ? '\r\n' : '\n';
  const doc = parse(yaml);
  let map = rootMap(doc);
  if (!map) return appendTopLevel(yaml, path, value, eol);
  for (let i = 0; i < path.length; i++) {
    const key = path[i]!;
    const pair = findPair(map, key);
    const last = i === path.length - 1;
    const rest = last ? value : nest(path.slice(i + 1), value);
    if (!pair) return insertPair(yaml, map, key, rest, eol);
    const node = pair.value as Node | null;
    if (!last && isMap(node)) {
      map = node;
      continue;
    }
    return replacePair(yaml, map, pair, rest, eol);
  }
  return yaml;
}

/** Removes the key at `path` (its whole line(s) in a block map); unchanged when absent. */
export function deleteYamlIn(yaml: string, path: YamlPath): string {
  const doc = parse(yaml);
  let map = rootMap(doc);
  for (let i = 0; map && i < path.length; i++) {
    const pair = findPair(map, path[i]!);
    if (!pair) return yaml;
    if (i < path.length - 1) {
      map = isMap(pair.value) ? (pair.value as YAMLMap) : undefined;
      continue;
    }
    const keyNode = pair.key as Node;
    const start = keyNode.range![0];
    const end = valueEnd(yaml, pair);
    if (map.flow) {
      const before = yaml.slice(0, start);
      const after = yaml.slice(end);
      const comma = /,\s*$/.exec(before);
      if (comma) return before.slice(0, comma.index) + after;
      return before + after.replace(/^\s*,\s*/, '');
    }
    const lineStart = yaml.lastIndexOf('\n', start - 1) + 1;
    const nl = yaml.indexOf('\n', end);
    return yaml.slice(0, lineStart) + (nl === -1 ? '' : yaml.slice(nl + 1));
  }
  return yaml;
}

function parse(yaml: string): Document.Parsed {
  const doc = yamlLib().parseDocument(yaml);
  if (doc.errors.length) throw new YamlEditError(`front matter is not valid YAML: ${doc.errors[0]!.message.split('\n')[0]}`);
  return doc;
}

function rootMap(doc: Document.Parsed): YAMLMap | undefined {
  const c = doc.contents;
  if (c === null || (isScalar(c) && (c.value === null || c.value === ''))) return undefined;
  if (!isMap(c)) throw new YamlEditError('front matter is not a YAML mapping');
  return c as YAMLMap;
}

function findPair(map: YAMLMap, key: string): Pair | undefined {
  return map.items.find((p) => (isScalar(p.key) ? String(p.key.value) : String(p.key)) === key) as Pair | undefined;
}

function nest(path: YamlPath, value: unknown): unknown {
  return path.reduceRight<unknown>((acc, k) => ({ [k]: acc }), value);
}

/** End of a pair's value in the text (trailing line ending of block collections excluded). */
function valueEnd(yaml: string, pair: Pair): number {
  const v = pair.value as Node | null;
  const keyNode = pair.key as Node;
  let end = v?.range ? v.range[1] : yaml.indexOf(':', keyNode.range![1]) + 1;
  if (v?.range && v.range[1] === v.range[0] && !isMap(v)) end = yaml.indexOf(':', keyNode.range![1]) + 1; // `key:` with no value
  while (end > 0 && (yaml[end - 1] === '\n' || yaml[end - 1] === '\r')) end--;
  return end;
}

function renderBlockPair(key: string, value: unknown, indent: string, eol: string, flow: boolean): string {
  const doc = new (yamlLib().Document)({ [key]: value });
  if (flow) {
    const inner = (doc.contents as YAMLMap).items[0]?.value;
    if (isMap(inner) || (inner && typeof inner === 'object' && 'flow' in inner)) (inner as { flow: boolean }).flow = true;
  }
  const text = doc.toString(RENDER).replace(/\n$/, '');
  return text.split('\n').map((l, i) => (i && l ? indent + l : l)).join(eol);
}

function renderFlowValue(value: unknown): string {
  const doc = new (yamlLib().Document)(value);
  if (doc.contents && typeof doc.contents === 'object' && 'flow' in doc.contents) (doc.contents as { flow: boolean }).flow = true;
  return doc.toString(RENDER).replace(/\n$/, '');
}

function renderFlowKey(key: string): string {
  return renderFlowValue(key);
}

function columnOf(yaml: string, offset: number): string {
  const lineStart = yaml.lastIndexOf('\n', offset - 1) + 1;
  return ' '.repeat(offset - lineStart);
}

function replacePair(yaml: string, map: YAMLMap, pair: Pair, value: unknown, eol: string): string {
  const v = pair.value as Node | null;
  if (map.flow) {
    const start = v?.range && v.range[1] > v.range[0] ? v.range[0] : valueEnd(yaml, pair);
    const end = valueEnd(yaml, pair);
    const sep = start === end && !/\s$/.test(yaml.slice(0, start)) ? ' ' : '';
    return yaml.slice(0, start) + sep + renderFlowValue(value) + yaml.slice(end);
  }
  const keyNode = pair.key as Node;
  const start = keyNode.range![0];
  const end = valueEnd(yaml, pair);
  const wasFlow = !!(v && typeof v === 'object' && 'flow' in v && (v as { flow?: boolean }).flow);
  const keyText = isScalar(pair.key) ? String(pair.key.value) : String(pair.key);
  return yaml.slice(0, start) + renderBlockPair(keyText, value, columnOf(yaml, start), eol, wasFlow) + yaml.slice(end);
}

function insertPair(yaml: string, map: YAMLMap, key: string, value: unknown, eol: string): string {
  const items = map.items as Pair[];
  if (map.flow) {
    if (!items.length) {
      const open = yaml.indexOf('{', map.range![0]);
      return `${yaml.slice(0, open + 1)} ${renderFlowKey(key)}: ${renderFlowValue(value)} ${yaml.slice(open + 1).replace(/^\s*/, '')}`;
    }
    const end = valueEnd(yaml, items[items.length - 1]!);
    return `${yaml.slice(0, end)}, ${renderFlowKey(key)}: ${renderFlowValue(value)}${yaml.slice(end)}`;
  }
  const first = items[0]!.key as Node;
  const indent = columnOf(yaml, first.range![0]);
  const end = valueEnd(yaml, items[items.length - 1]!);
  const nl = yaml.indexOf('\n', end);
  const pairText = indent + renderBlockPair(key, value, indent, eol, false);
  if (nl === -1) return `${yaml}${eol}${pairText}`;
  const lineEnd = yaml[nl - 1] === '\r' ? nl - 1 : nl;
  return `${yaml.slice(0, lineEnd)}${eol}${pairText}${yaml.slice(lineEnd)}`;
}

function appendTopLevel(yaml: string, path: YamlPath, value: unknown, eol: string): string {
  const [key, ...rest] = path;
  const text = renderBlockPair(key!, rest.length ? nest(rest, value) : value, '', eol, false) + eol;
  if (!yaml || yaml.endsWith('\n')) return yaml + text;
  return yaml + eol + text;
}
