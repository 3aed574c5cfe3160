// The prompt a waiting cell printed: the unfinished last line of its recent output (sudo's "[sudo] password
// for ann: ", `read -p`), or a last line that reads as a question. Terminal escapes are removed.

const MAX = 200;
/* eslint-disable no-control-regex -- terminal escapes and control characters are what these remove */
const ESCAPES = /\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[@-_]/g;
const CONTROLS = /[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]/g;
const ANSWER_CONTROLS = /[\x00-\x08\x0a-\x1f\x7f]/g;
/* eslint-enable no-control-regex */

export interface FoundPrompt {
  text: string;
  /** The output ends in an unfinished line (what prompts do). */
  partial: boolean;
}

export function findPrompt(tail: string): FoundPrompt {
  const clean = tail.replace(ESCAPES, '').replace(/\r\n?/g, '\n').replace(CONTROLS, '');
  const nl = clean.lastIndexOf('\n');
  const last = clean.slice(nl + 1).trim();
  if (last) return { text: clip(last), partial: true };
  const lines = clean.split('\n').map((l) => l.trim()).filter(Boolean);
  const previous = lines[lines.length - 1] ?? '';
  return { text: /[:?>]$/.test(previous) ? clip(previous) : '', partial: false };
}

function clip(s: string): string {
  return s.length > MAX ? `…${s.slice(s.length - MAX)}` : s;
}

/** An answer as it may be typed on a terminal line: no control characters (they would edit, signal or end it). */
export function sanitizeAnswer(answer: string): string {
  return answer.replace(/[\r\n]+/g, ' ').replace(ANSWER_CONTROLS, '');
}
