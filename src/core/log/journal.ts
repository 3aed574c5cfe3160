// The run journal of an incident record: one JSON line per finished cell (its outputs and log rows) or
// note, appended beside the record (`.<record>.journal`) before the editor saves the record.
// A save that covers an entry drops it; the next open merges what is left back into the document, so a
// crash between a run and its save loses nothing. Merging is idempotent: entries already in the record
// (their first log row is there, under whatever number) are skipped.
import * as path from 'node:path';
import { newFence } from '../format/codeCell.js';
import type { CellOutput, CodeCell, LogRow, RunbookDocument } from '../format/model.js';
import { canonicalJson } from '../util/canonicalJson.js';
import { appendRow } from './chain.js';

export interface JournalCell {
  /** Index of the cell in the notebook when it ran (a hint: the source decides). */
  index: number;
  language: string;
  source: string;
  /** The cell's new outputs; undefined: the run left them as they were. */
  outputs?: CellOutput[];
  /** Fence and attributes, used only when the cell must be re-created (it is no longer in the record). */
  fence?: CodeCell['fence'];
  attributes?: CodeCell['attributes'];
}

export interface JournalEntry {
  seq: number;
  cell?: JournalCell;
  rows: LogRow[];
}

/** `dir/a.runbook.md` → `dir/.a.runbook.md.journal` */
export function journalPathOf(recordPath: string): string {
  return path.join(path.dirname(recordPath), `.${path.basename(recordPath)}.journal`);
}

export function encodeEntry(entry: JournalEntry): string {
  return JSON.stringify(entry) + '\n';
}

/** Entries of a journal file; a torn last line (killed mid-write) and foreign lines are ignored. */
export function decodeJournal(text: string): JournalEntry[] {
  const out: JournalEntry[] = [];
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    try {
      const e = JSON.parse(line) as JournalEntry;
      if (typeof e.seq === 'number' && Array.isArray(e.rows)) out.push(e);
    } catch {
      /* torn write */
    }
  }
  return out;
}

export interface MergeResult {
  /** Entries applied (not already in the record). */
  applied: number;
  /** Indices (in the merged document) of code cells whose outputs were set or that were re-created. */
  changedCells: number[];
  /** Cells were inserted: indices after them moved. */
  inserted: boolean;
}

/** Applies the journal entries the document does not hold yet, in order. Mutates `doc`. */
export function mergeJournal(doc: RunbookDocument, entries: readonly JournalEntry[]): MergeResult {
  const result: MergeResult = { applied: 0, changedCells: [], inserted: false };
  for (const entry of [...entries].sort((a, b) => a.seq - b.seq)) {
    if (alreadyApplied(doc, entry)) continue;
    result.applied++;
    if (entry.cell?.outputs) {
      const at = placeCell(doc, entry.cell, result);
      if (!result.changedCells.includes(at)) result.changedCells.push(at);
    }
    appendRows(doc, entry.rows);
  }
  return result;
}

function alreadyApplied(doc: RunbookDocument, entry: JournalEntry): boolean {
  const first = entry.rows[0];
  if (!first) {
    // No rows: applied when the cell already shows these outputs.
    const cell = entry.cell && findCell(doc, entry.cell);
    return cell === undefined || !entry.cell?.outputs
      || JSON.stringify(textsOf((doc.cells[cell] as CodeCell).outputs)) === JSON.stringify(textsOf(entry.cell.outputs));
  }
  // By what the row says, not its number and chain: a row re-chained by an earlier merge (the log had moved
  // on) is the same run under another number, and must not be merged twice (a crash between the save of a
  // merged record and the journal's compaction).
  const run = whatHappened(first);
  return (doc.log?.rows ?? []).some((r) => whatHappened(r) === run);
}

/** A row without its place in the log (number and chain). */
function whatHappened(row: LogRow): string {
  const fields: Partial<LogRow> = { ...row };
  delete fields.n;
  delete fields.chain;
  return canonicalJson(fields);
}

const textsOf = (outputs: CellOutput[]) => outputs.map((o) => [o.text, o.meta]);

/** The cell with this language and source nearest to the recorded index. */
function findCell(doc: RunbookDocument, want: JournalCell): number | undefined {
  let best: number | undefined;
  doc.cells.forEach((c, i) => {
    if (c.kind !== 'code' || c.language !== want.language || c.source !== want.source) return;
    if (best === undefined || Math.abs(i - want.index) < Math.abs(best - want.index)) best = i;
  });
  return best;
}

function placeCell(doc: RunbookDocument, want: JournalCell, result: MergeResult): number {
  const at = findCell(doc, want);
  if (at !== undefined) {
    (doc.cells[at] as CodeCell).outputs = want.outputs!;
    return at;
  }
  // The cell that ran is not in the saved record (it was added or edited and never saved): keep what ran.
  const index = Math.min(Math.max(0, want.index), doc.cells.length);
  const cell: CodeCell = {
    kind: 'code', language: want.language, source: want.source, outputs: want.outputs!,
    fence: want.fence ?? newFence(want.language, want.source),
    attributes: want.attributes ?? {},
  };
  doc.cells.splice(index, 0, cell);
  result.inserted = true;
  result.changedCells = result.changedCells.map((i) => (i >= index ? i + 1 : i));
  return index;
}

/**
 * Appends rows numbered and chained after the record's last row: the number and chain they had when they
 * ran when the log is where it was then, new ones when it moved on meanwhile (a note, another copy saved).
 */
function appendRows(doc: RunbookDocument, rows: readonly LogRow[]): void {
  if (!rows.length) return;
  doc.log ??= { raw: '', rows: [], parsedCount: 0 };
  for (const row of rows) {
    const rest: Partial<LogRow> = { ...row };
    delete rest.n;
    delete rest.chain;
    appendRow(doc.log.rows, rest as Omit<LogRow, 'n' | 'chain'>);
  }
}
