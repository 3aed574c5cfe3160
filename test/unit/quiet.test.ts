// Quiet (src/core/util/quiet.ts): how long background work waits for the person to be quiet.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Quiet } from '../../src/core/util/quiet.js';

describe('waiting for quiet', () => {
  it('is quiet from the start, and again quietMs after the last touch', () => {
    let t = 10_000;
    const q = new Quiet(1500, 20_000, () => t);
    assert.equal(q.waitMs(), 0);
    q.touch();
    assert.equal(q.waitMs(), 1500);
    t += 1000;
    assert.equal(q.waitMs(), 500);
    q.touch();
    assert.equal(q.waitMs(), 1500);
    t += 1500;
    assert.equal(q.waitMs(), 0);
  });

  it('is not quiet while something lasts (a save), nor for quietMs after it ended', () => {
    let t = 0;
    const q = new Quiet(1500, 120_000, () => t);
    q.begin();
    t += 60_000;
    assert.equal(q.waitMs(), 1500);
    q.begin();
    q.end();
    t += 5000;
    assert.equal(q.waitMs(), 1500, 'one of two still lasts');
    q.end();
    assert.equal(q.waitMs(), 1500);
    t += 1499;
    assert.equal(q.waitMs(), 1);
    t += 1;
    assert.equal(q.waitMs(), 0);
    q.end();
    t += 1500;
    assert.equal(q.waitMs(), 0, 'an end without a begin does not count as lasting');
  });

  it('stops waiting for a thing that never ends (a save that failed sends no did-save) after lastsAtMostMs', () => {
    let t = 0;
    const q = new Quiet(1500, 20_000, () => t);
    q.begin();
    t += 19_999;
    assert.equal(q.waitMs(), 1500, 'still lasting');
    t += 1;
    assert.equal(q.waitMs(), 0, 'it began 20 s ago and never ended: quiet again');
    q.begin();
    t += 5000;
    q.begin();
    t += 15_000;
    assert.equal(q.waitMs(), 1500, 'the second save still lasts');
    q.end();
    assert.equal(q.waitMs(), 1500, 'quietMs after an end');
    t += 1500;
    assert.equal(q.waitMs(), 0);
  });
});
