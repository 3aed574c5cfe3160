// The controller's run queue (src/kernel/runQueue.ts) with real bash cells through the core's CellRunner:
// cells are queued (and cancellable) from the moment they are submitted, a cell cancelled while queued never
// runs, requests run one after another, and a cancelled, timed-out or failed cell stops a Run All as the
// rules say. Cells wait on files the test creates, never on timers.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { CellRunner, type CellRunOutcome } from '../../src/core/run/cellRunner.js';
import { ShellExecutor } from '../../src/core/run/shellExecutor.js';
import { switchableRedactor } from '../../src/core/run/switchableRedactor.js';
import { targetResolver } from '../../src/core/run/targets.js';
import type { Attributes } from '../../src/core/format/index.js';
import { RunQueue, type NotRun } from '../../src/kernel/runQueue.js';
import { endedUnknown, stopsRunAll } from '../../src/core/run/stopsRunAll.js';

const dir = mkdtempSync(join(tmpdir(), 'rb-queue-'));
const executors: ShellExecutor[] = [];
after(() => {
  executors.forEach((e) => e.dispose());
  rmSync(dir, { recursive: true, force: true });
});

let seq = 0;

/** A cell of the test: its source, and the controller that stands for its execution's cancel button. */
class Cell {
  readonly cancel = new AbortController();
  readonly signal = this.cancel.signal;
  /** Called when the cell really starts (after the runner's checks). */
  onStart?: () => void;
  constructor(readonly name: string, readonly source: string, readonly attributes: Attributes = {}) {}
}

const file = (name: string) => join(dir, `${seq}-${name}`);
/** A cell that leaves a marker file when it runs. */
const marking = (name: string) => new Cell(name, `touch '${file(name)}'; echo ${name}`);
/** A cell that runs until the test creates its gate file. */
const gated = (name: string) => new Cell(name, `while [ ! -e '${file(`${name}.go`)}' ]; do sleep 0.02; done; echo ${name}`);
const open = (cell: Cell) => writeFileSync(file(`${cell.name}.go`), '');
const ran = (name: string) => existsSync(file(name));

function setup(o: { stopOnError?: boolean; gone?: (cell: Cell) => boolean } = {}) {
  seq++;
  const redactor = switchableRedactor();
  const shell = new ShellExecutor({ redact: redactor.redact, maxOutputBytes: 4096 });
  executors.push(shell);
  const runner = new CellRunner({
    executors: { shell }, resolveTarget: targetResolver(), defaultTarget: () => 'local', operator: 'alice', redactor,
    ui: { trusted: () => true, askVariable: async () => undefined, confirm: async () => true },
  });
  const settled: [string, NotRun][] = [];
  const started: string[] = [];
  const queue = new RunQueue<Cell>({
    run: (cell) => runner.run({ source: cell.source, language: 'shellscript', attributes: cell.attributes, cellName: cell.name }, undefined, {
      signal: cell.signal,
      onStart: () => {
        started.push(cell.name);
        cell.onStart?.();
      },
    }),
    settle: (cell, why) => settled.push([cell.name, why]),
    stopOnError: () => o.stopOnError ?? true,
    ...(o.gone ? { gone: o.gone } : {}),
  });
  return { queue, settled, started };
}

const names = (cells: readonly { name: string }[]) => cells.map((c) => c.name);

