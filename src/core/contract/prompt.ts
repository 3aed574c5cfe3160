// A running cell that waits for input (sudo's password, `read`, a y/N question) and what became of it.
// The answer itself is never part of any of these shapes that reach a record: only the prompt text.

/** What the person is asked. */
export interface InputPrompt {
  /** The prompt as the cell printed it (last line, redacted); empty when the command printed none. */
  text: string;
  /** Echo is off on the terminal or the prompt asks for a password: use a password box. */
  hidden: boolean;
}

/** Who asks: shown next to the prompt so the person knows which cell and which machine. */
export interface PromptContext {
  cellName: string;
  /** `user@host:port` or `user@hostname`. */
  target: string;
}

/** An answer (sent followed by Enter), end-of-input (Escape, Ctrl-D), or nobody there to answer. */
export type PromptAnswer = { kind: 'answer'; text: string } | { kind: 'eof' } | { kind: 'nobody' };

/** Asks the person; `signal` aborts when the question is moot (the cell ended, was cancelled or timed out). */
export type AnswerPrompt = (prompt: InputPrompt, signal: AbortSignal) => Promise<PromptAnswer>;

/** What the record keeps about one question: never the answer. */
export interface PromptRecord {
  text: string;
  hidden: boolean;
  outcome: 'answered' | 'eof' | 'nobody' | 'abandoned';
}

/** One line for the record saying what was asked and what happened (the answer is never in it). */
export function describePrompt(p: PromptRecord): string {
  const asked = p.text ? `the cell asked "${p.text}"` : 'the cell waited for input';
  switch (p.outcome) {
    case 'answered':
      return `${asked}: answered (${p.hidden ? 'hidden input, ' : ''}the answer is not recorded)`;
    case 'eof':
      return `${asked}: the operator sent end-of-input`;
    case 'nobody':
      return `${asked} and no one answered (no terminal or window to ask in): it got end-of-input`;
    case 'abandoned':
      return `${asked}: the cell ended before it was answered`;
  }
}
