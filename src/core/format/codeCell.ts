// Fenced code cells: reading one from its lines and writing it back.
import { parseInfo, renderInfo, sameAttributes } from './attributes.js';
import type { FenceBlock } from './blockScanner.js';
import { fenceLangOf, languageIdOf } from './languages.js';
import { LineIndex } from './lineIndex.js';
import type { CodeCell, Eol } from './model.js';

/** Builds a code cell from a fence found by the scanner (outputs and gap are filled in by the caller). */
export function codeCellFrom(L: LineIndex, block: FenceBlock): CodeCell {
  const { lang, attributes, json } = parseInfo(block.info);
  const contentEnd = block.close >= 0 ? block.close : block.end;
  const strip = columnsOf(block.indent);
  const lines: string[] = [];
  let indentedBlanks = 0;
  for (let j = block.open + 1; j < contentEnd; j++) {
    const line = L.line(j);
    // In a list item a blank line is blank whatever its spaces (CommonMark's item continuation eats them).
    const content = block.inList && /^[ \t]*$/.test(line) ? '' : strip ? stripColumns(line, strip) : line;
    if (content === '' && line !== '') indentedBlanks++;
    lines.push(content);
  }
  const cell: CodeCell = {
    kind: 'code',
    language: languageIdOf(lang),
    source: lines.join('\n'),
    fence: { indent: block.indent, marker: block.marker, info: block.info, lang, close: block.close >= 0 ? L.line(block.close) : null },
    attributes,
    outputs: [],
    gap: '',
  };
  if (block.lead !== undefined) cell.fence.lead = block.lead;
  if (block.inList) cell.fence.inList = true;
  if (json) cell.fence.jsonAttributes = true;
  if (indentedBlanks) cell.fence.indentBlankLines = true;
  if (block.runsToEnd) cell.fence.runsToEnd = true;
  return cell;
}

/** Columns of leading whitespace (tabs to the next multiple of 4). */
export function columnsOf(ws: string): number {
  let cols = 0;
  for (let k = 0; k < ws.length; k++) {
    const c = ws.charCodeAt(k);
    if (c === 32) cols++;
    else if (c === 9) cols += 4 - (cols % 4);
    else break;
  }
  return cols;
}

/**
 * Removes up to `cols` columns of leading whitespace as CommonMark does: a tab that reaches past them
 * leaves its remaining columns as spaces.
 */
export function stripColumns(line: string, cols: number): string {
  let col = 0;
  let k = 0;
  while (k < line.length && col < cols) {
    const c = line.charCodeAt(k);
    if (c === 32) col++;
    else if (c === 9) {
      const next = col + 4 - (col % 4);
      if (next > cols) return ' '.repeat(next - cols) + line.slice(k + 1);
      col = next;
    } else break;
    k++;
  }
  return k ? line.slice(k) : line;
}

/**
 * The fenced block's text, without the final line ending. `closeOpen` says whether something is written
 * after the cell that an unclosed fence would swallow (new outputs, another cell): the fence gets closed.
 */
export function renderCodeCell(cell: CodeCell, eol: Eol, closeOpen = false): string {
  if (cell.fence.close === null && closeOpen) {
    return renderCodeCell({ ...cell, raw: undefined, fence: { ...cell.fence, close: cell.fence.indent + cell.fence.marker, runsToEnd: false } }, eol);
  }
  if (cell.raw !== undefined && rawStillValid(cell)) return cell.raw;
  const f = cell.fence;
  const parsed = parseInfo(f.info);
  const langUnchanged = languageIdOf(parsed.lang) === cell.language;
  let info = f.info;
  if (!langUnchanged || !sameAttributes(parsed.attributes, cell.attributes)) {
    info = renderInfo(langUnchanged ? parsed.lang : fenceLangOf(cell.language), cell.attributes, !!f.jsonAttributes);
  }
  const lines = cell.source === '' ? [] : cell.source.split('\n');
  let marker = f.marker;
  let close = f.close;
  if (cell.source.includes(marker)) {
    // Make sure no line of an edited source can close the fence early. (An unchanged cell never has
    // such a line, or the parser's self-check stored its original bytes.)
    const safe = safeMarker(lines, marker);
    if (safe !== marker) {
      close = close === null ? null : f.indent + safe;
      marker = safe;
    }
  }
  const out = [(f.lead ?? f.indent) + marker + info];
  const blank = f.indentBlankLines ? f.indent : '';
  for (const line of lines) out.push(line === '' ? blank : f.indent + line);
  if (close !== null) out.push(close);
  // A line that ends in a lone "\r" (the last line of a file can) keeps it only before "\r\n".
  if (eol === '\n' && cell.source.includes('\r')) return out.map((l, k) => (k < out.length - 1 && l.endsWith('\r') ? l + '\r\n' : k < out.length - 1 ? l + eol : l)).join('');
  return out.join(eol);
}

/** A fence marker longer than any line of the source that would close it. */
export function safeMarker(lines: string[], marker: string): string {
  const ch = marker[0]!;
  let need = marker.length;
  for (const line of lines) {
    const t = line.trimStart();
    if (t[0] !== ch || line.length - t.length > 3) continue;
    let k = 0;
    while (t[k] === ch) k++;
    if (k >= need && t.slice(k).trim() === '') need = k + 1;
  }
  return ch.repeat(need);
}

/** Whether the cell still says what its original bytes say (then those bytes are written back). */
function rawStillValid(cell: CodeCell): boolean {
  const L = new LineIndex(cell.raw!);
  const f = cell.fence;
  const block: FenceBlock = {
    kind: 'fence', open: 0, close: f.close === null ? -1 : L.count - 1, end: L.count, indent: f.indent, marker: f.marker, info: f.info,
  };
  if (f.lead !== undefined) block.lead = f.lead;
  if (f.inList) block.inList = true;
  const again = codeCellFrom(L, block);
  return again.source === cell.source && again.language === cell.language && sameAttributes(again.attributes, cell.attributes);
}

/** A new code cell as VS Code creates it (no original bytes). */
export function newFence(language: string, source: string): CodeCell['fence'] {
  const marker = safeMarker(source.split('\n'), '```');
  const lang = fenceLangOf(language);
  return { indent: '', marker, info: lang, lang, close: marker };
}
