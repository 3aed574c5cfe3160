// Finding the processes a local shell started, to stop a cell's whole tree without killing the shell.
// The shell leads its own session (spawned detached), and its children stay in that session and process
// group unless they call setsid; those are still found as descendants while their parent lives.

import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { processesWithCookie, startedSince } from './cookie.js';
import type { RunningCell } from './transport.js';

export interface ProcInfo {
  pid: number;
  ppid: number;
  pgid: number;
  /** Session id; undefined where it cannot be read (the ps fallback). */
  sid: number | undefined;
  /** Start time, epoch ms (±10 ms on Linux, ±1 s with ps). */
  startMs: number;
}

/** Linux's USER_HZ, the unit of /proc/<pid>/stat start times, is 100 on every mainstream architecture. */
const TICKS_PER_SECOND = 100;

/** Every process of this machine; empty when neither /proc nor ps can be read (callers then kill less). */
export function listProcesses(): ProcInfo[] {
  try {
    return listFromProc();
  } catch {
    try {
      return listFromPs();
    } catch {
      return [];
    }
  }
}

function listFromProc(): ProcInfo[] {
  const uptimeS = Number(readFileSync('/proc/uptime', 'utf8').split(' ')[0]);
  const bootMs = Date.now() - uptimeS * 1000;
  const out: ProcInfo[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${name}/stat`, 'utf8');
    } catch {
      continue; // exited meanwhile
    }
    // The command name is in parentheses and may contain spaces or ')': split after the last ')'.
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    out.push({
      pid: Number(name),
      ppid: Number(f[1]),
      pgid: Number(f[2]),
      sid: Number(f[3]),
      startMs: bootMs + (Number(f[19]) * 1000) / TICKS_PER_SECOND,
    });
  }
  return out;
}

/** The portable fallback (macOS): `ps`, with start times to the second. */
export function listFromPs(): ProcInfo[] {
  const text = execFileSync('ps', ['-A', '-o', 'pid=,ppid=,pgid=,etime='], { encoding: 'utf8' });
  const now = Date.now();
  const out: ProcInfo[] = [];
  for (const line of text.split('\n')) {
    const [pid, ppid, pgid, etime] = line.trim().split(/\s+/);
    if (!pid || !etime) continue;
    out.push({ pid: +pid, ppid: +(ppid ?? 0), pgid: +(pgid ?? 0), sid: undefined, startMs: now - elapsedMs(etime) });
  }
  return out;
}

/** ps's etime: [[dd-]hh:]mm:ss. */
function elapsedMs(etime: string): number {
  const [days, clock] = etime.includes('-') ? etime.split('-') : ['0', etime];
  const parts = (clock ?? '').split(':').map(Number).reverse();
  const seconds = (parts[0] ?? 0) + (parts[1] ?? 0) * 60 + (parts[2] ?? 0) * 3600 + Number(days) * 86400;
  return seconds * 1000;
}

export interface Selection {
  /** Only processes started at or after this time (epoch ms)... */
  sinceMs?: number;
  /** ...and not after this one. */
  untilMs?: number;
  /** Slack for the clock resolution of start times (default 30 ms). */
  marginMs?: number;
  /**
   * Processes to leave alone, with their descendants (pid → startMs, so a reused pid is not spared):
   * background jobs that earlier cells started on purpose.
   */
  spare?: ReadonlyMap<number, number>;
}

/**
 * The shell's processes: members of its session or process group and everything descending from the shell
 * or from those members; the shell itself excluded. The start window and `spare` pick one cell's processes.
 */
export function selectShellProcesses(procs: ProcInfo[], shellPid: number, sel: Selection = {}): number[] {
  const children = new Map<number, number[]>();
  for (const p of procs) {
    const list = children.get(p.ppid);
    if (list) list.push(p.pid);
    else children.set(p.ppid, [p.pid]);
  }
  const roots = [shellPid];
  for (const p of procs) if (p.sid === shellPid || p.pgid === shellPid) roots.push(p.pid);
  const picked = descendants(roots, children);
  picked.delete(shellPid);
  const spared = descendants(
    procs.filter((p) => Math.abs((sel.spare?.get(p.pid) ?? NaN) - p.startMs) < 100).map((p) => p.pid),
    children,
  );
  const margin = sel.marginMs ?? 30;
  const from = (sel.sinceMs ?? -Infinity) - margin;
  const to = (sel.untilMs ?? Infinity) + margin;
  const start = new Map(procs.map((p) => [p.pid, p.startMs]));
  return [...picked].filter((pid) => {
    const t = start.get(pid) ?? 0;
    return !spared.has(pid) && t >= from && t <= to;
  });
}

/** The given pids and everything below them. */
function descendants(roots: number[], children: Map<number, number[]>): Set<number> {
  const out = new Set<number>();
  const queue = [...roots];
  while (queue.length) {
    const pid = queue.pop()!;
    if (out.has(pid)) continue;
    out.add(pid);
    for (const c of children.get(pid) ?? []) queue.push(c);
  }
  return out;
}

/** Sends a signal to each pid, ignoring the ones that are already gone. */
export function signalPids(pids: number[], signal: NodeJS.Signals): number {
  let sent = 0;
  for (const pid of pids) {
    try {
      process.kill(pid, signal);
      sent++;
    } catch {
      // ESRCH: exited meanwhile; EPERM: not ours (pid reused) — neither is ours to stop.
    }
  }
  return sent;
}

/** Kills a shell, its process group, and everything else of its tree and session (SIGKILL). */
export function killShellTree(shellPid: number): void {
  // List first: once the shell is dead its children are re-parented and only session/group still tie them.
  const tree = selectShellProcesses(listProcesses(), shellPid);
  signalPids([-shellPid, shellPid, ...tree], 'SIGKILL');
}

/**
 * Ends a shell session the way a terminal hang-up does. The running cell (if any) is stopped like a
 * cancelled one: its cookie's processes and its part of the tree get SIGKILL. Then the shell's process
 * group gets SIGHUP and SIGCONT (for stopped jobs): without job control every background job of the
 * session is in that group, so plain `sleep 100 &` ends, while `nohup` (ignores SIGHUP) and `setsid` (own
 * session and group) survive, as they were started to. Finally the shell itself is killed (a cell may have
 * trapped SIGHUP in it). `jobs`: background jobs of finished cells, spared by the running cell's sweep.
 */
export function hangUpShell(shellPid: number, running?: RunningCell, jobs?: ReadonlyMap<number, number>): void {
  if (running) {
    const procs = listProcesses();
    const cell = selectShellProcesses(procs, shellPid, { sinceMs: running.sinceMs, ...(jobs ? { spare: jobs } : {}) });
    const marked = processesWithCookie(running.cookie, startedSince(procs, running.sinceMs));
    signalPids([...new Set([...cell, ...marked])].filter((p) => p !== shellPid), 'SIGKILL');
  }
  hangUpGroup(shellPid);
  signalPids([shellPid], 'SIGKILL');
}

/** SIGHUP, then SIGCONT, to a process group (its leader may be gone: the group id stays taken meanwhile). */
export function hangUpGroup(pgid: number): void {
  signalPids([-pgid], 'SIGHUP');
  signalPids([-pgid], 'SIGCONT');
}
