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
  for (let i = 0; i < n; i++) {
    const cell = doc.cells[i]!;
    parts.push(renderCell(cell, eol));
    const more = i < n - 1 || doc.log !== undefined;
    parts.push(gapAfter(cell.gap, more, eol));
  }
  if (doc.log) parts.push(renderLogSection(doc.log, eol));
  parts.push(doc.tail);
  return parts.join('');
}

function renderCell(cell: Cell, eol: Eol): string {
  if (cell.kind === 'markdown') {
    if (cell.raw !== undefined && cell.raw.replace(/\r\n/g, '\n') === cell.source) return cell.raw;
    return eol === '\n' ? cell.source : cell.source.replace(/\n/g, eol);
  }
  let text = renderCodeCell(cell, eol);
  for (const output of cell.outputs) text += output.raw ?? eol + eol + renderOutputBlock(output, eol);
  return text;
}

/** A cell's gap; a gap that would glue two blocks together (new or edited cells) becomes a blank line. */
function gapAfter(gap: string | undefined, more: boolean, eol: Eol): string {
  if (gap === undefined) return more ? eol + eol : eol;
  if (more && !gap.includes('\n')) return gap + eol + eol;
  return gap;
}
