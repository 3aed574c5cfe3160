// Output blocks: what a cell printed, written after it so GitHub shows it as a code block:
//   <!-- runbook:output {"cell":"x","exit":0} -->
//   ```text
//   ...
//   ```
//   <!-- /runbook:output -->
import type { CellOutput, Eol, OutputMeta } from './model.js';
import type { LineIndex } from './lineIndex.js';

const OPEN = /^<!-- runbook:output (\{.*\}) -->$/;
const CLOSE = '<!-- /runbook:output -->';
const INNER_OPEN = /^(`{3,}|~{3,})([^`\s]*)[ \t]*$/;

export interface ParsedOutput {
  output: CellOutput;
  /** First line after the block. */
  end: number;
}

/** Reads an output block starting at line `i`; undefined when the lines there are not a well-formed block. */
export function readOutputBlock(L: LineIndex, i: number, to: number): ParsedOutput | undefined {
  if (i + 2 >= to || L.text.charCodeAt(L.starts[i]!) !== 60) return undefined;
  const open = OPEN.exec(L.line(i));
  if (!open) return undefined;
  let meta: unknown;
  try {
    meta = JSON.parse(open[1]!);
  } catch {
    return undefined;
  }
  if (!meta || typeof meta !== 'object' || Array.isArray(meta)) return undefined;
  const fence = INNER_OPEN.exec(L.line(i + 1));
  if (!fence) return undefined;
  const marker = fence[1]!;
  for (let j = i + 2; j + 1 < to; j++) {
    if (!isClosingFence(L.line(j), marker)) continue;
    if (L.line(j + 1) !== CLOSE) return undefined;
    const lines: string[] = [];
    for (let k = i + 2; k < j; k++) lines.push(L.line(k));
    return {
      output: { meta: meta as OutputMeta, text: lines.length ? lines.join('\n') + '\n' : '', lang: fence[2] || 'text' },
      end: j + 2,
    };
  }
  return undefined;
}

/** A closing fence as CommonMark reads it: up to three spaces, the marker or longer, spaces. */
function isClosingFence(line: string, marker: string): boolean {
  let k = 0;
  while (k < 3 && line.charCodeAt(k) === 32) k++;
  const from = k;
  while (k < line.length && line[k] === marker[0]) k++;
  return k - from >= marker.length && line.slice(k).trim() === '';
}

/** Renders an output block without a final line ending. */
export function renderOutputBlock(output: CellOutput, eol: Eol): string {
  const body = output.text.endsWith('\n') ? output.text.slice(0, -1) : output.text;
  const marker = fenceFor(output.text);
  const meta = JSON.stringify(output.meta).replace(/-->/g, '--\\u003e');
  const parts = [`<!-- runbook:output ${meta} -->`, marker + (output.lang ?? 'text')];
  if (output.text !== '') parts.push(eol === '\n' ? body : body.replace(/\n/g, eol));
  parts.push(marker, CLOSE);
  return parts.join(eol);
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
