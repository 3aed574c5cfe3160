// Cancel stops the cell's whole process tree, not only the shell's direct children: grandchildren (alive
// parent or orphaned, in their own process group), checked pid by pid in the process table; and a
// cancelled SQLite query leaves no sqlite3 process behind.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import type { ExecutionRequest } from '../../src/core/contract/types.js';
import { ShellSession } from '../../src/core/shell/session.js';
import { SqlExecutor } from '../../src/core/sql/index.js';
import { requirement, sqliteMissing } from '../harness/requirement.js';

/** Running, not a zombie (a zombie is dead and only waits to be reaped). */
function alive(pid: number): boolean {
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

/** The pids still alive after giving a killed process a moment to be reaped. */
async function survivors(pids: number[]): Promise<number[]> {
  for (let i = 0; i < 40 && pids.some(alive); i++) await sleep(50);
  return pids.filter(alive);
}

async function pidsIn(file: string, count: number): Promise<number[]> {
  for (let i = 0; i < 200; i++) {
    const pids = existsSync(file) ? readFileSync(file, 'utf8').split('\n').filter(Boolean).map(Number) : [];
    if (pids.length >= count) return pids;
    await sleep(25);
  }
  throw new Error(`${file}: fewer than ${count} pids were written`);
}

function describeProc(pid: number): string {
  try {
    return `${pid}: ${readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ')}`;
  } catch {
    return `${pid}: gone`;
  }
}

describe('cancel stops the whole tree (real bash)', () => {
  let dir: string;
  const sessions: ShellSession[] = [];
  const stray: number[] = [];
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'rb-canceltree-'));
  });
  after(() => {
    sessions.forEach((s) => s.dispose());
    for (const pid of stray.filter(alive)) process.kill(pid, 'SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });

  async function cancelWhenWritten(source: string, pidFile: string, count: number, check?: (pids: number[], shellPid: number) => void) {
    const s = new ShellSession();
    sessions.push(s);
    await s.run('true');
    const ac = new AbortController();
    const running = s.run(source, { signal: ac.signal });
    const pids = await pidsIn(pidFile, count);
    stray.push(...pids);
    assert.deepEqual(pids.filter((p) => !alive(p)), [], 'every recorded process runs before the cancel');
    check?.(pids, s.pid!);
    ac.abort();
    const r = await running;
    return { r, pids, s };
  }

  it('grandchildren and great-grandchildren under live parents are stopped', async () => {
    const pidFile = join(dir, 'nested.pids');
    const script = join(dir, 'nested.sh');
    writeFileSync(script, [
      'echo $$ >> "$1"',
      'sleep 1001 & echo $! >> "$1"',
      'bash -c \'echo $$ >> "$0"; sleep 1002 & echo $! >> "$0"; wait\' "$1" &',
      'wait',
    ].join('\n'));
    const { r, pids, s } = await cancelWhenWritten(`bash ${script} ${pidFile}`, pidFile, 4);
    assert.equal(r.cancelled, true);
    assert.deepEqual((await survivors(pids)).map(describeProc), [], 'no process of the cell is left');
    assert.equal((await s.run('echo usable')).stdout, 'usable\n', 'the session survives');
  });

  it('an orphaned grandchild in its own process group (its parent exited) is stopped', async () => {
    const pidFile = join(dir, 'orphan.pids');
    // set -m: the background job gets its own process group; the inner bash exits at once, so sleep's
    // parent becomes init (or a subreaper): it is no longer anyone's descendant in the cell.
    const source = `bash -c 'set -m; sleep 1003 & echo $! >> ${pidFile}'\nsleep 1004 & echo $! >> ${pidFile}\nwait`;
    const { r, pids } = await cancelWhenWritten(source, pidFile, 2, (p, shellPid) => {
      // /proc/<pid>/stat after the command name: state ppid pgrp session ...
      const [, ppid, pgid] = readFileSync(`/proc/${p[0]}/stat`, 'utf8').replace(/^.*\) /s, '').split(' ').map(Number);
      assert.equal(pgid, p[0], 'the orphan leads its own process group');
      assert.notEqual(ppid, shellPid, 'the orphan is not a child of the shell');
    });
    assert.equal(r.cancelled, true);
    assert.deepEqual((await survivors(pids)).map(describeProc), [], 'no process of the cell is left');
  });
});

describe('a cancelled SQLite query leaves no sqlite3 process', { skip: requirement(sqliteMissing()) }, () => {
  let dir: string;
  let exec: SqlExecutor;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'rb-sqlite-cancel-'));
    execFileSync('sqlite3', [join(dir, 'slow.db'), 'CREATE TABLE t(x);']);
    exec = new SqlExecutor({ connections: { slow: { driver: 'sqlite', path: join(dir, 'slow.db') } } });
  });
  after(() => {
    exec.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  /** sqlite3 processes whose command line names this test's database. */
  function sqliteProcesses(): number[] {
    const db = join(dir, 'slow.db');
    return readdirSync('/proc').filter((n) => /^\d+$/.test(n)).map(Number).filter((pid) => {
      try {
        const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
        return /sqlite3$/.test(cmd[0] ?? '') && cmd.some((a) => a.includes(db)) && alive(pid);
      } catch {
        return false;
      }
    });
  }

  for (const how of ['cancel', 'timeout'] as const) {
    it(`${how}: the sqlite3 process running the query is gone afterwards`, async () => {
      const ac = new AbortController();
      const request: ExecutionRequest = {
        source: 'WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT count(*) FROM c',
        language: 'sql', attributes: how === 'timeout' ? { db: 'slow', timeout: '1s' } : { db: 'slow' }, cellName: 'slow',
        target: { name: 'local', kind: 'local', label: 'me@here', user: 'me', host: 'here' }, variables: {}, signal: ac.signal,
      };
      const running = exec.run(request);
      let seen: number[] = [];
      for (let i = 0; i < 100 && !seen.length; i++) {
        await sleep(20);
        seen = sqliteProcesses();
      }
      assert.equal(seen.length, 1, 'sqlite3 runs the query');
      if (how === 'cancel') ac.abort();
      const r = await running;
      assert.equal(how === 'cancel' ? r.cancelled : r.timedOut, true);
      assert.deepEqual((await survivors(seen)).map(describeProc), [], 'sqlite3 was stopped');
      assert.deepEqual(sqliteProcesses(), []);
    });
  }
});
