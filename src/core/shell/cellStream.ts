// One output stream of one running cell: redact (if asked), hand every piece to the listener as it comes,
// and keep only a capped head and tail for the result. Memory stays bounded whatever the cell prints.

import type { Redactor } from '../redact/redactor.js';
import { createStreamRedactor, type StreamRedactor } from '../redact/streamRedactor.js';
import { CappedText, type CappedResult } from './cappedText.js';

export class CellStream {
  private readonly cap: CappedText;
  private readonly redactor: StreamRedactor | undefined;
  /** The redactor may hold a partial line: the session flushes it when the stream goes quiet. */
  holding = false;

  constructor(
    maxBytes: number,
    redact: Redactor | undefined,
    private readonly listener: ((chunk: string) => void) | undefined,
  ) {
    this.cap = new CappedText(maxBytes);
    this.redactor = redact ? createStreamRedactor(redact) : undefined;
  }

  push(text: string): void {
    if (!this.redactor) return this.deliver(text);
    this.holding = true; // may hold a partial line; flushIdle finds out cheaply
    this.deliver(this.redactor.push(text));
  }

  /** The stream went quiet: show a held partial line (a prompt, a progress line). */
  flushIdle(): void {
    if (!this.redactor || !this.holding) return;
    this.holding = false;
    this.deliver(this.redactor.flush());
  }

  end(): CappedResult {
    if (this.redactor) this.deliver(this.redactor.end());
    this.holding = false;
    return this.cap.result();
  }

  private deliver(text: string): void {
    if (!text) return;
    this.cap.push(text);
    try {
      this.listener?.(text);
    } catch {
      // A failing listener (the UI) must not stop the cell or lose its recorded output.
    }
  }
}
