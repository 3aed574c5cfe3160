// After a cell ran (src/kernel/keepRun.ts): journal; then log edit, outputs and end sent together; then save. A step that keeps
// the run (journal, log, save) failing is reported and never replaces what the cell shows: the run's outputs
// are shown once, as they are, and the execution ends as the run ended.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { finishRun, keepFailureText, type KeepStep, type RunFinish } from '../../src/kernel/keepRun.js';

const OUTPUTS = ['hi from the run'];

/** The steps as the controller gives them, recording what happened; `fail` makes a step throw. */
function steps(fail: Partial<Record<KeepStep, Error>> = {}) {
  const calls: string[] = [];
  const shown: string[][] = [];
  const reported: [KeepStep, string][] = [];
  let savedAsked: () => void = () => undefined;
  const saveAsked = new Promise<void>((r) => (savedAsked = r));
  const f: RunFinish = {
    journal: async () => {
      calls.push('journal');
      if (fail.journal) throw fail.journal;
      return { applied: () => calls.push('applied') };
    },
    show: () => {
      calls.push('show');
      shown.push(OUTPUTS);
      return fail.show ? Promise.reject(fail.show) : Promise.resolve();
    },
    log: async () => {
      calls.push('log');
      if (fail.log) throw fail.log;
    },
    end: () => calls.push('end'),
    save: () => {
      calls.push('save');
      savedAsked();
      return fail.save ? Promise.reject(fail.save) : Promise.resolve(true);
    },
  };
  const report = (step: KeepStep, e: unknown) => reported.push([step, (e as Error).message]);
  return { f, calls, shown, reported, report, saveAsked };
}

const tick = () => new Promise((r) => setImmediate(r));

describe('finishing a run', () => {
  it('journal, then log, show and end, then the journal entry counts as applied and a save is asked for', async () => {
    const s = steps();
    await finishRun(s.f, s.report);
    assert.deepEqual(s.calls, ['journal', 'log', 'show', 'end', 'applied', 'save']);
    assert.deepEqual(s.reported, []);
  });

  it('the log edit is sent first and the outputs and the end follow in the same turn, without waiting for it to land; the entry stays until it landed', async () => {
    const s = steps();
    let landed: () => void = () => undefined;
    const log = s.f.log;
    s.f.log = async () => {
      await log();
      await new Promise<void>((r) => (landed = r));
    };
    let finished = false;
    const done = finishRun(s.f, s.report).then(() => (finished = true));
    await tick();
    assert.deepEqual(s.calls, ['journal', 'log', 'show', 'end'], 'shown and ended while the log edit is on its way');
    assert.equal(finished, false, 'the queue waits for the log edit (the next run chains after it)');
    landed();
    await done;
    assert.deepEqual(s.calls, ['journal', 'log', 'show', 'end', 'applied', 'save']);
  });

  it('log, show and end are called in one turn (nothing awaited between them)', async () => {
    const s = steps();
    let sameTurn = false;
    const log = s.f.log;
    s.f.log = () => {
      const p = log();
      queueMicrotask(() => (sameTurn = s.calls.slice(-3).join() === 'log,show,end'));
      return p;
    };
    await finishRun(s.f, s.report);
    assert.equal(sameTurn, true);
  });

  it('the end waits for the journal: a cell never shows done before its run is on disk', async () => {
    const s = steps();
    let written: () => void = () => undefined;
    const journal = s.f.journal;
    s.f.journal = async () => {
      const ticket = await journal();
      await new Promise<void>((r) => (written = r));
      return ticket;
    };
    const done = finishRun(s.f, s.report);
    await tick();
    assert.deepEqual(s.calls, ['journal']);
    written();
    await done;
    assert.deepEqual(s.calls, ['journal', 'log', 'show', 'end', 'applied', 'save']);
  });

  it('a journal that cannot be written is reported; the run\'s outputs are shown as they are and the cell ends', async () => {
    const s = steps({ journal: new Error('EISDIR: illegal operation on a directory') });
    await finishRun(s.f, s.report);
    assert.deepEqual(s.reported, [['journal', 'EISDIR: illegal operation on a directory']]);
    assert.deepEqual(s.shown, [OUTPUTS], 'the outputs are shown once, the run\'s own (no error output in their place)');
    assert.deepEqual(s.calls, ['journal', 'log', 'show', 'end', 'save']);
  });

  it('a log that cannot be appended is reported; outputs and end are untouched', async () => {
    const s = steps({ log: new Error('applyEdit failed') });
    await finishRun(s.f, s.report);
    assert.deepEqual(s.reported, [['log', 'applyEdit failed']]);
    assert.deepEqual(s.shown, [OUTPUTS]);
    assert.deepEqual(s.calls, ['journal', 'log', 'show', 'end', 'applied', 'save']);
  });

  it('a save that fails is reported after the cell ended', async () => {
    const s = steps({ save: new Error('ENOSPC: no space left on device') });
    await finishRun(s.f, s.report);
    await s.saveAsked;
    await tick();
    assert.deepEqual(s.reported, [['save', 'ENOSPC: no space left on device']]);
    assert.deepEqual(s.shown, [OUTPUTS]);
    assert.equal(s.calls.indexOf('end') < s.calls.indexOf('save'), true);
  });

  it('the report names the record, the cell and the step, and says the outputs are the run\'s', () => {
    const text = keepFailureText('db.runbook.md', 'restart', 'journal', new Error('EACCES: permission denied'));
    assert.match(text, /^db\.runbook\.md: "restart" ran, but writing it to the record's journal failed \(EACCES: permission denied\)\./);
    assert.match(text, /outputs on the cell are the run's own/);
    assert.match(keepFailureText('r', 'c', 'save', 'disk full'), /saving the record failed \(disk full\)/);
  });
});

