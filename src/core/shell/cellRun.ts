// The state of one cell between sending it to the shell and its result: streams, markers seen, cancel
// state and timers. It resolves exactly once, whichever way the cell ends.

import { performance } from 'node:perf_hooks';
import type { PromptWatcher } from '../prompt/promptWatcher.js';
import type { Redactor } from '../redact/redactor.js';
import { CellStream } from './cellStream.js';
import { newCookie } from './cookie.js';
import type { CellResult, RunOptions } from './types.js';

export interface FinishFields {
  exitCode: number | null;
  sessionEnded?: boolean;
  message?: string;
}

export class CellRun {
  readonly startedAtMs = Date.now();
  /** Marks every process the cell starts (cookie.ts): cancel and timeout sweep by it. */
  readonly cookie = newCookie();
  private readonly t0 = performance.now();
  readonly stdout: CellStream;
  readonly stderr: CellStream;
  /** A stream is closed once its own marker arrived: later text there belongs to no cell. */
  stdoutClosed = false;
  stderrClosed = false;
  sawStderrMarker = false;
  /** Exit status and `$-` from the stdout marker. */
  exit: { code: number; flags: string } | undefined;
  cancelled = false;
  timedOut = false;
  /** "cancelled" or "timed out after …": leads the result's message. */
  stopMessage: string | undefined;
  endedAtMs: number | undefined;
  /** Watches for prompts while the cell runs (sessions with a terminal). */
  prompts: PromptWatcher | undefined;
  private timers: NodeJS.Timeout[] = [];
  private resolve!: (result: CellResult) => void;
  readonly done = new Promise<CellResult>((r) => (this.resolve = r));

  constructor(
    readonly seq: number,
    readonly freshSession: boolean,
    maxBytes: number,
    redact: Redactor | undefined,
    options: RunOptions,
  ) {
    this.stdout = new CellStream(maxBytes, redact, options.onStdout);
    this.stderr = new CellStream(maxBytes, redact, options.onStderr);
  }

  get finished(): boolean {
    return this.endedAtMs !== undefined;
  }

  /** Runs `fn` after `ms` unless the cell has finished by then. */
  later(ms: number, fn: () => void): void {
    const t = setTimeout(() => this.finished || fn(), ms);
    t.unref?.();
    this.timers.push(t);
  }

  finish(fields: FinishFields): void {
    if (this.finished) return;
    this.endedAtMs = Date.now();
    for (const t of this.timers) clearTimeout(t);
    this.prompts?.stop();
    const prompts = this.prompts?.records ?? [];
    const out = this.stdout.end();
    const err = this.stderr.end();
    this.resolve({
      exitCode: fields.exitCode,
      stdout: out.text,
      stderr: err.text,
      cutBytes: out.cutBytes + err.cutBytes,
      durationMs: Math.round(performance.now() - this.t0),
      startedAt: new Date(this.startedAtMs).toISOString(),
      cancelled: this.cancelled,
      timedOut: this.timedOut,
      sessionEnded: fields.sessionEnded ?? false,
      freshSession: this.freshSession,
      ...(fields.message ? { message: fields.message } : {}),
      ...(prompts.length ? { prompts } : {}),
    });
  }
}
