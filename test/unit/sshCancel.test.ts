// Cancel and timeout of remote cells against a real sshd: the cell's remote process tree is stopped (no
// process left on the server, checked with `ps -u rbtest`), the remote shell survives, background jobs of
// earlier cells are spared, and disposing the session kills everything it started.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { ShellSession } from '../../src/core/shell/session.js';
import type { CellResult } from '../../src/core/shell/types.js';
import { eventually, newPool, sleep, sshSession, targetFor } from '../harness/sshFixtures.js';
import { killUserProcesses, Sshd, sshdSkipReason, startSshd, userProcesses } from '../harness/sshd.js';
import { requirement } from '../harness/requirement.js';

const skip = requirement(sshdSkipReason());

/** Unique sleep durations so parallel test files never see each other's processes. */
const tag = (n: number) => `${900 + n}.${process.pid % 1000}`;

async function cancelAfter(s: ShellSession, source: string, afterMs = 400): Promise<{ r: CellResult; stopMs: number }> {
  const ac = new AbortController();
  const running = s.run(source, { signal: ac.signal });
  await sleep(afterMs);
  const t0 = performance.now();
  ac.abort();
  const r = await running;
  return { r, stopMs: performance.now() - t0 };
}

describe('cancel and timeout over SSH (real sshd)', { skip }, () => {
  let sshd: Sshd;
  const session = () => sshSession(newPool([sshd.knownHostsFile]), targetFor(sshd));
  before(async () => {
    sshd = await startSshd();
  });
  after(() => {
    for (let i = 0; i < 12; i++) killUserProcesses(`sleep ${tag(i)}`);
    sshd?.dispose();
  });

  it('stops a foreground and a background sleep on the server, keeping the remote shell', async () => {
    const s = session();
    await s.run('KEPT=yes; cd /tmp');
    const pid = s.pid;
    const { r, stopMs } = await cancelAfter(s, `sleep ${tag(1)} & sleep ${tag(1)}; wait`);
    assert.ok(stopMs < 1500, `stopped in ${stopMs} ms`);
    assert.equal(r.cancelled, true);
    assert.equal(r.sessionEnded, false, r.message);
    assert.match(r.message ?? '', /^cancelled/);
    assert.deepEqual(userProcesses(`sleep ${tag(1)}`), [], 'no remote process left');
    const next = await s.run('echo "$KEPT $PWD"');
    assert.equal(next.stdout, 'yes /tmp\n');
    assert.equal(s.pid, pid, 'same remote shell');
  });

  it('stops a pipeline and a process that ignores SIGTERM', async () => {
    const s = session();
    await s.run('true');
    const a = await cancelAfter(s, `yes | head -c 100000000000 | sleep ${tag(2)}`);
    assert.equal(a.r.cancelled, true, JSON.stringify(a.r));
    assert.deepEqual(userProcesses(`sleep ${tag(2)}`), []);
    assert.deepEqual(userProcesses('head -c 100000000000'), []);
    const b = await cancelAfter(s, `trap '' TERM; bash -c "trap '' TERM; sleep ${tag(3)}" & sleep ${tag(3)}; wait`);
    assert.equal(b.r.cancelled, true);
    assert.ok(await eventually(() => userProcesses(`sleep ${tag(3)}`).length === 0, 2000), 'SIGKILL follows');
    assert.equal((await s.run('echo usable')).stdout, 'usable\n');
  });

  it('stops processes that left the shell\'s session (setsid)', async () => {
    const s = session();
    await s.run('true');
    const { r } = await cancelAfter(s, `setsid sleep ${tag(4)} & sleep ${tag(4)}; wait`);
    assert.equal(r.cancelled, true);
    assert.deepEqual(userProcesses(`sleep ${tag(4)}`), []);
  });

  it('times out a remote cell and stops its processes', async () => {
    const s = session();
    await s.run('true'); // connected: the 0.7 s are the cell's own, however long the connection took
    const r = await s.run(`echo before; sleep ${tag(5)}`, { timeoutMs: 700 });
    assert.equal(r.timedOut, true);
    assert.equal(r.stdout, 'before\n');
    assert.match(r.message ?? '', /timed out after 0\.7 s/);
    assert.deepEqual(userProcesses(`sleep ${tag(5)}`), []);
  });

  it('spares background jobs of earlier cells; dispose kills the whole remote tree', async () => {
    const s = session();
    await s.run(`sleep ${tag(6)} &`);
    await sleep(300); // rememberJobs lists the remote processes in the background
    const { r } = await cancelAfter(s, `sleep ${tag(7)}`);
    assert.equal(r.cancelled, true);
    assert.deepEqual(userProcesses(`sleep ${tag(7)}`), []);
    assert.equal(userProcesses(`sleep ${tag(6)}`).length, 1, "the earlier cell's job still runs");
    s.dispose();
    assert.ok(await eventually(() => userProcesses(`sleep ${tag(6)}`).length === 0), 'dispose kills it');
  });

  it("a cell run right after a cancel is not hit by the cancelled cell's delayed SIGKILL", async () => {
    const s = session();
    await s.run('true');
    // The shell leaves the cell at once (wait is interrupted), the TERM-proof sleeps stay until SIGKILL.
    const { r } = await cancelAfter(s, `trap '' TERM; sleep ${tag(9)} & sleep ${tag(9)} & wait`, 300);
    assert.equal(r.cancelled, true);
    const next = await s.run('trap - TERM; sleep 0.8 && echo survived');
    assert.equal(next.exitCode, 0, next.message);
    assert.equal(next.stdout, 'survived\n');
    assert.deepEqual(userProcesses(`sleep ${tag(9)}`), [], "the cancelled cell's processes were killed");
  });

  it('a cell stopped while the connection is still being set up never runs later', async () => {
    const s = session();
    const ac = new AbortController();
    const running = s.run(`sleep ${tag(9)}`, { signal: ac.signal });
    setImmediate(() => ac.abort()); // the cell has been handed to the transport; the shell is not up yet
    const r = await running;
    assert.equal(r.cancelled, true);
    assert.match(r.message ?? '', /^cancelled; the shell had not started yet, so the cell did not run/);
    await sleep(1500); // time for a connection that would have run it
    assert.deepEqual(userProcesses(`sleep ${tag(9)}`), []);
    assert.equal((await s.run('echo fresh')).stdout, 'fresh\n');
  });

  it('cancel before the connection is up ends the cell without running it', async () => {
    const s = session();
    const ac = new AbortController();
    ac.abort();
    const r = await s.run(`sleep ${tag(8)}`, { signal: ac.signal });
    assert.equal(r.cancelled, true);
    assert.deepEqual(userProcesses(`sleep ${tag(8)}`), []);
  });
});
