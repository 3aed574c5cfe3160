// Processes a drill started: every process the drill's setup, stand-ins or cells start carries
// DRILL_STATE=<its state dir> in its environment, so they are found (and stopped) by that, even after
// they left the shell's process group (the stand-in service runs under setsid).
import { readdirSync, readFileSync } from 'node:fs';

/** Pids whose environment names this drill's state directory (Linux /proc; empty elsewhere). */
export function drillProcesses(stateDir: string): number[] {
  const needle = `DRILL_STATE=${stateDir}\0`;
  const out: number[] = [];
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return out;
  }
  for (const name of entries) {
    if (!/^\d+$/.test(name)) continue;
    const pid = Number(name);
    if (pid === process.pid) continue;
    try {
      const env = readFileSync(`/proc/${name}/environ`, 'latin1');
      if ((env + '\0').includes(needle) && !isZombie(name)) out.push(pid);
    } catch {
      // gone, or not ours to read
    }
  }
  return out;
}

function isZombie(pid: string): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) === 'Z';
  } catch {
    return true;
  }
}

/** Signals pids, ignoring those already gone; returns how many were signalled. */
export function signalAll(pids: number[], signal: NodeJS.Signals): number {
  let n = 0;
  for (const pid of pids) {
    try {
      process.kill(pid, signal);
      n++;
    } catch {
      // already gone
    }
  }
  return n;
}

/** Stops every process of the drill: TERM, a grace period, then KILL. */
export async function stopDrillProcesses(stateDir: string, graceMs = 2000): Promise<void> {
  signalAll(drillProcesses(stateDir), 'SIGTERM');
  const until = Date.now() + graceMs;
  while (Date.now() < until) {
    if (!drillProcesses(stateDir).length) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  signalAll(drillProcesses(stateDir), 'SIGKILL');
}
