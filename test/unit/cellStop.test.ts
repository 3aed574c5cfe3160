// Cell stop and cancel, the pieces: CellStop (one AbortSignal for cancel and timeout, first reason wins) and
// stopCell's escalation (CANCEL_SIGNAL + SIGTERM at once, SIGKILL and a second CANCEL_SIGNAL after 400 ms,
// restart after 900 ms) against a transport that records what it was asked to do. Timers never fire early,
// so "not yet" checks are safe; "by then" checks wait for the event itself.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { CellStop } from '../../src/core/contract/cellStop.js';
import { CellRun } from '../../src/core/shell/cellRun.js';
import { CANCEL_SIGNAL } from '../../src/core/shell/framing.js';
import { formatSeconds, KILL_AFTER_MS, RESTART_AFTER_MS, stopCell } from '../../src/core/shell/stopCell.js';
import type { ShellTransport } from '../../src/core/shell/transport.js';

describe('CellStop', () => {
  it('an already aborted request signal stops at once, as a cancel', () => {
    const ac = new AbortController();
    ac.abort();
    const s = new CellStop({ signal: ac.signal, attributes: {} });
    assert.equal(s.signal.aborted, true);
    assert.equal(s.reason, 'cancel');
    s.dispose();
  });

  it('a later abort of the request signal stops it as a cancel; nothing before that', async () => {
    const ac = new AbortController();
    const s = new CellStop({ signal: ac.signal, attributes: {} });
    assert.equal(s.signal.aborted, false);
    assert.equal(s.reason, undefined);
    assert.equal(s.timeoutMs, undefined);
    ac.abort();
    assert.equal(s.signal.aborted, true);
    assert.equal(s.reason, 'cancel');
    s.dispose();
  });

  it('times out after the request timeout, which wins over the timeout= attribute', async () => {
    const s = new CellStop({ timeoutMs: 30, attributes: { timeout: '1h' } });
    assert.equal(s.timeoutMs, 30);
    await new Promise((r) => s.signal.addEventListener('abort', r));
    assert.equal(s.reason, 'timeout');
    s.dispose();
  });

  it('uses the timeout= attribute when the request has none; 0 means no timeout', async () => {
    const a = new CellStop({ attributes: { timeout: '40ms' } });
    assert.equal(a.timeoutMs, 40);
    await new Promise((r) => a.signal.addEventListener('abort', r));
    assert.equal(a.reason, 'timeout');
    a.dispose();
    const none = new CellStop({ timeoutMs: 0, attributes: { timeout: '10ms' } });
    await sleep(60);
    assert.equal(none.signal.aborted, false, 'timeoutMs 0: no timer');
    none.dispose();
  });

  it('the first reason wins', () => {
    const ac = new AbortController();
    const s = new CellStop({ signal: ac.signal, attributes: {} });
    s.stop('timeout');
    ac.abort();
    s.stop('cancel');
    assert.equal(s.reason, 'timeout');
    s.dispose();
  });

  it('dispose detaches from the request signal and clears the timer', async () => {
    const ac = new AbortController();
    const s = new CellStop({ signal: ac.signal, timeoutMs: 30, attributes: {} });
    s.dispose();
    ac.abort();
    await sleep(80);
    assert.equal(s.signal.aborted, false);
    assert.equal(s.reason, undefined);
  });
});

/** A transport that records the calls stopCell makes (the shell side is tested against real bash elsewhere). */
function recorder(options: { failSignalCell?: boolean } = {}) {
  const calls: string[] = [];
  const t0 = Date.now();
  let sigkill: (() => void) | undefined;
  const sigkillSent = new Promise<void>((r) => (sigkill = r));
  const transport: ShellTransport = {
    pid: 1,
    write: () => undefined,
    onStdout: () => undefined,
    onStderr: () => undefined,
    onExit: () => undefined,
    signalShell: (signal) => void calls.push(`shell ${signal}`),
    signalCell: async (signal, since, until) => {
      calls.push(`cell ${signal} ${since === run.startedAtMs ? 'since-start' : since} ${until === undefined ? 'open' : until === run.endedAtMs ? 'until-end' : until}`);
      if (signal === 'SIGKILL') sigkill!();
      if (options.failSignalCell) throw new Error('ps failed');
      return 1;
    },
    rememberJobs: () => undefined,
    kill: async () => void calls.push('kill'),
  };
  const run = new CellRun(1, false, 1024, undefined, {});
  return { calls, transport, run, sigkillSent, elapsed: () => Date.now() - t0 };
}

