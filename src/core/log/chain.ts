// The hash chain of the execution log (DESIGN §1): each row's `chain` hashes the previous row's chain
// together with the row itself, so editing, reordering or deleting a row in the saved record breaks every
// chain value from there on and `verifyChain` names the first bad row. (Removing rows from the *end*
// cannot be detected from the rows alone.)

import { createHash } from 'node:crypto';
import type { LogRow } from '../format/model.js';
import { canonicalJson } from '../util/canonicalJson.js';

/** Chain value the first row hashes with. */
export const GENESIS = '0'.repeat(16);
const HEX16 = /^[0-9a-f]{16}$/;

/** A row before it is numbered and chained. */
export type NewLogRow = Omit<LogRow, 'n' | 'chain'>;

export type ChainCheck = { ok: true } | { ok: false; badRow: number; reason: string };

function sha16(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex').slice(0, 16);
}

/** Digest of what ran and what it printed (JSON array: no separator ambiguity between the two). */
export function digestOf(command: string, output: string): string {
  return sha16(JSON.stringify([command, output]));
}

/**
 * The fields a chain value covers: every field but `chain`. An empty `detail` counts as absent, so a
 * markdown table cell that cannot tell "" from missing does not break the chain.
 */
function hashedFields(row: LogRow): Partial<LogRow> {
  const fields: Partial<LogRow> = { ...row };
  delete fields.chain;
  if (!fields.detail) delete fields.detail;
  return fields;
}

export function chainOf(previousChain: string, row: LogRow): string {
  return sha16(previousChain + canonicalJson(hashedFields(row)));
}

/** Numbers and chains `row` after the last row of `rows`, appends it to `rows` and returns it. */
export function appendRow(rows: LogRow[], row: NewLogRow): LogRow {
  const last = rows[rows.length - 1];
  const full: LogRow = { ...row, n: last ? last.n + 1 : 1, chain: '' };
  full.chain = chainOf(last ? last.chain : GENESIS, full);
  rows.push(full);
  return full;
}

/** Checks numbering and every chain value; reports the first row that does not match. */
export function verifyChain(rows: readonly LogRow[]): ChainCheck {
  let previous = GENESIS;
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i]!;
    const n = Number.isInteger(row.n) ? row.n : i + 1;
    if (row.n !== i + 1) {
      // Named by the number it carries (what a reader finds in the table), placed by its position.
      const what = Number.isInteger(row.n) ? `row ${n}: it is in place ${i + 1} of the log` : `row ${n}: its number is ${String(row.n)}`;
      return { ok: false, badRow: n, reason: `${what}: rows were removed or reordered` };
    }
    if (!HEX16.test(row.chain)) return { ok: false, badRow: n, reason: `row ${n}: chain value is not 16 hex digits` };
    const expected = chainOf(previous, row);
    if (row.chain !== expected) {
      return { ok: false, badRow: n, reason: `row ${n}: chain mismatch (the row or one before it was edited)` };
    }
    previous = row.chain;
  }
  return { ok: true };
}
