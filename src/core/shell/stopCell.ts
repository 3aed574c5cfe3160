// Stopping a running cell (cancel or timeout) while keeping the shell when possible: the shell is asked to
// leave the cell (CANCEL_SIGNAL, see framing.ts), the cell's processes get SIGTERM, whatever is left gets
// SIGKILL 400 ms later, and a shell that has still not come back after 900 ms (over SSH: longer, see
// ShellTransport.restartAfterMs) is restarted: the cell always ends within a few seconds, and no process of it is left behind. "The cell's processes" are its part of the
// shell's tree and session plus every process carrying its environment cookie (cookie.ts): daemons that
// double-forked and left the session die too.

import type { CellRun } from './cellRun.js';
import { CANCEL_SIGNAL } from './framing.js';
import type { ShellTransport } from './transport.js';

export const KILL_AFTER_MS = 400;
export const RESTART_AFTER_MS = 900;

export interface StopHooks {
  /** Whether this transport is still the session's current one (a restart may have replaced it). */
  isCurrent(): boolean;
  /** Restarts the session, ending the cell with the given message. */
  restart(message: string): void;
}

/**
 * Returns when the SIGKILL round is over: the session starts no new cell before that, because process start
 * times are only known to about 10 ms and the round would otherwise catch the next cell's first processes.
 */
export function stopCell(t: ShellTransport, run: CellRun, hooks: StopHooks): Promise<void> {
  t.signalShell(CANCEL_SIGNAL);
  quietly(t.signalCell('SIGTERM', run.startedAtMs, undefined, run.cookie));
  // Not tied to the result: a process ignoring SIGTERM is killed even if the shell came back at once.
  const killed = new Promise<void>((resolve) => {
    setTimeout(() => {
      if (!hooks.isCurrent()) return resolve();
      t.signalCell('SIGKILL', run.startedAtMs, run.endedAtMs, run.cookie).catch(() => undefined).then(() => resolve());
    }, KILL_AFTER_MS).unref?.();
  });
  // `return` in the trap may only have left a function the cell called: ask again.
  run.later(KILL_AFTER_MS + 10, () => t.signalShell(CANCEL_SIGNAL));
  run.later(t.restartAfterMs ?? RESTART_AFTER_MS, () => {
    if (hooks.isCurrent()) {
      hooks.restart('the shell did not come back from the cell, so the session was restarted; a new session starts on the next run');
    }
  });
  return killed;
}

export function formatSeconds(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${(ms / 1000).toFixed(1)} s`;
}

/** Stopping is best effort: a failed process listing must not become an unhandled rejection. */
function quietly(p: Promise<unknown>): void {
  p.catch(() => undefined);
}
