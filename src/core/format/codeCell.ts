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
  const strip = block.indent.length;
  const lines: string[] = [];
  let indentedBlanks = 0;
  for (let j = block.open + 1; j < contentEnd; j++) {
    const line = L.line(j);
    let k = 0;
    while (k < strip && line.charCodeAt(k) === 32) k++;
    if (strip && k === strip && k === line.length) indentedBlanks++;
    lines.push(k ? line.slice(k) : line);
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
  if (json) cell.fence.jsonAttributes = true;
  if (indentedBlanks) cell.fence.indentBlankLines = true;
  if (block.runsToEnd) cell.fence.runsToEnd = true;
  return cell;
}

/**
 * The fenced block's text, without the final line ending. `followed` says whether anything is written
 * after the cell (its outputs, another cell): a fence left open would swallow it, so it gets closed.
 */
export function renderCodeCell(cell: CodeCell, eol: Eol, followed = false): string {
  if (cell.fence.close === null && cell.fence.runsToEnd && followed) {
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
  const out = [f.indent + marker + info];
  const blank = f.indentBlankLines ? f.indent : '';
  for (const line of lines) out.push(line === '' ? blank : f.indent + line);
  if (close !== null) out.push(close);
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
  const again = codeCellFrom(L, block);
  return again.source === cell.source && again.language === cell.language && sameAttributes(again.attributes, cell.attributes);
}

/** A new code cell as VS Code creates it (no original bytes). */
export function newFence(language: string, source: string): CodeCell['fence'] {
  const marker = safeMarker(source.split('\n'), '```');
  const lang = fenceLangOf(language);
  return { indent: '', marker, info: lang, lang, close: marker };
}
