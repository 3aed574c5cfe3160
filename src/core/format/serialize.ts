// RunbookDocument → markdown text. Unchanged parts are written from their original bytes.
import { htmlLeftOpen } from './blockScanner.js';
import { renderCodeCell } from './codeCell.js';
import { renderLogSection } from './executionLogSection.js';
import type { Cell, Eol, RunbookDocument } from './model.js';
import { renderOutputBlock } from './outputBlock.js';

/** Prose whose last line is only list markers (an item whose content starts on the next line). */
const EMPTY_ITEM = /(?:^|\n)[ \t]*(?:(?:[-+*]|\d{1,9}[.)])[ \t]+)*(?:[-+*]|\d{1,9}[.)])[ \t]*$/;

export function serializeRunbook(doc: RunbookDocument): string {
  const { eol } = doc;
  const parts: string[] = [];
  if (doc.bom) parts.push('\uFEFF');
  if (doc.frontMatter) {
    parts.push(doc.frontMatter.raw);
    // A first log section after front matter without its final line ending needs one too.
    if (!doc.frontMatter.raw.endsWith('\n') && (doc.cells.length || doc.lead || doc.log)) parts.push(eol);
  }
  const n = doc.cells.length;
  // The body (what the block scanner reads, after the front matter) starts here: see `writtenBody`.
  const bodyStart = parts.length;
  const writtenBody = () => parts.slice(bodyStart).join('');
  // Blank lines in front of the first block must end with a line ending, or the block joins the last one.
  parts.push(n || doc.log ? endLine(doc.lead, eol) : doc.lead);
  // A log section that was already there when the file was read follows the last cell as written.
  const newLog = doc.log !== undefined && doc.log.raw === '';
  for (let i = 0; i < n; i++) {
    const cell = doc.cells[i]!;
    const next = doc.cells[i + 1];
    const nextIsNew = next !== undefined ? next.gap === undefined : newLog;
    const text = renderCell(cell.gap === undefined ? placed(doc.cells, i) : cell, eol, next !== undefined || newLog, nextIsNew, writtenBody);
    parts.push(text);
    const more = next !== undefined || doc.log !== undefined;
    // After a lone "\r" only "\r\n" ends the line without turning that "\r" into part of the line ending.
    const lineEnd = eol === '\n' && text.endsWith('\r') && !cell.gap ? '\r\n' : eol;
    // A list item whose first line is only its marker ends at a blank line: a new cell placed in it follows directly.
    const intoEmptyItem = nextIsNew && next !== undefined && cell.kind === 'markdown' && EMPTY_ITEM.test(cell.source) && placed(doc.cells, i + 1) !== next;
    parts.push(gapAfter(cell.gap, more, nextIsNew && !intoEmptyItem, eol, lineEnd));
  }
  if (doc.log) parts.push(renderLogSection(doc.log, eol));
  parts.push(doc.tail);
  return parts.join('');
}

/**
 * A cell added in the editor (no gap yet) among the cells of a list item is written inside that item,
 * indented like the code cell after it (or before it, when indented prose of the item follows), so that the
 * item and its later cells stay as they were. A cell appended at the end stays at top level.
 */
function placed(cells: Cell[], i: number): Cell {
  const cell = cells[i]!;
  if (cell.raw !== undefined || (cell.kind === 'code' && (cell.fence.indent !== '' || cell.fence.lead !== undefined))) return cell;
  let prev: Cell | undefined;
  let next: Cell | undefined;
  for (let k = i - 1; k >= 0 && !prev; k--) if (cells[k]!.gap !== undefined) prev = cells[k];
  for (let k = i + 1; k < cells.length && !next; k++) if (cells[k]!.gap !== undefined) next = cells[k];
  let indent = '';
  if (next?.kind === 'code' && next.fence.inList) {
    // Before a fence opened on a list-marker line: where that marker is (the item around its list).
    indent = next.fence.lead === undefined ? next.fence.indent : /^[ \t]*/.exec(next.fence.lead)![0];
  } else if (next?.kind === 'markdown' && /^[ \t]/.test(next.source) && prev?.kind === 'code' && prev.fence.inList
    && prev.outputs.every((o) => o.raw === undefined || o.raw.replace(/^[\r\n]+/, '').startsWith(prev.fence.indent))) {
    // Indented prose after it goes on with the item of the code cell before (unless an output an older
    // version wrote at column 0 ended that item).
    indent = prev.fence.indent;
  }
  if (!indent) return cell;
  if (cell.kind === 'markdown') return { ...cell, source: cell.source.replace(/^(?=.)/gm, indent) };
  return { ...cell, fence: { ...cell.fence, indent, close: cell.fence.close === null ? null : indent + cell.fence.close.trimStart() } };
}

function renderCell(cell: Cell, eol: Eol, followed: boolean, nextIsNew: boolean, before: () => string): string {
  if (cell.kind === 'markdown') {
    const text = cell.raw !== undefined && cell.raw.replace(/\r\n/g, '\n') === cell.source ? cell.raw
      : eol === '\n' ? cell.source : cell.source.replace(/\n/g, eol);
    // Prose that ended the file inside an HTML block only a closing text ends (`<!--` without `-->`) would
    // hide every block written after it: close it first, unless an edit closed it already. Whether it is
    // still open is read on everything written up to here, as the parser read it: the prose alone can start
    // another block (after a list, `   <v>` opens its own HTML block and `<pre` is then inside it).
    const closer = followed && cell.openHtml !== undefined && htmlLeftOpen(before() + text) !== undefined ? cell.openHtml : undefined;
    return closer === undefined ? text : text + (eol === '\n' && text.endsWith('\r') ? '\r\n' : eol) + closer;
  }
  // A fence left open would swallow what is written after it: new outputs, a new cell, or anything after one
  // that ran to the end of the file.
  const newOutputs = cell.outputs.some((o) => o.raw === undefined);
  let text = renderCodeCell(cell, eol, newOutputs || nextIsNew || (cell.fence.runsToEnd === true && (followed || cell.outputs.length > 0)));
  for (const output of cell.outputs) text += output.raw ?? eol + eol + renderOutputBlock(output, eol, cell.fence.indent);
  return text;
}

/**
 * A cell's gap. New cells (no gap yet) get a blank line around them; a gap that would glue two blocks
 * together (the last line of a file without its line ending, even one of spaces) gets one too.
 */
function gapAfter(gap: string | undefined, more: boolean, nextIsNew: boolean, eol: Eol, lineEnd: string = eol): string {
  if (gap === undefined) return more ? lineEnd + eol : lineEnd;
  if (!more) return gap;
  const ended = gap.endsWith('\n');
  if (ended && !(nextIsNew && gap.indexOf('\n') === gap.lastIndexOf('\n'))) return gap;
  const g = ended ? gap : gap + (gap === '' ? lineEnd : eol);
  return g.indexOf('\n') === g.lastIndexOf('\n') ? g + eol : g;
}

/** Text that ends with a line ending (empty text stays empty). */
function endLine(text: string, eol: Eol): string {
  return text === '' || text.endsWith('\n') ? text : text + eol;
}
