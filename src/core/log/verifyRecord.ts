// `runbook verify`'s proof of a whole record (DESIGN §1): the log section holds only rows, the rows chain,
// and every output block and every source of a cell that ran match the digests of the cell's latest run.
// A record with outputs or an incident but no log is not a record anyone can trust.
import { parseRunbook } from '../format/parse.js';
import {
  isCanonicalRow, LOG_CLOSE, LOG_OPEN, LOG_TITLE, parseLogRow, V1_HEADER, V1_SEPARATOR, V2_HEADER, V2_SEPARATOR,
} from '../format/executionLogSection.js';
import type { CodeCell, LogRow, RunbookDocument } from '../format/model.js';
import { codeCellNames, ordinalName } from '../contract/cellName.js';
import { digestOf, verifyChain } from './chain.js';
import { outputsDigest, sourceDigest } from './recordDigests.js';

export interface RecordCheck {
  ok: boolean;
  /** Every problem found, each naming the row, line or cell (empty when ok). */
  problems: string[];
  rows: number;
  /** One line for the operator: what was proven, or the first problem. */
  summary: string;
}

export function verifyRecord(text: string): RecordCheck {
  const doc = parseRunbook(text);
  const problems: string[] = [];
  strayMarkers(doc, problems);
  const rows = doc.log?.rows ?? [];
  if (!doc.log) {
    const withOutputs = codeCells(doc).filter(({ cell }) => cell.outputs.length).map(({ name }) => name);
    if (withOutputs.length) problems.push(`no execution log, but cell ${quoteList(withOutputs)} ${withOutputs.length > 1 ? 'have' : 'has'} outputs`);
    if (doc.frontMatter?.data?.incident || /^incident\s*:/m.test(doc.frontMatter?.yaml ?? '')) problems.push('no execution log in an incident record');
    if (!problems.length) return { ok: true, problems, rows: 0, summary: 'no execution log (nothing ran)' };
    return done(problems, 0, '');
  }
  sectionLines(doc.log.raw, lineOf(text, doc), problems);
  const chain = verifyChain(rows);
  if (!chain.ok) problems.push(`row ${chain.badRow}: ${chain.reason.replace(/^row \d+: /, '')}`);
  cellsAgainstRows(doc, rows, problems);
  return done(problems, rows.length, `ok (${rows.length} rows, chain intact, outputs and sources match)`);
}

function done(problems: string[], rows: number, okSummary: string): RecordCheck {
  return { ok: !problems.length, problems, rows, summary: problems.length ? problems[0]! : okSummary };
}

/**
 * Code cells with the names runs record (`name=`, else the heading's, else `cell-N`); a record written before
 * unnamed cells were named after their heading logged them as `cell-N`, which is used when only that ran.
 */
function codeCells(doc: RunbookDocument, ranNames: ReadonlySet<string> = new Set()): { cell: CodeCell; name: string }[] {
  const names = codeCellNames(doc.cells);
  return doc.cells.filter((c): c is CodeCell => c.kind === 'code').map((cell, i) => {
    const name = names[i]!;
    const old = ordinalName(i);
    return { cell, name: !ranNames.has(name) && ranNames.has(old) ? old : name };
  });
}

const quoteList = (names: string[]): string => names.map((n) => JSON.stringify(n)).join(', ');

/** A log marker anywhere in the prose means a second (or displaced) log section. */
function strayMarkers(doc: RunbookDocument, problems: string[]): void {
  for (const cell of doc.cells) {
    if (cell.kind !== 'markdown') continue;
    const lines = cell.source.split('\n');
    const at = lines.findIndex((l) => /^\s*<!--\s*\/?runbook:log\b/.test(l));
    if (at === -1) continue;
    const line = (cell.range?.start ?? 0) + at + 1;
    problems.push(doc.log
      ? `line ${line}: a second execution log section (only the one at the end of the record is the log)`
      : `line ${line}: an execution log section that is not at the end of the record (only blank lines or a seal may follow it)`);
  }
}

/** 1-based line of the log section's first line in the file. */
function lineOf(text: string, doc: RunbookDocument): number {
  const at = text.length - doc.tail.length - (doc.log?.raw.length ?? 0);
  return text.slice(0, at).split('\n').length;
}

