// Stopping processes on the remote host. Closing an ssh2 channel or sending `signal()` leaves the remote
// processes running (ssh2 #382, #475), so a separate exec channel on the same connection lists the host's
// processes (/proc, or ps elsewhere) and kills the ones picked here, with the same selection as locally
// (processTree.selectShellProcesses). One channel per operation: the listing is read, the pids to signal
// are written back to the same command's stdin.

import { COOKIE_VAR } from '../shell/cookie.js';
import { selectShellProcesses, type ProcInfo, type Selection } from '../shell/processTree.js';
import { quoteShell } from '../shell/quote.js';
import type { SshConnection } from './connection.js';
import { RemoteClock } from './remoteClock.js';

export interface RemoteProc extends ProcInfo {
  /** Start time in clock ticks since boot (/proc only): identifies a process even if its pid is reused. */
  ticks?: number;
}

const END = '__RB_LIST_END__';
const COOKIES = '__RB_COOKIE_PIDS__';

/**
 * POSIX sh: list (and, given a cell cookie, the /proc/<pid>/environ files that hold it: cookie.ts), then
 * read "SIGNAL pid..." lines and signal them in order.
 */
function script(cookie?: string): string {
  const marked = cookie && /^[0-9a-f]+$/.test(cookie)
    ? `echo ${COOKIES}; grep -lsF -e '${COOKIE_VAR}=${cookie}' /proc/[0-9]*/environ 2>/dev/null; `
    : '';
  return (
    'if [ -r /proc/uptime ]; then echo P; cat /proc/uptime /proc/[0-9]*/stat 2>/dev/null; ' +
    'else echo S; ps -A -o pid= -o ppid= -o pgid= -o etime=; fi; ' +
    marked +
    `echo ${END}; while read -r sig pids; do [ -n "$pids" ] && kill -s "$sig" -- $pids 2>/dev/null; done; exit 0`
  );
}

export const REMOTE_SIGNAL_COMMAND = remoteSignalCommand();

export function remoteSignalCommand(cookie?: string): string {
  return `exec /bin/sh -c ${quoteShell(script(cookie))}`;
}

/**
 * The command that starts the remote shell: it prints `<token>:<pid>:<start ticks>` and execs
 * `shell --noprofile --norc` in the same process (sshd made it a session leader: pid = sid = pgid).
 */
export function shellStartCommand(token: string, shell = 'bash'): string {
  const inner = `{ read -r s < /proc/$$/stat; } 2>/dev/null; s=\${s##*) }; set -- $s; echo ${token}:$$:\${20:-0}; exec ${shell} --noprofile --norc`;
  return `exec ${shell} --noprofile --norc -c ${quoteShell(inner)}`;
}

const USER_HZ = 100;

export interface RemoteListing {
  /** Remote uptime when listed (/proc only). */
  uptimeMs?: number;
  /** Start times are local epoch ms (see RemoteClock). */
  procs: RemoteProc[];
  /** How far those start times may be off. */
  uncertaintyMs: number;
  /** Processes whose environment holds the cell cookie asked for (remoteSignal's `cookie`). */
  cookiePids?: number[];
}

/**
 * Parses the listing taken between local times t0 and t1. With /proc, start ticks become local times
 * through `clock` (which this observation refines); with ps, from elapsed seconds.
 */
export function parseRemoteListing(text: string, t0: number, t1: number, clock = new RemoteClock()): RemoteListing {
  const lines = text.split('\n');
  const procs: RemoteProc[] = [];
  if (lines[0] === 'P') {
    const uptimeMs = Number(lines[1]?.split(' ')[0]) * 1000;
    clock.observe(uptimeMs, t0, t1);
    for (const line of lines.slice(2)) {
      const close = line.lastIndexOf(')');
      if (close < 0) continue;
      const pid = Number(line.slice(0, line.indexOf(' ')));
      const f = line.slice(close + 2).split(' ');
      const ticks = Number(f[19]);
      if (!Number.isInteger(pid) || !Number.isFinite(ticks)) continue;
      procs.push({ pid, ppid: Number(f[1]), pgid: Number(f[2]), sid: Number(f[3]), ticks, startMs: clock.bootMs + (ticks * 1000) / USER_HZ });
    }
    return { uptimeMs, procs, uncertaintyMs: clock.errorMs + 1000 / USER_HZ };
  }
  const mid = (t0 + t1) / 2;
  for (const line of lines.slice(1)) {
    const [pid, ppid, pgid, etime] = line.trim().split(/\s+/);
    if (!pid || !etime || !/^\d+$/.test(pid)) continue;
    procs.push({ pid: +pid, ppid: +(ppid ?? 0), pgid: +(pgid ?? 0), sid: undefined, startMs: mid - elapsedMs(etime) });
  }
  return { procs, uncertaintyMs: (t1 - t0) / 2 + 1000 };
}

