// Findings → diagnostics with ranges in the markdown text the document was parsed from.
import { LineIndex } from '../format/lineIndex.js';
import type { RunbookDocument } from '../format/index.js';
import type { Diagnostic, Finding, Range, Where } from './types.js';

export function placeInText(text: string, doc: RunbookDocument, findings: Finding[]): Diagnostic[] {
  const L = new LineIndex(doc.bom ? text.slice(1) : text);
  const out: Diagnostic[] = [];
  for (const f of findings) {
    const at = locateInText(f.where, doc, L);
    if (!at) continue;
    const range: Range = { start: { line: at.line, character: at.start }, end: { line: at.line, character: at.end } };
    const d: Diagnostic = { range, severity: f.severity, code: f.code, message: f.message, source: 'runbook' };
    if (f.data) d.data = f.data;
    out.push(d);
  }
  return out.sort((a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character);
}

/**
 * Line and characters of a finding in the text (`L` indexes the text without its byte order mark; the
 * mark, when the text has one, shifts the first line by one character).
 */
export function locateInText(where: Where, doc: RunbookDocument, L: LineIndex): { line: number; start: number; end: number } | undefined {
  const at = locate(where, doc, L);
  if (!at) return undefined;
  const len = at.line < L.count ? L.ends[at.line]! - L.starts[at.line]! : 0;
  const start = Math.min(at.start, len);
  const end = Math.max(start, Math.min(at.end, len));
  const shift = doc.bom && at.line === 0 ? 1 : 0;
  return { line: at.line, start: start + shift, end: end + shift };
}

function locate(w: Where, doc: RunbookDocument, L: LineIndex): { line: number; start: number; end: number } | undefined {
  if (w.in === 'doc') return w;
  const cell = doc.cells[w.cell];
  if (!cell?.range) return undefined;
  if (cell.kind === 'markdown') {
    return w.in === 'source' ? { line: cell.range.start + w.line, start: w.start, end: w.end } : undefined;
  }
  const fenceLine = cell.range.start;
  const infoAt = cell.fence.indent.length + cell.fence.marker.length;
  if (w.in === 'fence') return { line: fenceLine, start: infoAt + w.start, end: infoAt + w.end };
  if (w.in === 'fenceLine') return { line: fenceLine, start: cell.fence.indent.length, end: infoAt + cell.fence.info.trimEnd().length };
  const line = fenceLine + 1 + w.line;
  const original = line < L.count ? L.line(line) : '';
  let stripped = 0;
  while (stripped < cell.fence.indent.length && original[stripped] === ' ') stripped++;
  return { line, start: stripped + w.start, end: stripped + w.end };
}
