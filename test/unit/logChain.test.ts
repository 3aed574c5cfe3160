// The hash-chained execution log: rows are numbered and chained; any edit is found and named.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { LogRow } from '../../src/core/format/model.js';
import { canonicalJson } from '../../src/core/util/canonicalJson.js';
import { appendRow, digestOf, GENESIS, verifyChain, type NewLogRow } from '../../src/core/log/chain.js';

function row(cell: string, event = 'run', exit: number | null = 0): NewLogRow {
  return { time: '2026-11-23T05:13:04Z', operator: 'alice', target: 'cvd-prod', cell, event, exit, ms: 412, digest: digestOf(`echo ${cell}`, `${cell}\n`) };
}

function sampleLog(): LogRow[] {
  const rows: LogRow[] = [];
  appendRow(rows, row('check-disk'));
  appendRow(rows, { ...row('restart', 'confirm', null), ms: null, detail: 'answered yes for cvd-prod' });
  appendRow(rows, row('restart', 'cancel', 130));
  return rows;
}

describe('execution log chain', () => {
  it('digests command and output as 16 hex digits, unambiguously', () => {
    assert.match(digestOf('ls', 'a\n'), /^[0-9a-f]{16}$/);
    assert.equal(digestOf('ls', 'a\n'), digestOf('ls', 'a\n'));
    assert.notEqual(digestOf('ab', 'c'), digestOf('a', 'bc'));
  });

  it('numbers rows and chains each to the one before, the first to zeros', () => {
    const rows = sampleLog();
    assert.deepEqual(rows.map((r) => r.n), [1, 2, 3]);
    for (const r of rows) assert.match(r.chain, /^[0-9a-f]{16}$/);
    assert.equal(new Set(rows.map((r) => r.chain)).size, 3);
    assert.equal(GENESIS, '0000000000000000');
    assert.deepEqual(verifyChain(rows), { ok: true });
    assert.deepEqual(verifyChain([]), { ok: true });
  });

  it('does not depend on key order, and treats an empty detail as none', () => {
    const rows = sampleLog();
    const reordered = rows.map((r) => Object.fromEntries(Object.entries(r).reverse()) as unknown as LogRow);
    assert.deepEqual(verifyChain(reordered), { ok: true });
    const withEmpty: LogRow[] = [];
    appendRow(withEmpty, row('a'));
    withEmpty[0]!.detail = '';
    assert.deepEqual(verifyChain(withEmpty), { ok: true });
    assert.equal(canonicalJson({ b: 1, a: [true, null], c: undefined }), '{"a":[true,null],"b":1}');
  });

  it('names the first edited row', () => {
    for (const [field, value] of [['exit', 0], ['operator', 'mallory'], ['digest', '0123456789abcdef'], ['detail', 'answered no']] as const) {
      const rows = sampleLog();
      (rows[1] as unknown as Record<string, unknown>)[field] = value;
      const check = verifyChain(rows);
      assert.equal(check.ok, false, field);
      assert.equal(!check.ok && check.badRow, 2, field);
      assert.match(!check.ok ? check.reason : '', /row 2/);
    }
  });

  it('detects a recomputed chain value (the next row no longer matches)', () => {
    const rows = sampleLog();
    rows[0]!.exit = 1;
    const again: LogRow[] = [];
    appendRow(again, { ...rows[0]!, n: undefined, chain: undefined } as unknown as NewLogRow);
    rows[0]!.chain = again[0]!.chain; // the forger fixes row 1's own chain value...
    const check = verifyChain(rows);
    assert.equal(!check.ok && check.badRow, 2); // ...which breaks row 2
  });

  it('detects deleted and reordered rows', () => {
    const deleted = sampleLog();
    deleted.splice(1, 1);
    const check = verifyChain(deleted);
    assert.equal(!check.ok && check.badRow, 3);
    assert.match(!check.ok ? check.reason : '', /removed or reordered/);
    const swapped = sampleLog();
    [swapped[0], swapped[1]] = [swapped[1]!, swapped[0]!];
    assert.equal(verifyChain(swapped).ok, false);
  });
});
