// One writer per record: `RECORD.lock`, created with O_EXCL, holds the writer's pid, host and start time.
// A lock whose process is gone (same host) is stale and taken over; a live one makes a second run refuse
// with the holder's pid, or wait for it (`wait`). The lock is released when the run ends, also on exit.

import { closeSync, openSync, readFileSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';

export interface LockInfo {
  pid: number;
  host: string;
  started: string;
  /** Start time of the process in clock ticks since boot (/proc), so a reused pid is not taken for it. */
  ticks?: number;
}

export class RecordLockedError extends Error {
  constructor(
    readonly record: string,
    readonly holder: LockInfo | undefined,
  ) {
    super(
      holder
        ? `${record} is being written by another run (pid ${holder.pid} on ${holder.host}, since ${holder.started}); ` +
            'wait for it to finish, or add --wait to queue behind it'
        : `${record} is being written by another run (${record}.lock exists); wait for it, or remove the lock if no run is going on`,
    );
  }
}

export interface RecordLock {
  readonly path: string;
  release(): void;
}

/** A lock file without readable content younger than this is being written right now, not stale. */
const FRESH_MS = 10_000;

export function lockPathOf(record: string): string {
  return `${record}.lock`;
}

/** Who holds the lock of `record` now (a live holder only), e.g. to name a running `runbook run`. */
export function lockHolder(record: string): LockInfo | undefined {
  const seen = readLock(lockPathOf(record));
  if (seen === 'gone' || !seen) return undefined;
  return isStale(lockPathOf(record), seen) ? undefined : seen;
}

/** Takes the lock or throws RecordLockedError (or the file system's error, e.g. EACCES: not writable). */
export function tryLock(record: string): RecordLock {
  const path = lockPathOf(record);
  for (let attempt = 0; attempt < 3; attempt++) {
    const me: LockInfo = { pid: process.pid, host: hostname(), started: new Date().toISOString(), ...ticksOf(process.pid) };
    try {
      const fd = openSync(path, 'wx', 0o644);
      try {
        writeSync(fd, `${JSON.stringify(me)}\n`);
      } finally {
        closeSync(fd);
      }
      return ownLock(path, me);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
    const seen = readLock(path);
    if (seen === 'gone') continue;
    if (!isStale(path, seen)) throw new RecordLockedError(record, seen);
    removeIfUnchanged(path, seen);
  }
  throw new RecordLockedError(record, undefined);
}

/** Waits until the lock is free (polling), unless `signal` aborts; `onWait` is told once who holds it. */
export async function lock(record: string, o: { wait?: boolean; signal?: AbortSignal; onWait?: (e: RecordLockedError) => void } = {}): Promise<RecordLock> {
  let told = false;
  for (;;) {
    try {
      return tryLock(record);
    } catch (e) {
      if (!(e instanceof RecordLockedError) || !o.wait || o.signal?.aborted) throw e;
      if (!told) o.onWait?.(e);
      told = true;
      await new Promise((r) => setTimeout(r, 200));
    }
  }
}

function ownLock(path: string, me: LockInfo): RecordLock {
  let released = false;
  const release = () => {
    if (released) return;
    released = true;
    process.off('exit', release);
    const seen = readLock(path);
    if (seen !== 'gone' && seen?.pid === me.pid && seen.started === me.started) removeIfUnchanged(path, seen);
  };
  process.on('exit', release);
  return { path, release };
}

/** The lock's content; undefined when unreadable (being written, or garbage); 'gone' when it vanished. */
function readLock(path: string): LockInfo | undefined | 'gone' {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'ENOENT' ? 'gone' : undefined;
  }
  try {
    const v = JSON.parse(text) as Partial<LockInfo>;
    if (typeof v.pid === 'number' && typeof v.host === 'string' && typeof v.started === 'string') return v as LockInfo;
  } catch {
    // fall through
  }
  return undefined;
}

function isStale(path: string, info: LockInfo | undefined): boolean {
  if (!info) {
    try {
      return Date.now() - statSync(path).mtimeMs > FRESH_MS;
    } catch {
      return true;
    }
  }
  if (info.host !== hostname()) return false; // another machine (shared file system): cannot tell
  if (!alive(info.pid)) return true;
  const now = ticksOf(info.pid).ticks;
  return info.ticks !== undefined && now !== undefined && now !== info.ticks; // the pid was reused
}

function removeIfUnchanged(path: string, seen: LockInfo | undefined): void {
  const again = readLock(path);
  if (again === 'gone') return;
  if (JSON.stringify(again) !== JSON.stringify(seen)) return; // someone else took it meanwhile
  try {
    unlinkSync(path);
  } catch {
    // gone already
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function ticksOf(pid: number): { ticks?: number } {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const ticks = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19]);
    return Number.isFinite(ticks) ? { ticks } : {};
  } catch {
    return {};
  }
}
