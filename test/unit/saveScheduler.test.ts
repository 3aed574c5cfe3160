// Saves after runs are coalesced (issue 17): at most one in flight, at most one waiting behind it, and a
// request resolves only after a save that started after it.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SaveScheduler } from '../../src/kernel/saveScheduler.js';

interface Nb { uri: string; isClosed: boolean; version: number }

/** A save that takes until `release()`; records what it wrote and how many ran at once. */
function slowSaves() {
  const log = { started: 0, maxInFlight: 0, inFlight: 0, wrote: [] as number[], marks: [] as number[] };
  const gates: (() => void)[] = [];
  const release = async () => {
    while (!gates.length) await new Promise((r) => setImmediate(r));
    gates.shift()!();
    await new Promise((r) => setImmediate(r));
  };
  const scheduler = new SaveScheduler<Nb>({
    save: async (nb) => {
      log.started++;
      log.inFlight++;
      log.maxInFlight = Math.max(log.maxInFlight, log.inFlight);
      const version = nb.version;
      await new Promise<void>((r) => gates.push(r));
      log.wrote.push(version);
      log.inFlight--;
      return true;
    },
    mark: (nb) => nb.version,
    saved: async (_nb, mark) => {
      log.marks.push(mark);
    },
  });
  return { scheduler, log, release };
}

/** Saves that record the version they wrote, for a notebook `busy()` says is running cells. */
function busySaves(busy: () => boolean, maxWaitMs = 60_000) {
  const wrote: number[] = [];
  const marks: number[] = [];
  const scheduler = new SaveScheduler<Nb>({
    save: async (nb) => {
      wrote.push(nb.version);
      return true;
    },
    mark: (nb) => nb.version,
    saved: async (_n, m) => void marks.push(m),
    busy,
    delayMs: 5,
    maxWaitMs,
  });
  return { scheduler, wrote, marks };
}

