// Watches one running cell for "waiting for input": when its output has been quiet for a moment, the
// shell's host is probed (probe.ts); a waiting cell's prompt goes to whoever can answer (AnswerPrompt), and
// the answer (or end-of-input, Ctrl-D on the terminal) is written to the terminal. Quiet cells are probed
// again with growing pauses; any output starts over. Nothing is asked once the cell has ended.

import { EchoFilter } from './echoFilter.js';
import { isHiddenPrompt, isWaiting, type ProbeResult } from './probe.js';
import { findPrompt, sanitizeAnswer } from './promptText.js';
import type { AnswerPrompt, PromptAnswer, PromptRecord } from '../contract/prompt.js';

/** Output quiet for this long before the first probe: a prompt has been printed in full by then. */
export const QUIET_MS = 250;
/** End-of-input on a cooked terminal line. */
export const EOF_CHAR = '\x04';
const TAIL = 600;
/** A program that asks again after every end-of-input is left waiting after this many (until timeout/cancel). */
const MAX_UNANSWERED = 3;

export interface PromptWatcherHooks {
  /** Probes the shell's host; undefined when it cannot be probed (no terminal, connection gone). */
  probe(): Promise<ProbeResult | undefined>;
  /** Writes to the cell's terminal. */
  write(text: string): void;
  /** Asks the person; undefined when nobody can be asked (no terminal, no window). */
  ask?: AnswerPrompt;
  /** Applied to the prompt text before anyone sees it (secrets never leave the core). */
  redact?: (text: string) => string;
  /** Longest pause between probes of a quiet cell (larger over SSH: each probe is a channel). */
  maxDelayMs?: number;
}

export class PromptWatcher {
  readonly records: PromptRecord[] = [];
  private readonly echo = new EchoFilter();
  private tail = '';
  private delay = QUIET_MS;
  private timer: NodeJS.Timeout | undefined;
  private asking: AbortController | undefined;
  private probing = false;
  private stopped = false;
  private unanswered = 0;

  constructor(private readonly hooks: PromptWatcherHooks) {}

  start(): void {
    this.schedule(QUIET_MS);
  }

  /** Output of the cell (any stream, in arrival order): prompts are found in it, and it resets the quiet timer. */
  onOutput(text: string): void {
    if (this.stopped || !text) return;
    this.tail = (this.tail + text).slice(-TAIL);
    if (!this.asking) this.schedule(QUIET_MS);
  }

  /** Terminal output with the echo of a typed answer removed. */
  filterTerminal(text: string): string {
    return this.echo.filter(text);
  }

  /** The cell ended: no more probes; an open question is withdrawn. */
  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.asking?.abort();
  }

  private schedule(ms: number): void {
    if (this.stopped) return;
    if (this.timer) clearTimeout(this.timer);
    this.delay = ms;
    this.timer = setTimeout(() => void this.check(), ms);
    this.timer.unref?.();
  }

  private async check(): Promise<void> {
    this.timer = undefined;
    if (this.stopped || this.asking || this.probing) return;
    this.probing = true;
    let probe: ProbeResult | undefined;
    try {
      probe = await this.hooks.probe();
    } catch {
      probe = undefined;
    } finally {
      this.probing = false;
    }
    if (this.stopped || this.asking) return;
    if (!probe?.tty) return; // no terminal: nothing can wait on it
    if (this.timer) return; // output arrived meanwhile: its own quiet timer runs
    const found = findPrompt(this.tail);
    if (isWaiting(probe, found.partial)) return this.ask(found.text, probe.echoOff);
    this.schedule(Math.min(this.delay * 2, this.hooks.maxDelayMs ?? 2000));
  }

  private async ask(rawText: string, echoOff: boolean): Promise<void> {
    const text = this.hooks.redact ? this.hooks.redact(rawText) : rawText;
    const record: PromptRecord = { text, hidden: isHiddenPrompt(rawText, echoOff), outcome: 'abandoned' };
    this.records.push(record);
    const controller = new AbortController();
    this.asking = controller;
    let answer: PromptAnswer;
    try {
      answer = this.hooks.ask ? await this.hooks.ask({ text, hidden: record.hidden }, controller.signal) : { kind: 'nobody' };
    } catch {
      answer = { kind: 'eof' };
    }
    this.asking = undefined;
    if (this.stopped || controller.signal.aborted) return; // the cell ended first: nothing is written
    this.tail = '';
    if (answer.kind === 'answer') {
      const line = `${sanitizeAnswer(answer.text)}\n`;
      this.echo.expect(line);
      this.hooks.write(line);
      record.outcome = 'answered';
      this.unanswered = 0;
    } else {
      this.hooks.write(EOF_CHAR);
      record.outcome = answer.kind;
      if (++this.unanswered >= MAX_UNANSWERED) return;
    }
    this.schedule(QUIET_MS);
  }
}
