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
// (the comment directly followed by the fence) read the same way. An output with an image (a PromQL chart)
// has, after the code block (and after `</details>`), a blank line and one markdown image line
// `![alt](relative/link.svg)` right before the closing comment: GitHub shows the picture there. Exact
// format: docs/DESIGN-NOTES.md.
import type { LineIndex } from './lineIndex.js';
import type { CellOutput, Eol, OutputImage, OutputMeta } from './model.js';
import { captionParts, htmlCaption, markdownCaption } from './outputCaption.js';

const OPEN = /^<!-- runbook:output (\{.*\}) -->$/;
const CLOSE = '<!-- /runbook:output -->';
const INNER_OPEN = /^(`{3,}|~{3,})([^`\s]*)[ \t]*$/;
/** The image line after the code block: alt without brackets or backslashes, a link without spaces or parentheses. */
const IMAGE = /^!\[([^[\]\\]*)\]\(([^()\s<>\\]+)\)$/;
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
  const t = L.text;
  for (let j = f + 1; j + 1 < to; j++) {
    // The closing fence, checked in place: output lines are most of a record's bytes.
    let k = L.starts[j]!;
    const e = L.ends[j]!;
    if (prefix) {
      if (t.startsWith(prefix, k)) k += prefix.length;
      else if (isBlankAt(t, k, e)) continue;
      else return undefined;
    }
    if (!closesAt(t, k, e, marker)) continue;
    const tail = closeAfter(line, j + 1, to);
    if (!tail) return undefined;
    const output: CellOutput = { meta: meta as OutputMeta, text: contentOf(L, f + 1, j, prefix, line), lang: fence[2] || 'text' };
    if (tail.image) output.image = tail.image;
    return { output, end: tail.end };
  }
  return undefined;
}

/** Lines [from, to) of the block without the prefix, joined with "\n", with a final "\n" ("" when none). */
function contentOf(L: LineIndex, from: number, to: number, prefix: string, line: (k: number) => string | undefined): string {
  if (from >= to) return '';
  if (!prefix) {
    const s = L.text.slice(L.starts[from], L.ends[to - 1]);
    return (s.includes('\r') ? s.replace(/\r\n/g, '\n') : s) + '\n';
  }
  const lines: string[] = [];
  for (let k = from; k < to; k++) lines.push(line(k)!);
  return lines.join('\n') + '\n';
}

function isBlankAt(t: string, from: number, to: number): boolean {
  for (let k = from; k < to; k++) {
    const c = t.charCodeAt(k);
    if (c !== 32 && c !== 9) return false;
  }
  return true;
}

/** A closing fence as CommonMark reads it at t[k..e): up to three spaces, the marker or longer, spaces. */
function closesAt(t: string, k: number, e: number, marker: string): boolean {
  const stop = Math.min(k + 3, e);
  while (k < stop && t.charCodeAt(k) === 32) k++;
  const ch = marker.charCodeAt(0);
  const from = k;
  while (k < e && t.charCodeAt(k) === ch) k++;
  return k - from >= marker.length && isBlankAt(t, k, e);
}

/**
 * After the inner closing fence: blank lines and `</details>`, at most one image line, then the closing
 * comment. Its next line and the image; undefined when the lines there are something else.
 */
function closeAfter(line: (k: number) => string | undefined, from: number, to: number): { end: number; image?: OutputImage } | undefined {
  let image: OutputImage | undefined;
  for (let k = from; k < to && k <= from + MAX_HEAD + 1; k++) {
    const s = line(k);
    if (s === CLOSE) return image ? { end: k + 1, image } : { end: k + 1 };
    const m = s === undefined || image ? null : IMAGE.exec(s);
    if (m) image = { alt: m[1]!, src: m[2]! };
    else if (s === undefined || image || !/^[ \t]*(<\/details>[ \t]*)?$/.test(s)) return undefined;
  }
  return undefined;
}

/** The image line as written: alt and link made safe for the line's grammar (IMAGE). */
export function imageLine(image: OutputImage): string {
  const alt = image.alt.replace(/[[\]\\\r\n]+/g, ' ').replace(/\s+/g, ' ').trim();
  const src = image.src.replace(/[()\s<>\\]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`);
  return `![${alt}](${src})`;
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
  if (output.image?.src) {
    if (!fold) lines.push('');
    lines.push(imageLine(output.image));
  }
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
