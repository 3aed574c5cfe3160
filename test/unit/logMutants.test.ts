// Edge cases of the log chain and the canonical JSON it hashes, written against Stryker's surviving mutants
// (docs/MUTATION.md): each asserts what `runbook verify` must say, not how the code says it.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { LogRow } from '../../src/core/format/model.js';
import { appendRow, chainOf, digestOf, GENESIS, verifyChain } from '../../src/core/log/chain.js';
import { canonicalJson } from '../../src/core/util/canonicalJson.js';

function log(n = 3): LogRow[] {
  const rows: LogRow[] = [];
  for (let i = 0; i < n; i++) {
    appendRow(rows, { time: '2026-11-23T05:13:04Z', operator: 'alice', target: 'local', cell: `c${i}`, event: 'run', exit: 0, ms: 5, digest: digestOf(`echo ${i}`, `${i}\n`) });
  }
  return rows;
}

describe('verifyChain: what it names', () => {
  it('a chain value with anything before or after its 16 hex digits is not a chain value', () => {
    const variants = (c: string) => [`x${c}`, `${c}0`, ` ${c}`, `${c} `, c.slice(0, 15), c.toUpperCase()];
    for (const make of variants(log()[1]!.chain).map((_, i) => i)) {
      const rows = log();
      rows[1]!.chain = variants(rows[1]!.chain)[make]!;
      assert.deepEqual(verifyChain(rows), { ok: false, badRow: 2, reason: 'row 2: chain value is not 16 hex digits' }, rows[1]!.chain);
    }
  });

  it('a row whose number is not a whole number is named by its position', () => {
    for (const n of [Number.NaN, 2.5, '2' as unknown as number]) {
      const rows = log();
      rows[1]!.n = n;
      assert.deepEqual(verifyChain(rows), { ok: false, badRow: 2, reason: `row 2: its number is ${n}: rows were removed or reordered` });
    }
  });

  it('a renumbered row is named by the number it carries', () => {
    const rows = log();
    rows[1]!.n = 7;
    assert.deepEqual(verifyChain(rows), { ok: false, badRow: 7, reason: 'row 7: it is in place 2 of the log: rows were removed or reordered' });
  });

  it('an edited row is named with the chain-mismatch reason', () => {
    const rows = log();
    rows[2]!.cell = 'other';
    assert.deepEqual(verifyChain(rows), { ok: false, badRow: 3, reason: 'row 3: chain mismatch (the row or one before it was edited)' });
  });

  it('the first row chains from sixteen zeros, each next row from the one before', () => {
    const rows = log(2);
    assert.equal(rows[0]!.chain, chainOf(GENESIS, rows[0]!));
    assert.equal(rows[1]!.chain, chainOf(rows[0]!.chain, rows[1]!));
    assert.notEqual(rows[1]!.chain, chainOf(GENESIS, rows[1]!));
  });
});

describe('canonicalJson', () => {
  it('sorts keys at every depth, so key order never changes the text', () => {
    const a = { b: 1, a: { d: [1, { z: 1, y: 2 }], c: 'x' }, aa: null };
    const b = { aa: null, a: { c: 'x', d: [1, { y: 2, z: 1 }] }, b: 1 };
    assert.equal(canonicalJson(a), '{"a":{"c":"x","d":[1,{"y":2,"z":1}]},"aa":null,"b":1}');
    assert.equal(canonicalJson(b), canonicalJson(a));
    // Keys that sort differently by code unit than by locale, and a prefix before its extension.
    assert.equal(canonicalJson({ b: 1, B: 2, a: 3, ab: 4, '': 5 }), '{"":5,"B":2,"a":3,"ab":4,"b":1}');
    assert.equal(canonicalJson({ z: 1, y: 1, x: 1 }), '{"x":1,"y":1,"z":1}');
  });

  it('writes undefined array members as null and leaves undefined object members out', () => {
    assert.equal(canonicalJson([1, undefined, 'a']), '[1,null,"a"]');
    // eslint-disable-next-line no-sparse-arrays
    assert.equal(canonicalJson([1, , 2]), '[1,null,2]');
    assert.equal(canonicalJson({ a: undefined, b: [undefined] }), '{"b":[null]}');
    assert.equal(canonicalJson('x'), '"x"');
    assert.equal(canonicalJson(null), 'null');
    assert.equal(canonicalJson([]), '[]');
    assert.equal(canonicalJson({}), '{}');
  });

  it('refuses what JSON cannot write, instead of hashing nothing', () => {
    assert.throws(() => canonicalJson(undefined), /cannot hash a undefined/);
    assert.throws(() => canonicalJson(() => 1), /cannot hash a function/);
    assert.throws(() => canonicalJson(Symbol('s')), /cannot hash a symbol/);
    assert.throws(() => canonicalJson({ a: [() => 1] }), /cannot hash a function/);
  });
});