const FIXED = new Set([LOG_TITLE, '', V1_HEADER, V1_SEPARATOR, V2_HEADER, V2_SEPARATOR]);

/** Every line between the markers is a row exactly as written, a header, or blank. */
function sectionLines(raw: string, firstLine: number, problems: string[]): void {
  const lines = raw.replace(/\r?\n$/, '').split(/\r?\n/);
  let headers = 0;
  let v2Seen = false;
  for (let i = 1; i < lines.length - 1; i++) {
    const line = lines[i]!;
    const where = `line ${firstLine + i}`;
    if (line === LOG_OPEN || line === LOG_CLOSE) problems.push(`${where}: a log marker inside the execution log`);
    else if (FIXED.has(line)) {
      if (line === V2_HEADER) v2Seen = true;
      if (line === V1_HEADER || line === V2_HEADER) headers++;
    } else if (!isCanonicalRow(line)) {
      const row = parseLogRow(line);
      problems.push(row ? `${where}: row ${row.n} was edited (it is not written the way its data says)` : `${where}: not a log row: ${JSON.stringify(line.slice(0, 80))}`);
    } else if (v2Seen && !line.includes('<!-- rb ')) problems.push(`${where}: an old-format row after new-format rows`);
  }
  if (headers > 2) problems.push('the execution log has more than one table of each format');
}

/**
 * Each cell with outputs, and each cell a run row names, must match the latest run of its name. A run is
 * a row with an output digest (format 2) or, for older records, a `run`/`cancel`/`timeout`/`error` row.
 */
function cellsAgainstRows(doc: RunbookDocument, rows: LogRow[], problems: string[]): void {
  const runs = new Map<string, LogRow[]>();
  for (const row of rows) {
    if (row.out === undefined && !(row.src === undefined && ['run', 'cancel', 'timeout', 'error'].includes(row.event))) continue;
    runs.set(row.cell, [...(runs.get(row.cell) ?? []), row]);
  }
  const cells = codeCells(doc, new Set(runs.keys()));
  const byName = new Map<string, CodeCell[]>();
  for (const { cell, name } of cells) byName.set(name, [...(byName.get(name) ?? []), cell]);
  for (const [name, list] of byName) {
    const ran = runs.get(name) ?? [];
    if (!ran.length) {
      if (list.some((c) => c.outputs.length)) problems.push(`cell "${name}": has outputs but no run of it is in the log`);
      continue;
    }
    // Cells sharing a name: each must match one of that many latest runs of the name.
    const latest = ran.slice(-list.length);
    for (const cell of list) {
      if (!latest.some((row) => mismatch(cell, row) === undefined)) problems.push(`cell "${name}": ${mismatch(cell, latest[latest.length - 1]!)}`);
    }
  }
  for (const [name, ran] of runs) {
    if (!byName.has(name)) problems.push(`cell "${name}": ran (row ${ran[ran.length - 1]!.n}) but is no longer in the record`);
  }
}

/** Why `cell` does not match `row`, or undefined when it does. */
function mismatch(cell: CodeCell, row: LogRow): string | undefined {
  if (row.out !== undefined) {
    if (row.src !== undefined && row.src !== sourceDigest(cell.source)) return `source differs from what ran (row ${row.n})`;
    if (row.out !== outputsDigest(cell.outputs)) {
      return cell.outputs.length ? `outputs differ from what row ${row.n} recorded (text or metadata edited, or later rows removed)` : `outputs of row ${row.n} were removed`;
    }
    return undefined;
  }
  // Format 1 rows hashed the command and the printed text: the same when the command was the source.
  // The reader adds a final newline the printed text may not have had.
  const printed = cell.outputs.map((o) => o.text).join('');
  const unterminated = cell.outputs.map((o) => o.text.replace(/\n$/, '')).join('');
  if (row.digest === digestOf(cell.source, printed) || row.digest === digestOf(cell.source, unterminated)) return undefined;
  return `source or output text differs from row ${row.n} (an old-format row: its metadata is not covered)`;
}
