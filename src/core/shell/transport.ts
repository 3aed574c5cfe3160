// What a shell session needs from "a bash somewhere": the local child process (localTransport.ts) and,
// later, an ssh2 channel implement this, so the session logic and framing are written once.
import type { ProbeResult } from '../prompt/probe.js';

export interface TransportExit {
  /** Exit status of the shell, or null when it was killed by a signal. */
  code: number | null;
  signal: string | null;
  /** Why the shell could not be started or reached (spawn error, lost connection). */
  error?: string;
}

export interface ShellTransport {
  /** Process id of the shell on its host, when known (tests and diagnostics). */
  readonly pid: number | undefined;
  /**
   * False while the shell is still starting (SSH connecting) and writes are only queued: a cell stopped then
   * never reached the shell and must not run later. Undefined: treated as started.
   */
  readonly started?: boolean;
  /** Writes to the shell's stdin (the framed scripts). */
  write(text: string): void;
  onStdout(listener: (chunk: Buffer) => void): void;
  onStderr(listener: (chunk: Buffer) => void): void;
  /** Called once, after the shell has exited and its output streams were drained (or given up on). */
  onExit(listener: (exit: TransportExit) => void): void;
  /** Sends `signal` to the shell process itself (not its children): used with framing's CANCEL_SIGNAL. */
  signalShell(signal: NodeJS.Signals): void;
  /**
   * Sends `signal` to the processes the shell started from `sinceMs` to `untilMs` (epoch ms; no upper bound
   * when omitted): its descendants and the members of its session, the shell itself excluded, and every
   * process carrying the cell's environment cookie (daemons that left the session). Resolves with how many
   * were signalled.
   */
  signalCell(signal: NodeJS.Signals, sinceMs: number, untilMs?: number, cookie?: string): Promise<number>;
  /**
   * Remembers the processes of the shell's tree alive now as background jobs that finished cells started on
   * purpose: signalCell leaves them (and their descendants) alone. Called when a cell changed `$!`.
   */
  rememberJobs(): void;
  /**
   * Ends the shell like a terminal hang-up (see processTree.hangUpShell): the running cell, if given, is
   * killed like a cancelled one; the shell's process group gets SIGHUP (plain background jobs end, `nohup`
   * and `setsid` ones stay); the shell is killed. Resolves when that is done (remote: the signals went out).
   * Safe to call more than once.
   */
  kill(running?: RunningCell): Promise<void>;
  /**
   * Writes to the shell's terminal (answers to a prompt); absent or a no-op when the shell has none.
   * Terminal output arrives on the stderr listeners.
   */
  writeInput?(text: string): void;
  /** Whether a cell waits for input on the terminal (prompt/probe.ts); undefined when it cannot be told. */
  probeInput?(): Promise<ProbeResult | undefined>;
  /** Longest pause between probes of a quiet cell (each probe costs a process, or a channel over SSH). */
  readonly probeMaxDelayMs?: number;
  /**
   * How long a stopped cell's shell gets to come back before the session is restarted (stopCell.ts; default
   * RESTART_AFTER_MS). Longer over SSH, where each signal is a channel round trip: a restart loses the state.
   */
  readonly restartAfterMs?: number;
}

/** The cell running when a session ends: its environment cookie and when it started (epoch ms). */
export interface RunningCell {
  cookie: string;
  sinceMs: number;
}

export type TransportFactory = () => ShellTransport;
