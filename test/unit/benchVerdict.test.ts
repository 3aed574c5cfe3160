// The benchmark verdicts (bench/lib.ts): a section proves something or says FAIL; a missed target is a MISS,
// which `npm run bench -- --strict` turns into a failing exit code.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { verdictOf, type SectionResult } from '../../bench/lib.js';

const row = (name: string, ms: number, measures?: string) => ({ name, ms, bytes: 0, all: [ms], ...(measures ? { measures } : {}) });
const base = (): SectionResult => ({
  rows: [row('ref', 10, 'whole process: x'), row('cell', 5, 'in-process: y')],
  reference: 'ref',
  targets: [{ name: 'cell at most 1x', row: 'cell', maxRatio: 1 }],
  checks: [{ name: 'ran', ok: true }],
  notes: [],
});

describe('benchmark verdicts', () => {
  it('PASS when every target is met and every check holds', () => {
    assert.deepEqual(verdictOf(base()), { verdict: 'PASS', reasons: [] });
  });

  it('MISS when a target is missed', () => {
    const r = base();
    r.rows[1]!.ms = 11;
    assert.deepEqual(verdictOf(r), { verdict: 'MISS', reasons: ['cell at most 1x: 1.10x (target ≤ 1x)'] });
  });

  it('FAIL when a check fails, even if the targets are met', () => {
    const r = base();
    r.checks.push({ name: 'output complete', ok: false, detail: '3 of 4 rows' });
    assert.equal(verdictOf(r).verdict, 'FAIL');
    assert.match(verdictOf(r).reasons[0]!, /check failed: output complete \(3 of 4 rows\)/);
  });

  it('FAIL when the section measured nothing or has no target (a crash, a skip)', () => {
    assert.deepEqual(verdictOf({ rows: [], reference: '', targets: [], checks: [], notes: [] }).reasons, ['no measurements', 'no target']);
    assert.equal(verdictOf({ ...base(), targets: [] }).verdict, 'FAIL');
  });

  it('FAIL when a compared row is missing or does not say what it measures', () => {
    assert.match(verdictOf({ ...base(), targets: [{ name: 't', row: 'nope', maxRatio: 1 }] }).reasons.join(), /row "nope" was not measured/);
    const r = base();
    delete r.rows[0]!.measures;
    assert.deepEqual(verdictOf(r), { verdict: 'FAIL', reasons: ['target "cell at most 1x": row "ref" does not say what it measures'] });
  });

  it('a NaN ratio (a zero or missing time) is not a pass', () => {
    const r = base();
    r.rows[1]!.ms = NaN;
    assert.equal(verdictOf(r).verdict, 'MISS');
  });
});
