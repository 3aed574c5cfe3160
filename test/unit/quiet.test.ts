// Quiet (src/core/util/quiet.ts): how long background work waits for the person to be quiet.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Quiet } from '../../src/core/util/quiet.js';

describe('waiting for quiet', () => {
  it('is quiet from the start, and again quietMs after the last touch', () => {
    let t = 10_000;
    const q = new Quiet(1500, () => t);
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

  it('is not quiet while something lasts (a save), however long, nor for quietMs after it ended', () => {
    let t = 0;
    const q = new Quiet(1500, () => t);
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
});
