// Cancel and timeout against a real bash: the cell's whole process tree stops within a second, nothing of
// it is left (checked with ps), and the session stays usable (or is restarted, and the result says so).
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { after, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { ShellSession } from '../../src/core/shell/session.js';
import type { CellResult } from '../../src/core/shell/types.js';

const sessions: ShellSession[] = [];
function session(): ShellSession {
  const s = new ShellSession();
  sessions.push(s);
  return s;
}
after(() => sessions.forEach((s) => s.dispose()));

/** Live processes of the shell's session, group or children other than the shell itself, as ps lists them. */
function leftovers(shellPid: number): string[] {
  const out = execFileSync('ps', ['-eo', 'pid=,pgid=,ppid=,sess=,stat=,args='], { encoding: 'utf8' });
  return out
    .split('\n')
    .map((l) => l.trim().split(/\s+/))
    .filter(([pid, pgid, ppid, sess, stat]) => Number(pid) !== shellPid && !stat?.startsWith('Z') && [pgid, ppid, sess].map(Number).includes(shellPid))
    .map((f) => f.join(' '));
}

/** Running (a zombie is dead: it only waits to be reaped, by init once orphaned, which here may never happen). */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return true; // no /proc: trust kill(0)
  }
}

/**
 * A stop must end the cell, not hang: generous, because speed belongs in benchmarks and this machine may be
 * loaded. What was stopped is checked exactly in the process table.
 */
const STOPS_WITHIN_MS = 10_000;

/** A killed process lingers until its parent reaps it; give that a moment (longer on a loaded machine). */
async function gone(pid: number): Promise<boolean> {
  for (let i = 0; i < 200 && alive(pid); i++) await sleep(25);
  return !alive(pid);
}

/**
 * Starts `source`, aborts it once it has run for `afterMs` (counted from when its output first holds `ready`,
 * when given: a loaded machine may take longer than `afterMs` to get the cell going), and measures how long
 * the stop took.
 */
async function cancelAfter(s: ShellSession, source: string, afterMs = 300, ready?: string): Promise<{ r: CellResult; stopMs: number }> {
  const ac = new AbortController();
  let out = '';
  const running = s.run(source, { signal: ac.signal, onStdout: (chunk) => { out += chunk; } });
  if (ready) for (let i = 0; i < 400 && !out.includes(ready); i++) await sleep(25);
  await sleep(afterMs);
  const t0 = performance.now();
  ac.abort();
  const r = await running;
  return { r, stopMs: performance.now() - t0 };
}

