// The execution log: a managed section at the end of the record, a markdown table GitHub renders,
// between two HTML comments the parser looks for. Rows are appended; read rows are written back verbatim.
import type { Eol, ExecutionLogSection, LogRow } from './model.js';

export const LOG_OPEN = '<!-- runbook:log -->';
export const LOG_CLOSE = '<!-- /runbook:log -->';
const HEADER = [
  '## Execution log',
  '',
  '| # | Time (UTC) | Operator | Target | Cell | Event | Exit | ms | Digest | Chain | Detail |',
  '|--:|---|---|---|---|---|--:|--:|---|---|---|',
];

/**
 * Finds the log section: the last LOG_OPEN line followed by a LOG_CLOSE line with only blank lines after it.
 * Returns the character offsets of the section (close line ending included) or undefined.
 */
export function findLogSection(text: string): { start: number; end: number } | undefined {
  const open = text.lastIndexOf(LOG_OPEN);
  if (open === -1 || (open > 0 && text.charCodeAt(open - 1) !== 10)) return undefined;
  const afterOpen = open + LOG_OPEN.length;
  if (!/^\r?\n/.test(text.slice(afterOpen, afterOpen + 2))) return undefined;
  const close = text.indexOf(LOG_CLOSE, afterOpen);
  if (close === -1 || text.charCodeAt(close - 1) !== 10) return undefined;
  let end = close + LOG_CLOSE.length;
  if (text.charCodeAt(end) === 13 && text.charCodeAt(end + 1) === 10) end += 2;
  else if (text.charCodeAt(end) === 10) end += 1;
  else if (end !== text.length) return undefined;
  if (!/^[ \t\r\n]*$/.test(text.slice(end))) return undefined;
  return { start: open, end };
}

export function readLogSection(raw: string): ExecutionLogSection {
  const rows: LogRow[] = [];
  for (const line of raw.split(/\r?\n/)) {
    const row = parseRow(line);
    if (row) rows.push(row);
  }
  return { raw, rows, parsedCount: rows.length };
}

function parseRow(line: string): LogRow | undefined {
  if (!line.startsWith('|')) return undefined;
  const cells = splitRow(line);
  if (cells.length < 10 || !/^\d+$/.test(cells[0]!)) return undefined;
  const num = (s: string): number | null => (s === '' || s === '–' ? null : Number(s));
  const row: LogRow = {
    n: Number(cells[0]), time: cells[1]!, operator: cells[2]!, target: cells[3]!, cell: cells[4]!, event: cells[5]!,
    exit: num(cells[6]!), ms: num(cells[7]!), digest: stripTicks(cells[8]!), chain: stripTicks(cells[9]!),
  };
  if (cells[10]) row.detail = cells[10];
  return row;
}

function splitRow(line: string): string[] {
  const out: string[] = [];
  let cur = '';
  for (let i = 1; i < line.length; i++) {
    const ch = line[i]!;
    if (ch === '\\' && line[i + 1] === '|') {
      cur += '|';
      i++;
    } else if (ch === '|') {
      out.push(cur.trim());
      cur = '';
    } else cur += ch;
  }
  if (cur.trim()) out.push(cur.trim());
  return out;
}

function stripTicks(s: string): string {
  return s.replace(/^`+|`+$/g, '');
}

const cell = (v: string | number | null | undefined): string =>
  v === null || v === undefined ? '' : String(v).replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');

export function renderLogRow(r: LogRow): string {
  const cols = [r.n, r.time, r.operator, r.target, r.cell, r.event, r.exit, r.ms, `\`${r.digest}\``, `\`${r.chain}\``,
    r.detail];
  return `| ${cols.map(cell).join(' | ')} |`;
}

/** Writes the section: the original bytes with new rows inserted before the closing marker. */
export function renderLogSection(log: ExecutionLogSection, eol: Eol): string {
  const added = log.rows.slice(log.parsedCount).map(renderLogRow);
  if (log.raw) {
    if (!added.length) return log.raw;
    const close = log.raw.lastIndexOf(LOG_CLOSE);
    return log.raw.slice(0, close) + added.map((l) => l + eol).join('') + log.raw.slice(close);
  }
  return [LOG_OPEN, ...HEADER, ...log.rows.map(renderLogRow), LOG_CLOSE].join(eol) + eol;
}