/** `/proc/<pid>/environ` lines (grep -l) → pids. */
export function cookiePidsOf(text: string): number[] {
  const out: number[] = [];
  for (const line of text.split('\n')) {
    const m = /^\/proc\/(\d+)\/environ$/.exec(line.trim());
    if (m) out.push(Number(m[1]));
  }
  return out;
}

/** Start ticks of a listing's moment: processes started later have at least these. */
export function uptimeTicks(uptimeMs: number): number {
  return Math.floor((uptimeMs * USER_HZ) / 1000);
}

function elapsedMs(etime: string): number {
  const [days, clock] = etime.includes('-') ? etime.split('-') : ['0', etime];
  const parts = (clock ?? '').split(':').map(Number).reverse();
  return ((parts[0] ?? 0) + (parts[1] ?? 0) * 60 + (parts[2] ?? 0) * 3600 + Number(days) * 86400) * 1000;
}

export interface Decision {
  signal: NodeJS.Signals;
  /** Negative numbers are process groups. */
  pids: number[];
}

/**
 * Lists the remote processes over connection `generation` (never reconnecting), lets `decide` pick, and
 * signals them, decision after decision. Resolves with how many pids the first decision named.
 */
export async function remoteSignal(
  conn: SshConnection,
  generation: number | undefined,
  decide: (listing: RemoteListing) => Decision | Decision[] | undefined,
  clock?: RemoteClock,
  cookie?: string,
): Promise<number> {
  const t0 = Date.now();
  const ch = await conn.openExec(remoteSignalCommand(cookie), generation);
  return new Promise((resolve) => {
    let text = '';
    let answered = false;
    let count = 0;
    ch.stderr.resume();
    ch.on('data', (b: Buffer) => {
      if (answered) return;
      text += b.toString('utf8');
      const end = text.indexOf(`\n${END}\n`);
      if (end < 0) return;
      answered = true;
      let decisions: Decision[];
      try {
        const body = text.slice(0, end);
        const split = body.indexOf(`\n${COOKIES}\n`);
        const listing = parseRemoteListing(split < 0 ? body : body.slice(0, split), t0, Date.now(), clock);
        if (split >= 0) listing.cookiePids = cookiePidsOf(body.slice(split + COOKIES.length + 2));
        decisions = ([] as Decision[]).concat(decide(listing) ?? []);
      } catch {
        decisions = [];
      }
      let lines = '';
      count = decisions[0]?.pids.filter((p) => p > 0).length ?? 0;
      for (const d of decisions) {
        if (d.pids.length) lines += `${d.signal.replace(/^SIG/, '')} ${d.pids.join(' ')}\n`;
      }
      ch.end(lines);
    });
    ch.on('close', () => resolve(count));
  });
}

/**
 * The shell's processes selected as locally (descendants and session, the shell excluded, within the start
 * window), sparing `jobs` (pid → start ticks: background jobs of earlier cells) and their descendants, and
 * anything started at or after `beforeTicks` (a later cell's processes).
 */
export function cellProcesses(procs: RemoteProc[], shellPid: number, sel: Selection, jobs: ReadonlyMap<number, number>, beforeTicks?: number): number[] {
  const spare = new Map<number, number>();
  for (const p of procs) {
    const t = jobs.get(p.pid);
    if (t !== undefined && (p.ticks === undefined ? Math.abs(t - p.startMs) < 1500 : t === p.ticks)) spare.set(p.pid, p.startMs);
  }
  const picked = selectShellProcesses(procs, shellPid, { ...sel, spare });
  if (beforeTicks === undefined) return picked;
  const ticks = new Map(procs.map((p) => [p.pid, p.ticks]));
  return picked.filter((pid) => (ticks.get(pid) ?? 0) < beforeTicks);
}