describe('save scheduler', () => {
  it('coalesces requests made while a save runs into one more save, never two at once', async () => {
    const { scheduler, log, release } = slowSaves();
    const nb: Nb = { uri: 'file:///r.runbook.md', isClosed: false, version: 1 };
    const first = scheduler.request(nb);
    await new Promise((r) => setImmediate(r));
    const later: Promise<boolean>[] = [];
    for (let v = 2; v <= 6; v++) {
      nb.version = v;
      later.push(scheduler.request(nb));
    }
    await release();
    assert.equal(await first, true);
    let done = false;
    void Promise.all(later).then(() => (done = true));
    await new Promise((r) => setImmediate(r));
    assert.equal(done, false, 'the later requests wait for the save that covers them');
    await release();
    assert.deepEqual(await Promise.all(later), [true, true, true, true, true]);
    assert.equal(log.started, 2);
    assert.equal(log.maxInFlight, 1);
    // The second save wrote the notebook as it was after the last request; the journal mark came before it.
    assert.deepEqual(log.wrote, [1, 6]);
    assert.deepEqual(log.marks, [1, 6]);
    await scheduler.idle(nb);
  });

  it('keeps notebooks apart and starts a new save after an idle period', async () => {
    const { scheduler, log, release } = slowSaves();
    const a: Nb = { uri: 'a', isClosed: false, version: 1 };
    const b: Nb = { uri: 'b', isClosed: false, version: 1 };
    const pa = scheduler.request(a);
    const pb = scheduler.request(b);
    await release();
    await release();
    await Promise.all([pa, pb]);
    assert.equal(log.started, 2);
    const again = scheduler.request(a);
    await release();
    assert.equal(await again, true);
    assert.equal(log.started, 3);
  });

  it('does not save a closed notebook or one the guard refuses, and keeps the journal then', async () => {
    const marks: number[] = [];
    let saved = 0;
    const scheduler = new SaveScheduler<Nb>({
      save: async () => ++saved > 0,
      mark: () => 1,
      saved: async (_n, m) => void marks.push(m),
      beforeSave: (nb) => nb.version !== 13,
    });
    assert.equal(await scheduler.request({ uri: 'a', isClosed: true, version: 1 }), false);
    assert.equal(await scheduler.request({ uri: 'a', isClosed: false, version: 13 }), false);
    assert.equal(saved, 0);
    assert.deepEqual(marks, []);
    assert.equal(await scheduler.request({ uri: 'a', isClosed: false, version: 1 }), true);
    assert.deepEqual(marks, [1]);
  });

  it('reports a failing save and keeps the journal', async () => {
    const errors: unknown[] = [];
    const marks: number[] = [];
    const scheduler = new SaveScheduler<Nb>({
      save: async () => { throw new Error('disk full'); },
      saved: async (_n, m) => void marks.push(m),
      onError: (_nb, e) => void errors.push(e),
    });
    assert.equal(await scheduler.request({ uri: 'a', isClosed: false, version: 1 }), false);
    assert.equal(errors.length, 1);
    assert.deepEqual(marks, []);
  });

  it('waits while the notebook is busy (a Run All), and requests made meanwhile share that one save', async () => {
    let busy = true;
    const { scheduler, wrote, marks } = busySaves(() => busy);
    const nb: Nb = { uri: 'a', isClosed: false, version: 1 };
    const requests = [scheduler.request(nb)];
    for (let v = 2; v <= 4; v++) {
      await new Promise((r) => setTimeout(r, 20));
      nb.version = v;
      requests.push(scheduler.request(nb));
    }
    await new Promise((r) => setTimeout(r, 30));
    assert.deepEqual(wrote, [], 'nothing is saved while cells run or wait');
    busy = false;
    assert.deepEqual(await Promise.all(requests), [true, true, true, true]);
    // One save, of the notebook as the last run left it; the journal mark read just before it.
    assert.deepEqual(wrote, [4]);
    assert.deepEqual(marks, [4]);
  });

  it('saves a notebook that stays busy once maxWaitMs has passed', async () => {
    const { scheduler, wrote } = busySaves(() => true, 40);
    const nb: Nb = { uri: 'a', isClosed: false, version: 7 };
    const started = Date.now();
    assert.equal(await scheduler.request(nb), true);
    assert.ok(Date.now() - started >= 40, 'it waited for the notebook first');
    assert.deepEqual(wrote, [7]);
  });

  it('does not save a notebook closed while it waited for it to be idle', async () => {
    const nb: Nb = { uri: 'a', isClosed: false, version: 1 };
    const { scheduler, wrote } = busySaves(() => true);
    const p = scheduler.request(nb);
    await new Promise((r) => setTimeout(r, 20));
    nb.isClosed = true;
    assert.equal(await p, false);
    assert.deepEqual(wrote, []);
  });

  it('a save someone waits for (seal, resolve) does not wait for a busy notebook, and takes the waiting one along', async () => {
    const { scheduler, wrote } = busySaves(() => true);
    const nb: Nb = { uri: 'a', isClosed: false, version: 1 };
    const afterRun = scheduler.request(nb);
    await new Promise((r) => setTimeout(r, 20));
    assert.deepEqual(wrote, [], 'the save after a run waits while cells run');
    nb.version = 2;
    const resolve = scheduler.request(nb, { hurry: true });
    assert.deepEqual(await Promise.all([afterRun, resolve]), [true, true]);
    assert.deepEqual(wrote, [2], 'one save, at once, of the notebook as the command left it');
    nb.version = 3;
    let later = false;
    const next = scheduler.request(nb).then((ok) => (later = ok));
    await new Promise((r) => setTimeout(r, 20));
    assert.equal(later, false, 'the next save after a run waits for the cells again');
    assert.deepEqual(wrote, [2]);
    void scheduler.request(nb, { hurry: true });
    await next;
    assert.deepEqual(wrote, [2, 3]);
  });

  it('a save after a run does not read the notebook while a cell\'s ✓ is still to show (holdUntil)', async () => {
    const { scheduler, wrote } = busySaves(() => false);
    const nb: Nb = { uri: 'a', isClosed: false, version: 1 };
    const started = Date.now();
    scheduler.holdUntil(nb, started + 80);
    scheduler.holdUntil(nb, started + 10); // an earlier hold does not shorten it
    const saved = scheduler.request(nb);
    await new Promise((r) => setTimeout(r, 40));
    assert.deepEqual(wrote, [], 'held back');
    nb.version = 2;
    assert.equal(await saved, true);
    assert.ok(Date.now() - started >= 80, `saved after ${Date.now() - started} ms`);
    assert.deepEqual(wrote, [2], 'one save, of the notebook as it was when the hold ended');
    // The hold is over: the next save waits only its delay.
    const again = Date.now();
    nb.version = 3;
    assert.equal(await scheduler.request(nb), true);
    assert.ok(Date.now() - again < 60, `the next save was held ${Date.now() - again} ms`);
    assert.deepEqual(wrote, [2, 3]);
  });

  it('a save someone waits for is not held, and other notebooks are not held', async () => {
    const { scheduler, wrote } = busySaves(() => false);
    const held: Nb = { uri: 'a', isClosed: false, version: 1 };
    const other: Nb = { uri: 'b', isClosed: false, version: 9 };
    scheduler.holdUntil(held, Date.now() + 10_000);
    const t = Date.now();
    assert.equal(await scheduler.request(other), true);
    assert.equal(await scheduler.request(held, { hurry: true }), true);
    assert.ok(Date.now() - t < 1000, `took ${Date.now() - t} ms`);
    assert.deepEqual(wrote, [9, 1]);
  });
});
