// The execution log: a managed section at the end of the record, a markdown table GitHub renders,
// between two HTML comments the parser looks for. Rows are appended; read rows are written back verbatim.
//
// Two row formats (docs/DESIGN-NOTES.md "Execution log"). Format 1 (records written before) is an 11-column
// table with the hashes in view; it is read and verified, never written. Format 2 shows six narrow columns
// and carries the whole row as escaped JSON in a hidden comment at the end of the line, so the visible text
// is derived from data that can hold any character (newlines, `|`, markers) without breaking the section.
import type { Eol, ExecutionLogSection, LogRow } from './model.js';
import { escapeRowText, parseRowData, rowDataComment } from './logRowData.js';

export const LOG_OPEN = '<!-- runbook:log -->';
export const LOG_CLOSE = '<!-- /runbook:log -->';
export const LOG_TITLE = '## Execution log';
export const V1_HEADER = '| # | Time (UTC) | Operator | Target | Cell | Event | Exit | ms | Digest | Chain | Detail |';
export const V1_SEPARATOR = '|--:|---|---|---|---|---|--:|--:|---|---|---|';
export const V2_HEADER = '| # | Time (UTC) | Cell | Event | Operator → target | Detail |';
export const V2_SEPARATOR = '|--:|---|---|---|---|---|';
/** The seal block (src/core/seal) may follow the log; only blank lines may follow it. */
const SEAL_OPEN = '<!-- runbook:seal ';
const SEAL_CLOSE = '<!-- /runbook:seal -->';

/**
 * Finds the log section: the last LOG_OPEN line followed by a LOG_CLOSE line with only blank lines (and
 * at most one seal block) after it. Returns the character offsets of the section (close line ending
 * included) or undefined.
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
  if (!onlyBlankOrSeal(text.slice(end))) return undefined;
  return { start: open, end };
}

function onlyBlankOrSeal(rest: string): boolean {
  if (/^[ \t\r\n]*$/.test(rest)) return true;
  const m = /^(?:[ \t]*\r?\n)*/.exec(rest)!;
  const block = rest.slice(m[0].length);
  if (!block.startsWith(SEAL_OPEN)) return false;
  const close = block.indexOf(`\n${SEAL_CLOSE}`);
  return close !== -1 && /^[ \t\r\n]*$/.test(block.slice(close + 1 + SEAL_CLOSE.length));
}

export function readLogSection(raw: string): ExecutionLogSection {
  const rows: LogRow[] = [];
  for (const line of raw.split(/\r?\n/)) {
    const row = parseLogRow(line);
    if (row) rows.push(row);
  }
  return { raw, rows, parsedCount: rows.length };
}

/** A row of either format, or undefined when the line is not one. */
export function parseLogRow(line: string): LogRow | undefined {
  return line.includes('<!-- rb ') ? parseRowV2(line) : parseRowV1(line);
}

/** Whether `line` is exactly what the writer makes of the row it holds (anything edited by hand is not). */
export function isCanonicalRow(line: string): boolean {
  const row = parseLogRow(line);
  if (!row) return false;
  return line === (line.includes('<!-- rb ') ? renderLogRow(row) : renderLogRowV1(row));
}

function parseRowV2(line: string): LogRow | undefined {
  const m = /^\| (\d+) \| .*(<!-- rb \{.*\} -->) \|$/.exec(line);
  if (!m) return undefined;
  const row = parseRowData(m[2]!);
  return row && String(row.n) === m[1] ? row : undefined;
}

function parseRowV1(line: string): LogRow | undefined {
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

const v1Cell = (v: string | number | null | undefined): string =>
  v === null || v === undefined ? '' : String(v).replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');

/** A row in format 1 (only to check rows read from older records, and for tests making such records). */
export function renderLogRowV1(r: LogRow): string {
  const cols = [r.n, r.time, r.operator, r.target, r.cell, r.event, r.exit, r.ms, `\`${r.digest}\``, `\`${r.chain}\``,
    r.detail];
  return `| ${cols.map(v1Cell).join(' | ')} |`;
}

/** A row in format 2: narrow visible columns, the whole row in a hidden comment. */
export function renderLogRow(r: LogRow): string {
  const time = r.time.replace('T', ' ').replace(/(\d\d:\d\d:\d\d)(\.\d+)?Z$/, '$1');
  const event = [r.event, r.exit === null ? '' : r.exit === 0 ? '✓ exit 0' : `✗ exit ${r.exit}`, r.ms === null ? '' : `${r.ms} ms`]
    .filter(Boolean).join(' · ');
  const who = r.target ? `${r.operator} → ${r.target}` : r.operator;
  const cols = [String(r.n), time, r.cell, event, who].map(escapeRowText);
  const detail = r.detail ? `${escapeRowText(r.detail)} ` : '';
  return `| ${cols.join(' | ')} | ${detail}${rowDataComment(r)} |`;
}

/** Writes the section: the original bytes with new rows inserted before the closing marker. */
export function renderLogSection(log: ExecutionLogSection, eol: Eol): string {
  const added = log.rows.slice(log.parsedCount).map(renderLogRow);
  if (log.raw) {
    if (!added.length) return log.raw;
    // Rows of format 2 under a format-1 table get their own table (a blank line ends the old one).
    if (!log.raw.split(/\r?\n/).includes(V2_HEADER)) added.unshift('', V2_HEADER, V2_SEPARATOR);
    const close = log.raw.lastIndexOf(LOG_CLOSE);
    return log.raw.slice(0, close) + added.map((l) => l + eol).join('') + log.raw.slice(close);
  }
  return [LOG_OPEN, LOG_TITLE, '', V2_HEADER, V2_SEPARATOR, ...log.rows.map(renderLogRow), LOG_CLOSE].join(eol) + eol;
}
