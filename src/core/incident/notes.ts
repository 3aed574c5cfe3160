// Timeline notes: decisions, escalations and communications written into the hash-chained execution log,
// so they sit in the timeline between the commands and are covered by the chain like any run.
import type { RunbookDocument } from '../format/model.js';
import { appendRow, digestOf, type NewLogRow } from '../log/chain.js';
import type { LogRow } from '../format/model.js';
import { isoSeconds } from './time.js';

export const NOTE_KINDS = ['decision', 'escalation', 'communication', 'note'] as const;
export type NoteKind = (typeof NOTE_KINDS)[number];

/** A note as a log row (event `note:<kind>`, the text as detail), ready for appendRow. */
export function noteRow(kind: NoteKind, text: string, operator: string, now: Date = new Date()): NewLogRow {
  if (!NOTE_KINDS.includes(kind)) throw new Error(`unknown note kind "${kind}" (${NOTE_KINDS.join(', ')})`);
  // The log is a markdown table: one line per row, cells trimmed. Normalise first so the chain hashes
  // exactly what will be read back.
  const detail = text.replace(/\s*\r?\n\s*/g, ' ').trim();
  if (!detail) throw new Error('a note needs some text');
  return {
    time: isoSeconds(now), operator, target: '', cell: '', event: `note:${kind}`, exit: null, ms: null,
    digest: digestOf(`note:${kind}`, detail), detail,
  };
}

/** Appends a note to the record's execution log and returns the chained row. */
export function addNote(doc: RunbookDocument, kind: NoteKind, text: string, operator: string, now: Date = new Date()): LogRow {
  doc.log ??= { raw: '', rows: [], parsedCount: 0 };
  return appendRow(doc.log.rows, noteRow(kind, text, operator, now));
}

export function isNote(row: { event: string }): boolean {
  return row.event.startsWith('note:');
}
