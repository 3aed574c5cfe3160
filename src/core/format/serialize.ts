// RunbookDocument → markdown text. Unchanged parts are written from their original bytes.
import { renderCodeCell } from './codeCell.js';
import { renderLogSection } from './executionLogSection.js';
import type { Cell, Eol, RunbookDocument } from './model.js';
import { renderOutputBlock } from './outputBlock.js';

export function serializeRunbook(doc: RunbookDocument): string {
  const { eol } = doc;
  const parts: string[] = [];
  if (doc.bom) parts.push('\uFEFF');
  if (doc.frontMatter) {
    parts.push(doc.frontMatter.raw);
    if (!doc.frontMatter.raw.endsWith('\n') && (doc.cells.length || doc.lead)) parts.push(eol);
  }
  parts.push(doc.lead);
  const n = doc.cells.length;
  // A log section that was already there when the file was read follows the last cell as written.
  const newLog = doc.log !== undefined && doc.log.raw === '';
  for (let i = 0; i < n; i++) {
    const cell = doc.cells[i]!;
    const next = doc.cells[i + 1];
    parts.push(renderCell(cell, eol, next !== undefined || newLog));
    const more = next !== undefined || doc.log !== undefined;
    parts.push(gapAfter(cell.gap, more, next !== undefined ? next.gap === undefined : newLog, eol));
  }
  if (doc.log) parts.push(renderLogSection(doc.log, eol));
  parts.push(doc.tail);
  return parts.join('');
}

function renderCell(cell: Cell, eol: Eol, followed: boolean): string {
  if (cell.kind === 'markdown') {
    if (cell.raw !== undefined && cell.raw.replace(/\r\n/g, '\n') === cell.source) return cell.raw;
    return eol === '\n' ? cell.source : cell.source.replace(/\n/g, eol);
  }
  let text = renderCodeCell(cell, eol, followed || cell.outputs.length > 0);
  for (const output of cell.outputs) text += output.raw ?? eol + eol + renderOutputBlock(output, eol);
  return text;
}

/**
 * A cell's gap. New cells (no gap yet) get a blank line around them; a gap that would glue two blocks
 * together (the last line of a file without its line ending) gets one too.
 */
function gapAfter(gap: string | undefined, more: boolean, nextIsNew: boolean, eol: Eol): string {
  if (gap === undefined) return more ? eol + eol : eol;
  if (more && !gap.includes('\n')) return gap + eol + eol;
  if (nextIsNew && gap.indexOf('\n') === gap.lastIndexOf('\n')) return gap + eol;
  return gap;
}
