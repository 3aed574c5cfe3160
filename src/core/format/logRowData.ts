// The hidden data of an execution-log row (format 2): the row as JSON inside an HTML comment, escaped so
// that neither the comment nor the table cell it sits in can end early, and no text in it can open or
// close a section. The visible columns are escaped the same way as HTML text.
import { canonicalJson } from '../util/canonicalJson.js';
import type { LogRow } from './model.js';

const PREFIX = '<!-- rb ';
const SUFFIX = ' -->';

/** JSON with `<`, `>`, `&`, `|`, backticks and `--` written as \u escapes (still valid JSON). */
export function rowDataComment(row: LogRow): string {
  const json = canonicalJson(row)
    .replace(/[<>&|`]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)
    .replace(/-(?=-)/g, '\\u002d');
  return `${PREFIX}${json}${SUFFIX}`;
}

const STRINGS = ['time', 'operator', 'target', 'cell', 'event', 'digest', 'chain'] as const;
const OPTIONAL = ['detail', 'src', 'out'] as const;
const KNOWN = new Set<string>(['n', 'exit', 'ms', ...STRINGS, ...OPTIONAL]);

/** The row in a comment made by rowDataComment, or undefined when it is not one. */
export function parseRowData(comment: string): LogRow | undefined {
  if (!comment.startsWith(PREFIX) || !comment.endsWith(SUFFIX)) return undefined;
  let data: unknown;
  try {
    data = JSON.parse(comment.slice(PREFIX.length, -SUFFIX.length));
  } catch {
    return undefined;
  }
  if (!data || typeof data !== 'object' || Array.isArray(data)) return undefined;
  const d = data as Record<string, unknown>;
  if (Object.keys(d).some((k) => !KNOWN.has(k))) return undefined;
  if (!Number.isInteger(d.n) || (d.n as number) < 1) return undefined;
  if (STRINGS.some((k) => typeof d[k] !== 'string')) return undefined;
  if (OPTIONAL.some((k) => d[k] !== undefined && typeof d[k] !== 'string')) return undefined;
  for (const k of ['exit', 'ms']) if (d[k] !== null && typeof d[k] !== 'number') return undefined;
  return d as unknown as LogRow;
}

/** Text for a visible table cell: one line, no markup that could open HTML, a code span or a new cell. */
export function escapeRowText(text: string): string {
  return text
    .replace(/[&<>|`\\]/g, (c) => `&#${c.charCodeAt(0)};`)
    // eslint-disable-next-line no-control-regex
    .replace(/\r\n|[\u0000-\u001f\u007f\u2028\u2029]/g, ' ');
}
