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
/**
 * With nobody to ask, the prompt text only goes into the record, so the cell is probed almost at once:
 * its readers get end-of-input about as soon as they read, as with stdin at /dev/null.
 */
export const QUIET_NOBODY_MS = 20;
/** End-of-input on a cooked terminal line. */
export const EOF_CHAR = '\x04';
const TAIL = 600;
/**
 * A program that asks again after every end-of-input is left waiting after this many (until timeout/cancel),
 * so the person is not asked over and over. With nobody to ask there is no limit: every read of the terminal
 * gets end-of-input, whichever program reads and however often.
 */
const MAX_UNANSWERED = 3;
/** With nobody to ask, the record keeps this many questions of one cell (a program may read in a loop). */
const MAX_NOBODY_RECORDS = 20;

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
  private readonly quietMs: number;
  private delay: number;
  private timer: NodeJS.Timeout | undefined;
  private asking: AbortController | undefined;
  private probing = false;
  /** A check came while a probe was out. */
  private recheck = false;
  private outputCount = 0;
  private stopped = false;
  private unanswered = 0;
  /** One extra quiet period was spent waiting for a prompt's text. */
  private waitedForText = false;

  constructor(private readonly hooks: PromptWatcherHooks) {
    this.quietMs = hooks.ask ? QUIET_MS : QUIET_NOBODY_MS;
    this.delay = this.quietMs;
  }

  start(): void {
    this.schedule(this.quietMs);
  }

  /** Output of the cell (any stream, in arrival order): prompts are found in it, and it resets the quiet timer. */
  onOutput(text: string): void {
    if (this.stopped || !text) return;
    this.tail = (this.tail + text).slice(-TAIL);
    this.outputCount++;
    if (!this.asking) this.schedule(this.quietMs);
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
    if (this.stopped || this.asking) return;
    if (this.probing) {
      this.recheck = true; // a probe is out: it may predate the output that scheduled this check
      return;
    }
    this.probing = true;
    this.recheck = false;
    const outputBefore = this.outputCount;
    let probe: ProbeResult | undefined;
    try {
      probe = await this.hooks.probe();
    } catch {
      probe = undefined;
    } finally {
      this.probing = false;
    }
    if (this.stopped || this.asking) return;
    if (probe && !probe.tty) return; // no terminal: nothing can wait on it
    // Output arrived meanwhile: its own quiet timer runs, or it fired while this probe was out.
    if (this.outputCount !== outputBefore || this.recheck) {
      if (!this.timer) this.schedule(this.quietMs);
      return;
    }
    if (this.timer) return;
    const found = findPrompt(this.tail);
    // An unknown answer (the shell's pid not known yet, a probe that failed) is asked again later.
    if (probe && isWaiting(probe, found.partial)) {
      // A person is asked with the prompt's text: when none has arrived yet (it can trail the read by a few
      // milliseconds through the terminal), wait one more quiet period before asking without it.
      if (this.hooks.ask && !found.text && !this.waitedForText) {
        this.waitedForText = true;
        return this.schedule(this.quietMs);
      }
      this.waitedForText = false;
      return this.ask(found.text, probe.echoOff);
    }
    this.schedule(Math.min(this.delay * 2, this.hooks.maxDelayMs ?? 2000));
  }

  private async ask(rawText: string, echoOff: boolean): Promise<void> {
    const text = this.hooks.redact ? this.hooks.redact(rawText) : rawText;
    const record: PromptRecord = { text, hidden: isHiddenPrompt(rawText, echoOff), outcome: 'abandoned' };
    if (this.hooks.ask || this.records.length < MAX_NOBODY_RECORDS) this.records.push(record);
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
      if (this.hooks.ask && ++this.unanswered >= MAX_UNANSWERED) return;
    }
    this.schedule(this.quietMs);
  }
}