describe('run queue: cells queued, cancelled while queued', () => {
  it('a cell cancelled while it waits is taken out at once and never runs; the cells after it still run', async () => {
    const { queue, settled, started } = setup();
    const gate = gated('gate');
    const skipped = marking('skipped');
    const third = marking('third');
    let settledWhileGateRan: [string, NotRun][] = [];
    gate.onStart = () => {
      assert.equal(queue.queued, 2, 'both later cells are queued while the first runs');
      skipped.cancel.abort(); // the operator presses the queued cell's stop button
      settledWhileGateRan = [...settled];
      open(gate);
    };
    const report = await queue.submit([gate, skipped, third]);
    assert.deepEqual(settledWhileGateRan, [['skipped', 'cancelled']], 'the cancelled cell is told at once, while the first still runs');
    assert.deepEqual(started, ['gate', 'third']);
    assert.equal(ran('skipped'), false, 'the cancelled cell never ran');
    assert.equal(ran('third'), true, 'the cell after it ran');
    assert.deepEqual(names(report.cancelled), ['skipped']);
    assert.deepEqual(report.ran.map((r) => [r.item.name, r.outcome?.ok]), [['gate', true], ['third', true]]);
    assert.equal(report.stoppedAt, undefined);
    assert.equal(queue.queued, 0);
  });

  it('requests run one after another; a cell of a later request cancelled while it waits never runs', async () => {
    const { queue, settled, started } = setup();
    const gate = gated('gate');
    const later = marking('later');
    const last = marking('last');
    let second: Promise<unknown> | undefined;
    let third: Promise<unknown> | undefined;
    gate.onStart = () => {
      // Two more requests while the first cell runs (e.g. the operator runs two more cells one by one).
      second = queue.submit([later]);
      third = queue.submit([last]);
      assert.deepEqual(started, ['gate'], 'nothing of a later request starts while a cell runs');
      later.cancel.abort();
      open(gate);
    };
    const first = await queue.submit([gate]);
    const [b, c] = await Promise.all([second, third]) as Awaited<ReturnType<typeof queue.submit>>[];
    assert.deepEqual(names(first.ran.map((r) => r.item)), ['gate']);
    assert.deepEqual(names(b!.cancelled), ['later']);
    assert.equal(b!.ran.length, 0);
    assert.deepEqual(names(c!.ran.map((r) => r.item)), ['last']);
    assert.deepEqual(started, ['gate', 'last']);
    assert.deepEqual(settled, [['later', 'cancelled']]);
    assert.equal(ran('later'), false);
    assert.equal(ran('last'), true);
  });

  it('a cell cancelled before it was queued never runs', async () => {
    const { queue, settled } = setup();
    const cell = marking('early');
    cell.cancel.abort();
    const report = await queue.submit([cell, marking('next')]);
    assert.deepEqual(settled, [['early', 'cancelled']]);
    assert.equal(ran('early'), false);
    assert.equal(ran('next'), true);
    assert.deepEqual(names(report.cancelled), ['early']);
  });

  it('a request nobody wants (where its runs belong was not answered) runs nothing; every cell is settled at once', async () => {
    const { queue, settled, started } = setup();
    const report = await queue.submit([marking('a'), marking('b')], async () => false);
    assert.deepEqual(settled, [['a', 'skipped'], ['b', 'skipped']]);
    assert.deepEqual(started, []);
    assert.equal(ran('a') || ran('b'), false);
    assert.deepEqual(names(report.skipped), ['a', 'b']);
    // The queue goes on with the next request.
    await queue.submit([marking('c')]);
    assert.equal(ran('c'), true);
  });

  it('a cell deleted while it waits is skipped when its turn comes, not run; the batch goes on', async () => {
    const deleted = new Set<string>();
    const { queue, settled, started } = setup({ gone: (cell) => deleted.has(cell.name) });
    const gate = gated('gate');
    gate.onStart = () => {
      deleted.add('removed');
      open(gate);
    };
    const report = await queue.submit([gate, marking('removed'), marking('kept')]);
    assert.deepEqual(started, ['gate', 'kept']);
    assert.deepEqual(settled, [['removed', 'skipped']]);
    assert.equal(ran('removed'), false);
    assert.equal(report.stoppedAt, undefined);
  });

  it('closing the notebook settles the cells still queued; they never run', async () => {
    const { queue, settled } = setup();
    const gate = gated('gate');
    gate.onStart = () => {
      queue.dispose();
      open(gate);
    };
    const report = await queue.submit([gate, marking('after')]);
    assert.deepEqual(settled, [['after', 'skipped']]);
    assert.equal(ran('after'), false);
    assert.deepEqual(names(report.skipped), ['after']);
  });
});

