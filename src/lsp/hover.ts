// Hover on a host, connection or variable name anywhere in a runbook (fence attributes, front matter,
// prose, cells) shows what it resolves to.
import type { CheckContext } from '../core/check/index.js';
import { describeConnection, describeHost, describeVariable } from './describe.js';
import type { Spot } from './views.js';

export interface HoverResult {
  markdown: string;
  /** Characters [start, end) of the word on the line (in the spot's coordinates). */
  start: number;
  end: number;
}

export function hover(ctx: CheckContext, spot: Spot): HoverResult | undefined {
  const text = spot.in === 'fence' ? spot.info : spot.lineText;
  const at = spot.in === 'fence' ? spot.offset : spot.character;
  const word = wordAt(text, at);
  if (!word) return undefined;
  const parts = [
    ctx.hostNames.has(word.text) || ctx.sshAliases.has(word.text) || (spot.in === 'fence' && word.text === 'local')
      ? describeHost(ctx, word.text) : undefined,
    describeConnection(ctx, word.text),
    ctx.variableNames.has(word.text) ? describeVariable(ctx, word.text) : undefined,
  ].filter((p): p is string => !!p);
  return parts.length ? { markdown: parts.join('\n\n---\n\n'), start: word.start, end: word.end } : undefined;
}

function wordAt(text: string, at: number): { text: string; start: number; end: number } | undefined {
  const isWord = (c: string | undefined) => c !== undefined && /[\w.-]/.test(c);
  let start = at;
  let end = at;
  while (start > 0 && isWord(text[start - 1])) start--;
  while (end < text.length && isWord(text[end])) end++;
  // Trailing dots and dashes belong to the sentence, not the name.
  while (end > start && /[.-]/.test(text[end - 1]!)) end--;
  return end > start ? { text: text.slice(start, end), start, end } : undefined;
}
