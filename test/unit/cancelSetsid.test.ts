// Cancel stops descendants that left the shell's session with setsid (found through the cell's cookie, not
// the process tree): checked pid by pid in the process table.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { ShellSession } from '../../src/core/shell/session.js';

function alive(pid: number): boolean {
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

describe('cancel stops setsid descendants (real bash)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'rb-setsid-'));
  const s = new ShellSession();
  const stray: number[] = [];
  after(() => {
    s.dispose();
    for (const p of stray.filter(alive)) process.kill(p, 'SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });

  it('a process that left the session with setsid -f (parent exited) is stopped', async () => {
    const pidFile = join(dir, 'pids');
    await s.run('true');
    const ac = new AbortController();
    const running = s.run(`setsid -f bash -c 'echo $$ >> ${pidFile}; exec sleep 1005'\nsleep 1006 & echo $! >> ${pidFile}\nwait`, { signal: ac.signal });
    let pids: number[] = [];
    for (let i = 0; i < 200 && pids.length < 2; i++) {
      await sleep(25);
      pids = existsSync(pidFile) ? readFileSync(pidFile, 'utf8').split('\n').filter(Boolean).map(Number) : [];
    }
    stray.push(...pids);
    assert.equal(pids.length, 2);
    ac.abort();
    assert.equal((await running).cancelled, true);
    for (let i = 0; i < 40 && pids.some(alive); i++) await sleep(50);
    assert.deepEqual(pids.filter(alive), [], 'no process of the cell is left');
  });
});