describe('run queue: busy (a save after a run waits for it)', () => {
  it('is busy while a cell runs or waits, and idle once the last one ended or was cancelled', async () => {
    const { queue } = setup();
    assert.equal(queue.busy, false, 'an empty queue is idle');
    const gate = gated('busy-gate');
    const next = gated('busy-next');
    const seen: boolean[] = [];
    gate.onStart = () => {
      seen.push(queue.busy); // running, one waiting
      open(gate);
    };
    next.onStart = () => {
      seen.push(queue.busy); // running, none waiting
      open(next);
    };
    const report = queue.submit([gate, next]);
    assert.equal(queue.busy, true, 'busy from the moment cells are queued');
    await report;
    assert.deepEqual(seen, [true, true]);
    assert.equal(queue.busy, false);
    const waiting = gated('busy-cancelled');
    const blocker = gated('busy-blocker');
    blocker.onStart = () => {
      waiting.cancel.abort();
      open(blocker);
    };
    await queue.submit([blocker, waiting]);
    assert.equal(queue.busy, false, 'a cancelled cell does not keep the queue busy');
  });
});

describe('run queue: what stops a Run All', () => {
  it('a cell cancelled while it runs stops the rest, also with stopOnError off', async () => {
    const { queue, settled } = setup({ stopOnError: false });
    const slow = new Cell('slow', 'sleep 30; echo done');
    slow.onStart = () => slow.cancel.abort();
    const report = await queue.submit([slow, marking('next')]);
    const outcome = report.ran[0]?.outcome;
    assert.equal(outcome?.status, 'ran', 'the cancelled cell ran (and was stopped)');
    assert.equal(outcome?.ok, false);
    assert.equal(report.stoppedAt?.name, 'slow');
    assert.deepEqual(settled, [['next', 'skipped']]);
    assert.equal(ran('next'), false, 'Run All went on after a cancel');
  });

  it('a timed-out cell stops the rest, also with stopOnError off', async () => {
    const { queue } = setup({ stopOnError: false });
    const report = await queue.submit([new Cell('slow', 'sleep 30', { timeout: '200ms' }), marking('next')]);
    const outcome = report.ran[0]?.outcome;
    assert(outcome && outcome.rows.some((r) => r.event === 'timeout'), `a timeout row: ${JSON.stringify(outcome?.rows)}`);
    assert.equal(report.stoppedAt?.name, 'slow');
    assert.equal(ran('next'), false, 'Run All went on after a timeout');
  });

  it('a cell that exits non-zero stops the rest with stopOnError on, not with it off', async () => {
    const on = setup({ stopOnError: true });
    const stopped = await on.queue.submit([new Cell('fails', '(exit 3)'), marking('next')]);
    assert.equal(stopped.stoppedAt?.name, 'fails');
    assert.equal(ran('next'), false);

    const off = setup({ stopOnError: false });
    const went = await off.queue.submit([new Cell('fails', '(exit 3)'), marking('next')]);
    assert.equal(went.stoppedAt, undefined);
    assert.equal(ran('next'), true);
  });

  it('a single cell\'s failure has nothing to stop', async () => {
    const { queue } = setup();
    const report = await queue.submit([new Cell('fails', '(exit 1)')]);
    assert.equal(report.stoppedAt, undefined);
    assert.equal(report.ran[0]?.outcome?.exitCode, 1, JSON.stringify(report.ran[0]?.outcome));
  });

  it('stopsRunAll: the rules, outcome by outcome', () => {
    const base: CellRunOutcome = { status: 'ran', ok: false, exitCode: 1, rows: [] };
    const row = (event: string) => ({ time: '', operator: '', target: '', cell: '', event, exit: null, ms: null, digest: '' });
    assert.equal(stopsRunAll({ ...base, ok: true, exitCode: 0 }, true), false);
    assert.equal(stopsRunAll(base, false), false);
    assert.equal(stopsRunAll(base, true), true);
    assert.equal(stopsRunAll(undefined, false), true, 'a run that failed on our side');
    for (const status of ['declined', 'refused', 'skipped'] as const) assert.equal(stopsRunAll({ ...base, status, exitCode: null }, false), true, status);
    assert.equal(stopsRunAll({ ...base, exitCode: null, rows: [row('cancel')] }, false), true);
    assert.equal(stopsRunAll({ ...base, exitCode: 143, rows: [row('timeout')] }, false), true);
    assert.equal(stopsRunAll({ ...base, exitCode: null, rows: [row('error')] }, false), true, 'no exit code: connection lost');
    assert.equal(endedUnknown({ ...base, rows: [row('run')] }), false);
  });
});
