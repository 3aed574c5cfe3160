// Output blocks: what a cell printed, written after it so GitHub shows it as a code block under a visible
// caption (the metadata comment is hidden there). Short outputs:
//   <!-- runbook:output {"cell":"x","exit":0,...} -->
//   ✓ exit 0 · `local` · 2026-11-23 05:13:04 UTC · 412 ms
//   ```text
//   ...
//   ```
//   <!-- /runbook:output -->
// Long outputs fold: `<details><summary>caption · N lines</summary>`, a blank line, the code block, a blank
// line, `</details>`, a blank line, then the closing comment. Every line carries the indentation of the
// cell's fence, so an output stays inside the list item of its cell. Blocks written before captions existed
// (the comment directly followed by the fence) read the same way. Exact format: docs/DESIGN-NOTES.md.
import type { LineIndex } from './lineIndex.js';
import type { CellOutput, Eol, OutputMeta } from './model.js';
import { captionParts, htmlCaption, markdownCaption } from './outputCaption.js';

const OPEN = /^<!-- runbook:output (\{.*\}) -->$/;
const CLOSE = '<!-- /runbook:output -->';
const INNER_OPEN = /^(`{3,}|~{3,})([^`\s]*)[ \t]*$/;
/** Lines allowed between the opening comment and the inner fence (caption, `<details>` and its blank line). */
const MAX_HEAD = 3;
/** Outputs longer than this many lines (or characters) fold under their caption on GitHub. */
export const FOLD_LINES = 20;
export const FOLD_CHARS = 4000;

export interface ParsedOutput {
  output: CellOutput;
  /** First line after the block. */
  end: number;
}

/**
 * Reads an output block starting at line `i` whose lines all begin with `prefix` (the indentation of the
 * cell's fence; blank lines may be shorter); undefined when the lines there are not a well-formed block.
 */
export function readOutputBlock(L: LineIndex, i: number, to: number, prefix = ''): ParsedOutput | undefined {
  const at = L.starts[i]! + prefix.length;
  if (i + 2 >= to || L.text.charCodeAt(at) !== 60 || !L.text.startsWith(prefix, L.starts[i])) return undefined;
  const line = (k: number): string | undefined => {
    const s = L.line(k);
    if (!prefix) return s;
    if (s.startsWith(prefix)) return s.slice(prefix.length);
    return /^[ \t]*$/.test(s) ? '' : undefined;
  };
  const open = OPEN.exec(line(i)!);
  if (!open) return undefined;
  let meta: unknown;
  try {
    meta = JSON.parse(open[1]!);
  } catch {
    return undefined;
  }
  if (!meta || typeof meta !== 'object' || Array.isArray(meta)) return undefined;
  let f = i + 1;
  let fence: RegExpExecArray | null = null;
  for (; f < to && f <= i + 1 + MAX_HEAD; f++) {
    const s = line(f);
    if (s === undefined || s === CLOSE || OPEN.test(s)) return undefined;
    if ((fence = INNER_OPEN.exec(s))) break;
  }
  if (!fence) return undefined;
  const marker = fence[1]!;
  const lines: string[] = [];
  for (let j = f + 1; j + 1 < to; j++) {
    const s = line(j);
    if (s === undefined) return undefined;
    if (!isClosingFence(s, marker)) {
      lines.push(s);
      continue;
    }
    const end = closeAfter(line, j + 1, to);
    if (end < 0) return undefined;
    return {
      output: { meta: meta as OutputMeta, text: lines.length ? lines.join('\n') + '\n' : '', lang: fence[2] || 'text' },
      end,
    };
  }
  return undefined;
}

/** After the inner closing fence: blank lines and `</details>`, then the closing comment; its next line. */
function closeAfter(line: (k: number) => string | undefined, from: number, to: number): number {
  for (let k = from; k < to && k <= from + MAX_HEAD; k++) {
    const s = line(k);
    if (s === CLOSE) return k + 1;
    if (s === undefined || !/^[ \t]*(<\/details>[ \t]*)?$/.test(s)) return -1;
  }
  return -1;
}

/** A closing fence as CommonMark reads it: up to three spaces, the marker or longer, spaces. */
function isClosingFence(line: string, marker: string): boolean {
  let k = 0;
  while (k < 3 && line.charCodeAt(k) === 32) k++;
  const from = k;
  while (k < line.length && line[k] === marker[0]) k++;
  return k - from >= marker.length && line.slice(k).trim() === '';
}

/** Renders an output block without a final line ending, each non-empty line indented with `indent`. */
export function renderOutputBlock(output: CellOutput, eol: Eol, indent = ''): string {
  const body = output.text.endsWith('\n') ? output.text.slice(0, -1) : output.text;
  const marker = fenceFor(output.text);
  const meta = JSON.stringify(output.meta).replace(/-->/g, '--\\u003e');
  const parts = captionParts(output.meta);
  const lineCount = output.text === '' ? 0 : body.split('\n').length;
  const fold = parts !== undefined && (lineCount > FOLD_LINES || output.text.length > FOLD_CHARS);
  const lines = [`<!-- runbook:output ${meta} -->`];
  if (fold) lines.push(`<details><summary>${htmlCaption(parts, `${lineCount} line${lineCount === 1 ? '' : 's'}`)}</summary>`, '');
  else if (parts) lines.push(markdownCaption(parts));
  lines.push(marker + (output.lang ?? 'text'));
  if (output.text !== '') lines.push(...body.split('\n'));
  lines.push(marker);
  if (fold) lines.push('', '</details>', '');
  lines.push(CLOSE);
  return lines.map((l) => (l === '' ? l : indent + l)).join(eol);
}

/** A backtick fence longer than any backtick run in the text (at least three). */
export function fenceFor(text: string): string {
  let longest = 0;
  let run = 0;
  for (let i = 0; i < text.length; i++) {
    if (text.charCodeAt(i) === 96) {
      run++;
      if (run > longest) longest = run;
    } else run = 0;
  }
  return '`'.repeat(Math.max(3, longest + 1));
}
