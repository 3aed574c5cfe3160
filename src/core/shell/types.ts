// Public shapes of the shell session API (local and, later, SSH).

import type { AnswerPrompt, PromptRecord } from '../contract/prompt.js';
import type { Redactor } from '../redact/redactor.js';
import type { TransportFactory } from './transport.js';

export interface ShellSessionOptions {
  /** Where the shell runs (default: a local bash, see localTransport). */
  transport?: TransportFactory;
  /** Bytes kept per stream in a result: half head, half tail (default 256 KiB). */
  maxOutputBytes?: number;
  /** Applied to everything before it reaches a listener or a result (secrets never leave the core). */
  redact?: Redactor;
  /** Default timeout of a cell; none when undefined or 0. */
  timeoutMs?: number;
  /** Exported into every shell the session starts. */
  variables?: Record<string, string>;
}

export interface RunOptions {
  /** Cancels the cell: its process tree is stopped (stopCell.ts). */
  signal?: AbortSignal;
  /** Overrides the session's default timeout for this cell (0: none). */
  timeoutMs?: number;
  /** Called with each piece of stdout as it arrives (already redacted). */
  onStdout?: (chunk: string) => void;
  onStderr?: (chunk: string) => void;
  /** Asks the person when the cell waits for input; without it such a cell gets end-of-input at once. */
  onPrompt?: AnswerPrompt;
}

export interface CellResult {
  /** Exit status of the cell; null when unknown (the shell died, or was restarted to stop the cell). */
  exitCode: number | null;
  /** Capped: head and tail kept with a "… N bytes cut …" line between them. */
  stdout: string;
  stderr: string;
  /** Bytes left out of stdout and stderr together. */
  cutBytes: number;
  durationMs: number;
  /** ISO time (UTC) when the cell was sent to the shell. */
  startedAt: string;
  cancelled: boolean;
  timedOut: boolean;
  /** The shell is gone (exit in the cell, crash, restart): the next run starts a fresh one. */
  sessionEnded: boolean;
  /** This run started a new shell: state from earlier cells is not there. */
  freshSession: boolean;
  /** Human-readable explanation for anything but a normal end (cancel, timeout, session ended). */
  message?: string;
  /** Questions the cell asked (prompt text and outcome; never the answers). */
  prompts?: PromptRecord[];
}
