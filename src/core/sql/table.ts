// Query results as GitHub-flavoured markdown pipe tables: rendered as a table in the notebook and readable
// as text in the saved document (columns padded, NULL spelled out, long values cut with a marker).
import type { SqlColumn, SqlValue } from './types.js';

export interface TableOptions {
  /** Longest value shown, in characters (default 200); longer ones end in "…(+N chars)". */
  maxCellChars?: number;
}

export const DEFAULT_MAX_CELL_CHARS = 200;
/** Columns are padded to line up in the text, but never by more than this many spaces. */
const MAX_PAD = 40;
/** An underscore between two of these cannot start or end emphasis. */
const WORD = /[\p{L}\p{N}]/u;

/** Escapes a value for a table cell: pipes, markdown emphasis, HTML and line breaks. */
export function escapeCell(value: SqlValue, maxChars = DEFAULT_MAX_CELL_CHARS): string {
  if (value === null) return 'NULL';
  let v = value;
  let cut = '';
  if (v.length > maxChars) {
    let end = maxChars;
    if (/[\uD800-\uDBFF]/.test(v[end - 1]!)) end--; // keep surrogate pairs whole
    cut = `…(+${(v.length - end).toLocaleString('en')} chars)`;
    v = v.slice(0, end);
  }
  // eslint-disable-next-line no-control-regex -- control characters are exactly what is looked for
  if (/[\\|*_`~<&\r\n\t\x00-\x08\x0b-\x1f\x7f]/.test(v)) {
    v = v
      .replace(/\\(?=[!-/:-@[-`{-~])/g, '\\\\')
      .replace(/[|*`~]/g, '\\$&')
      .replace(/_/g, (m, at: number, all: string) => (WORD.test(all[at - 1] ?? '') && WORD.test(all[at + 1] ?? '') ? m : '\\_'))
      .replace(/&(?=#?\w+;)/g, '&amp;')
      .replace(/</g, '&lt;')
      .replace(/\r?\n|\r/g, '<br>')
      .replace(/\t/g, ' ')
      // eslint-disable-next-line no-control-regex -- shown as \xNN instead of breaking the table
      .replace(/[\x00-\x08\x0b-\x1f\x7f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
  }
  return v + cut;
}

/** A GFM pipe table; `rows` are the rows to show (already capped). */
export function markdownTable(columns: SqlColumn[], rows: SqlValue[][], options: TableOptions = {}): string {
  const max = options.maxCellChars ?? DEFAULT_MAX_CELL_CHARS;
  const header = columns.map((c) => escapeCell(c.name, max) || ' ');
  const body = rows.map((r) => columns.map((_, i) => escapeCell(r[i] ?? null, max)));
  const widths = header.map((h, i) => {
    let w = Math.max(3, h.length);
    for (const r of body) if (r[i]!.length > w) w = r[i]!.length;
    return w;
  });
  const pad = (text: string, i: number): string => {
    const room = Math.min(widths[i]!, text.length + MAX_PAD) - text.length;
    if (room <= 0) return text;
    return columns[i]!.numeric ? ' '.repeat(room) + text : text + ' '.repeat(room);
  };
  const line = (cells: string[]): string => `| ${cells.map(pad).join(' | ')} |`;
  const rule = `|${widths.map((w, i) => (columns[i]!.numeric ? `${'-'.repeat(Math.min(w, MAX_PAD + 3) + 1)}:` : '-'.repeat(Math.min(w, MAX_PAD + 3) + 2))).join('|')}|`;
  const out = [line(header), rule];
  for (const r of body) out.push(line(r));
  return out.join('\n');
}

/** "… 9,500 more rows not shown (row cap 500)". */
export function moreRowsMarker(hidden: number, cap: number): string {
  return `… ${hidden.toLocaleString('en')} more row${hidden === 1 ? '' : 's'} not shown (row cap ${cap.toLocaleString('en')})`;
}

/** Whether every non-null value looks like a number (used where the driver gives no types). */
export function looksNumeric(rows: SqlValue[][], column: number): boolean {
  let any = false;
  for (const r of rows) {
    const v = r[column];
    if (v === null || v === undefined) continue;
    if (!/^-?\d+(\.\d+)?([eE][+-]?\d+)?$/.test(v)) return false;
    any = true;
  }
  return any;
}
