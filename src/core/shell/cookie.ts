// Each cell run is marked with an environment cookie, as Jenkins' ProcessTreeKiller marks a build: the
// shell exports RUNBOOK_CELL_COOKIE=<random> while the cell runs, so every program the cell starts carries
// it in its environment, also daemons that double-fork and call setsid and so leave the shell's tree and
// session. Cancel and timeout sweep the process table (/proc/<pid>/environ) for the cookie. Background jobs
// of earlier cells carry their own cell's cookie, so a later cell's cancel leaves them alone.
// Limits: a program that clears its environment (env -i) or overwrites it (setproctitle) loses the mark;
// such processes are still found through the tree and session while those tie them to the shell.

import { randomBytes } from 'node:crypto';
import type { ProcInfo } from './processTree.js';
import { readdirSync, readFileSync } from 'node:fs';

export const COOKIE_VAR = 'RUNBOOK_CELL_COOKIE';

/** Processes that may carry a cell's cookie: started (to the clock's resolution) since the cell began. */
export function startedSince(procs: ProcInfo[], sinceMs: number): number[] {
  return procs.filter((p) => p.startMs >= sinceMs - 50).map((p) => p.pid);
}

export function newCookie(): string {
  return randomBytes(12).toString('hex');
}

/**
 * Pids of this machine's processes whose environment holds `COOKIE_VAR=cookie` (those this user may read).
 * `candidates` narrows the scan (processes started since the cell began: reading every environment of a
 * busy machine takes a while, and a cancel must be quick).
 */
export function processesWithCookie(cookie: string, candidates?: Iterable<number>): number[] {
  const entry = Buffer.from(`${COOKIE_VAR}=${cookie}\0`);
  const out: number[] = [];
  let names: string[];
  try {
    names = candidates ? [...candidates].map(String) : readdirSync('/proc');
  } catch {
    return out; // no /proc (macOS): the tree and session selection is all there is
  }
  for (const name of names) {
    if (!/^\d+$/.test(name) || Number(name) === process.pid) continue;
    let env: Buffer;
    try {
      env = readFileSync(`/proc/${name}/environ`);
    } catch {
      continue; // exited meanwhile, or not ours to read
    }
    const at = env.indexOf(entry);
    if (at === 0 || (at > 0 && env[at - 1] === 0)) out.push(Number(name));
  }
  return out;
}
