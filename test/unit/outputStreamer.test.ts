// The live outputs of a running cell (src/kernel/outputStreamer.ts): batched about every 100 ms, and the
// earlier run's outputs replaced in one change (issue 17: each change of a cell's outputs makes VS Code lay
// out a big notebook's outputs again), never left looking current for more than 100 ms of a run.
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it, mock } from 'node:test';
import { OutputStreamer, type OutputApi, type StreamTarget } from '../../src/kernel/outputStreamer.js';
import { NotebookCellOutput, NotebookCellOutputItem } from './notebookApi.js';

const api = { NotebookCellOutput, NotebookCellOutputItem } as unknown as OutputApi;

/** A cell's outputs as VS Code keeps them, and each edit the streamer sent. */
function cell(initial: string[] = ['old run']) {
  let outputs: { stream: string; text: string[] }[] = initial.map((t) => ({ stream: 'stdout', text: [t] }));
  const edits: string[] = [];
  const view = (o: NotebookCellOutput) => ({
    stream: o.items[0]!.mime.endsWith('stderr') ? 'stderr' : 'stdout',
    text: o.items.map((i) => new TextDecoder().decode(i.data)),
  });
  const live = new Map<unknown, { stream: string; text: string[] }>();
  const target: StreamTarget = {
    replaceOutput: async (out) => {
      const list = (Array.isArray(out) ? out : [out]) as unknown as NotebookCellOutput[];
      edits.push(`replace ${list.length}`);
      outputs = list.map((o) => { const v = view(o); live.set(o, v); return v; });
    },
    appendOutput: async (out) => {
      const list = (Array.isArray(out) ? out : [out]) as unknown as NotebookCellOutput[];
      edits.push(`append ${list.length}`);
      for (const o of list) { const v = view(o); live.set(o, v); outputs.push(v); }
    },
    appendOutputItems: async (items, output) => {
      const list = (Array.isArray(items) ? items : [items]) as unknown as NotebookCellOutputItem[];
      edits.push('append items');
      live.get(output)!.text.push(...list.map((i) => new TextDecoder().decode(i.data)));
    },
    clearOutput: async () => {
      edits.push('clear');
      outputs = [];
    },
  };
  return { target, edits, shown: () => outputs.map((o) => `${o.stream}: ${o.text.join('')}`) };
}

describe('OutputStreamer', () => {
  beforeEach(() => mock.timers.enable({ apis: ['setTimeout'] }));
  afterEach(() => mock.timers.reset());

  /** Lets the streamer's timer fire and its queued edits run. */
  const tick = async (ms: number) => {
    mock.timers.tick(ms);
    for (let i = 0; i < 5; i++) await Promise.resolve();
  };

  it('sends nothing for a run that ends within 100 ms: the caller replaces the old outputs once', async () => {
    const c = cell();
    const s = new OutputStreamer(c.target, api);
    s.clear();
    s.stdout('hi\n');
    await tick(60);
    await s.finish();
    await tick(200);
    assert.deepEqual(c.edits, []);
    assert.deepEqual(c.shown(), ['stdout: old run'], 'the old outputs stay until the run\'s own replace them');
  });

  it('replaces the old outputs with the first batch in one change', async () => {
    const c = cell(['old 1', 'old 2']);
    const s = new OutputStreamer(c.target, api);
    s.clear();
    s.stdout('a');
    s.stderr('warn');
    s.stdout('b');
    await tick(100);
    assert.deepEqual(c.edits, ['replace 2']);
    assert.deepEqual(c.shown(), ['stdout: ab', 'stderr: warn']);
    s.stdout('c');
    await tick(100);
    assert.deepEqual(c.edits, ['replace 2', 'append items']);
    assert.deepEqual(c.shown(), ['stdout: abc', 'stderr: warn']);
    await s.finish();
  });

  it('clears the old outputs 100 ms into a run that has shown nothing yet', async () => {
    const c = cell();
    const s = new OutputStreamer(c.target, api);
    s.clear();
    await tick(99);
    assert.deepEqual(c.shown(), ['stdout: old run']);
    await tick(1);
    assert.deepEqual(c.edits, ['clear']);
    assert.deepEqual(c.shown(), []);
    s.stdout('late');
    await tick(100);
    assert.deepEqual(c.edits, ['clear', 'append 1']);
    assert.deepEqual(c.shown(), ['stdout: late']);
    s.stderr('oops');
    await tick(100);
    assert.deepEqual(c.shown(), ['stdout: late', 'stderr: oops']);
    await s.finish();
  });

  it('shows nothing after finish, and drops what was not sent yet', async () => {
    const c = cell();
    const s = new OutputStreamer(c.target, api);
    s.clear();
    s.stdout('one');
    await tick(100);
    s.stdout('two');
    await s.finish();
    s.stdout('three');
    s.clear();
    await tick(500);
    assert.deepEqual(c.shown(), ['stdout: one']);
  });

  it('appends without clearing when the run did not ask to clear', async () => {
    const c = cell();
    const s = new OutputStreamer(c.target, api);
    s.stdout('x');
    await tick(100);
    assert.deepEqual(c.edits, ['append 1']);
    assert.deepEqual(c.shown(), ['stdout: old run', 'stdout: x']);
    s.dispose();
  });

  it('stops live display after its budget, saying so', async () => {
    const c = cell([]);
    const s = new OutputStreamer(c.target, api);
    s.clear();
    s.stdout('y'.repeat(1024 * 1024 + 10));
    await tick(100);
    s.stdout('more');
    await tick(100);
    const shown = c.shown();
    assert.equal(shown.length, 1);
    assert.match(shown[0]!, /live output paused/);
    assert.ok(!shown[0]!.includes('more'));
    assert.equal(shown[0]!.split('y').length - 1, 1024 * 1024);
    await s.finish();
  });
});