describe('cancel and timeout (real bash)', () => {
  it("a cell run right after a cancel is not hit by the cancelled cell's delayed SIGKILL", async () => {
    const s = session();
    await s.run('true');
    const { r } = await cancelAfter(s, "trap '' TERM; sleep 97 & sleep 97 & wait", 300);
    assert.equal(r.cancelled, true);
    const next = await s.run("trap - TERM; sleep 0.5 && echo survived");
    assert.equal(next.exitCode, 0, next.message);
    assert.equal(next.stdout, 'survived\n');
    assert.deepEqual(leftovers(s.pid!).filter((l) => l.includes('sleep 97')), [], "the cancelled cell's processes were killed");
  });

  it('stops a background and a foreground sleep, keeping the session', async () => {
    const s = session();
    await s.run('KEPT=before-cancel; cd /tmp');
    const pid = s.pid!;
    assert.ok(leftovers(pid).length === 0);
    const { r, stopMs } = await cancelAfter(s, 'sleep 100 & sleep 100; wait');
    assert.ok(stopMs < STOPS_WITHIN_MS, `stopped in ${stopMs} ms`);
    assert.equal(r.cancelled, true);
    assert.equal(r.sessionEnded, false);
    assert.match(r.message ?? '', /^cancelled/);
    assert.deepEqual(leftovers(pid), []);
    const next = await s.run('echo "$KEPT $PWD"');
    assert.equal(next.stdout, 'before-cancel /tmp\n');
    assert.equal(s.pid, pid, 'same shell');
  });

  it('stops a pipeline and leaves no process', async () => {
    const s = session();
    await s.run('true');
    const pid = s.pid!;
    const { r, stopMs } = await cancelAfter(s, 'yes | head -c 1000000000 | sleep 100');
    assert.ok(stopMs < STOPS_WITHIN_MS, `stopped in ${stopMs} ms`);
    assert.equal(r.cancelled, true);
    assert.deepEqual(leftovers(pid), []);
    assert.equal((await s.run('echo usable')).stdout, 'usable\n');
  });

  it('kills processes that ignore SIGTERM', async () => {
    const s = session();
    await s.run('true');
    const pid = s.pid!;
    const { r, stopMs } = await cancelAfter(s, "trap '' TERM; sleep 100 & sleep 100; wait");
    assert.ok(stopMs < STOPS_WITHIN_MS, `stopped in ${stopMs} ms`);
    assert.equal(r.cancelled, true);
    await sleep(500); // the SIGKILL round runs 400 ms after the cancel, even when the shell came back sooner
    assert.deepEqual(leftovers(pid), []);
    assert.equal((await s.run('echo usable')).stdout, 'usable\n');
  });

  it('leaves a loop running in the shell itself', async () => {
    const s = session();
    await s.run('n=0');
    const { r, stopMs } = await cancelAfter(s, 'while :; do n=$((n+1)); done');
    assert.ok(stopMs < STOPS_WITHIN_MS, `stopped in ${stopMs} ms`);
    assert.equal(r.sessionEnded, false);
    const after = await s.run('echo "$n"');
    assert.ok(Number(after.stdout) > 0, 'state changed by the cancelled cell is kept');
  });

  it('restarts the session, and says so, when the shell does not come back in time', async () => {
    const s = session();
    await s.run('true');
    const pid = s.pid!;
    // `return` from the cancel trap only leaves the function; the loop calls it again.
    const { r, stopMs } = await cancelAfter(s, 'f() { sleep 100; }; echo looping; while :; do f; done', 300, 'looping');
    assert.ok(stopMs < STOPS_WITHIN_MS, `stopped in ${stopMs} ms`);
    assert.equal(r.cancelled, true);
    assert.equal(r.sessionEnded, true);
    assert.match(r.message ?? '', /^cancelled; .*session was restarted/);
    assert.equal(await gone(pid), true, 'the old shell is gone');
    assert.deepEqual(leftovers(pid), []);
    const next = await s.run('echo fresh');
    assert.equal(next.freshSession, true);
  });

  it('spares background jobs started by earlier cells', async () => {
    const s = session();
    const bg = Number((await s.run('sleep 200 & echo $!')).stdout);
    await cancelAfter(s, 'sleep 100', 200);
    assert.equal(alive(bg), true, 'the earlier cell\'s job is not this cell\'s');
    s.dispose();
    assert.equal(await gone(bg), true, 'dispose() kills everything');
  });

  it('times out, stops the tree and keeps the session', async () => {
    const s = session();
    await s.run('x=42');
    const pid = s.pid!;
    const t0 = performance.now();
    const r = await s.run('sleep 100 | cat', { timeoutMs: 300 });
    const ms = performance.now() - t0;
    assert.ok(ms >= 300 && ms < STOPS_WITHIN_MS, `took ${ms} ms`);
    assert.equal(r.timedOut, true);
    assert.equal(r.cancelled, true);
    assert.match(r.message ?? '', /^timed out after 0\.3 s/);
    assert.deepEqual(leftovers(pid), []);
    assert.equal((await s.run('echo $x')).stdout, '42\n');
  });

  it('does not start a cell whose signal is already aborted', async () => {
    const s = session();
    const ac = new AbortController();
    ac.abort();
    const r = await s.run('touch /tmp/should-not-exist-$$; echo ran', { signal: ac.signal });
    assert.equal(r.cancelled, true);
    assert.equal(r.stdout, '');
    assert.equal(r.exitCode, null);
  });
});