describe('stopCell', () => {
  // stopCell's timers are unref'd (they must not keep a CLI alive): hold the event loop open meanwhile.
  let keepAlive: NodeJS.Timeout;
  before(() => (keepAlive = setInterval(() => undefined, 1000)));
  after(() => clearInterval(keepAlive));

  it('stops within a second: the constants', () => {
    assert.equal(KILL_AFTER_MS, 400);
    assert.equal(RESTART_AFTER_MS, 900);
    assert.ok(KILL_AFTER_MS < RESTART_AFTER_MS && RESTART_AFTER_MS < 1000);
  });

  it('asks the shell to leave the cell and SIGTERMs the cell at once; SIGKILL (bounded by the end) only later', async () => {
    const r = recorder();
    const restarts: string[] = [];
    const done = stopCell(r.transport, r.run, { isCurrent: () => true, restart: (m) => restarts.push(m) });
    assert.deepEqual(r.calls, [`shell ${CANCEL_SIGNAL}`, 'cell SIGTERM since-start open']);
    await sleep(100);
    assert.deepEqual(r.calls, [`shell ${CANCEL_SIGNAL}`, 'cell SIGTERM since-start open'], 'nothing more before 400 ms');
    await done;
    assert.ok(r.elapsed() >= KILL_AFTER_MS - 5, `SIGKILL round after ${r.elapsed()} ms`);
    assert.deepEqual(r.calls.slice(0, 3), [`shell ${CANCEL_SIGNAL}`, 'cell SIGTERM since-start open', 'cell SIGKILL since-start open']);
    r.run.finish({ exitCode: null });
  });

  it('asks the shell a second time, then restarts a session that did not come back, with a message', async () => {
    const r = recorder();
    let restarted: (m: string) => void;
    const restart = new Promise<string>((res) => (restarted = res));
    void stopCell(r.transport, r.run, { isCurrent: () => true, restart: (m) => restarted(m) });
    const message = await restart;
    assert.ok(r.elapsed() >= RESTART_AFTER_MS - 5, `restart after ${r.elapsed()} ms`);
    assert.match(message, /the shell did not come back from the cell, so the session was restarted/);
    assert.deepEqual(r.calls.filter((c) => c.startsWith('shell')), [`shell ${CANCEL_SIGNAL}`, `shell ${CANCEL_SIGNAL}`]);
    r.run.finish({ exitCode: null });
  });

  it('a cell that ended is not asked again nor restarted; its SIGKILL round stops at its end', async () => {
    const r = recorder();
    const restarts: string[] = [];
    const done = stopCell(r.transport, r.run, { isCurrent: () => true, restart: (m) => restarts.push(m) });
    r.run.finish({ exitCode: 130 });
    await done;
    await sleep(RESTART_AFTER_MS);
    assert.deepEqual(restarts, []);
    assert.deepEqual(r.calls, [`shell ${CANCEL_SIGNAL}`, 'cell SIGTERM since-start open', 'cell SIGKILL since-start until-end']);
  });

  it('a transport that was replaced meanwhile gets no SIGKILL and no restart', async () => {
    const r = recorder();
    const restarts: string[] = [];
    let current = true;
    const done = stopCell(r.transport, r.run, { isCurrent: () => current, restart: (m) => restarts.push(m) });
    current = false;
    await done;
    await sleep(RESTART_AFTER_MS);
    assert.deepEqual(restarts, []);
    assert.ok(!r.calls.some((c) => c.includes('SIGKILL')), r.calls.join(', '));
    r.run.finish({ exitCode: null });
  });

  it('a failing process listing neither rejects nor blocks the stop', async () => {
    const r = recorder({ failSignalCell: true });
    const unhandled: unknown[] = [];
    const onUnhandled = (e: unknown) => unhandled.push(e);
    process.on('unhandledRejection', onUnhandled);
    try {
      await stopCell(r.transport, r.run, { isCurrent: () => true, restart: () => undefined });
      await r.sigkillSent;
      await sleep(20);
      assert.deepEqual(unhandled, []);
    } finally {
      process.off('unhandledRejection', onUnhandled);
      r.run.finish({ exitCode: null });
    }
  });

  it('formats seconds for messages', () => {
    assert.equal(formatSeconds(1000), '1 s');
    assert.equal(formatSeconds(30_000), '30 s');
    assert.equal(formatSeconds(1500), '1.5 s');
    assert.equal(formatSeconds(900), '0.9 s');
    assert.equal(formatSeconds(1234), '1.2 s', 'one decimal, not the raw division');
  });
});
