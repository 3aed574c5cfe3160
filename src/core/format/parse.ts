// markdown text → RunbookDocument. Every byte of the input lands in exactly one place of the model
// (front matter, lead, a cell, a cell's gap, an output block, the log section or the tail), so that
// serializeRunbook(parseRunbook(t)) === t for any text.
import { BlockScanner, type FenceBlock } from './blockScanner.js';
import { codeCellFrom, renderCodeCell } from './codeCell.js';
import { findLogSection, readLogSection } from './executionLogSection.js';
import { frontMatterLength, readFrontMatter } from './frontMatter.js';
import { LineIndex } from './lineIndex.js';
import type { Cell, CodeCell, Eol, MarkdownCell, RunbookDocument } from './model.js';
import { readOutputBlock } from './outputBlock.js';

export function parseRunbook(input: string): RunbookDocument {
  const bom = input.charCodeAt(0) === 0xfeff;
  const text = bom ? input.slice(1) : input;
  const firstNl = text.indexOf('\n');
  const eol: Eol = firstNl > 0 && text.charCodeAt(firstNl - 1) === 13 ? '\r\n' : '\n';
  const doc: RunbookDocument = { eol, bom, lead: '', cells: [], tail: '' };

  const fmLen = frontMatterLength(text);
  if (fmLen) doc.frontMatter = readFrontMatter(text.slice(0, fmLen));
  const logAt = findLogSection(text);
  let bodyEnd = text.length;
  if (logAt && logAt.start >= fmLen) {
    doc.log = readLogSection(text.slice(logAt.start, logAt.end));
    doc.tail = text.slice(logAt.end);
    bodyEnd = logAt.start;
  }
  new BodyParser(doc, text.slice(fmLen, bodyEnd), fmLen ? new LineIndex(text.slice(0, fmLen)).count : 0).run();
  return doc;
}

class BodyParser {
  private readonly L: LineIndex;
  /** Offset in the body where the gap of the last cell (or the lead) starts. */
  private cursor = 0;

  constructor(private readonly doc: RunbookDocument, private readonly body: string, private readonly lineOffset: number) {
    this.L = new LineIndex(body);
  }

  run(): void {
    const L = this.L;
    const scanner = new BlockScanner(L, 0, L.count);
    let proseStart = 0;
    for (let mark = scanner.next(); mark; mark = scanner.next()) {
      if (mark.kind === 'heading') {
        this.prose(proseStart, mark.line);
        proseStart = mark.line;
        continue;
      }
      this.prose(proseStart, mark.open);
      proseStart = this.fence(mark);
      // Output blocks are the cell's own: the scanner goes on after them as if they were not there.
      if (proseStart !== mark.end) scanner.skipTo(proseStart);
    }
    this.prose(proseStart, L.count);
    this.closeGap(this.body.length);
    const closer = scanner.htmlLeftOpen();
    const last = this.doc.cells[this.doc.cells.length - 1];
    if (closer !== undefined && last?.kind === 'markdown') last.openHtml = closer;
  }

  private range(start: number, end: number): { start: number; end: number } {
    return { start: start + this.lineOffset, end: end + this.lineOffset };
  }

  /** Ends the pending gap at `offset`, giving it to the last cell or to the lead. */
  private closeGap(offset: number): void {
    const gap = this.body.slice(this.cursor, offset);
    const last = this.doc.cells[this.doc.cells.length - 1];
    if (last) last.gap = gap;
    else this.doc.lead = gap;
  }

  private push(cell: Cell, start: number, end: number): void {
    this.closeGap(start);
    this.doc.cells.push(cell);
    this.cursor = end;
  }

  /** Lines [from, to) of prose become one markdown cell (blank lines alone only extend the gap). */
  private prose(from: number, to: number): void {
    const L = this.L;
    let first = from;
    while (first < to && L.isBlank(first)) first++;
    if (first >= to) return;
    let last = to - 1;
    while (L.isBlank(last)) last--;
    const start = L.starts[first]!;
    const end = L.ends[last]!;
    const slice = this.body.slice(start, end);
    const source = slice.includes('\r') ? slice.replace(/\r\n/g, '\n') : slice;
    const cell: MarkdownCell = { kind: 'markdown', range: this.range(first, last + 1), source, gap: '' };
    if ((this.doc.eol === '\n' ? source : source.replace(/\n/g, '\r\n')) !== slice) cell.raw = slice;
    this.push(cell, start, end);
  }

  /** A fenced block and the output blocks after it; returns the first line after them. */
  private fence(block: FenceBlock): number {
    const L = this.L;
    const cell: CodeCell = codeCellFrom(L, block);
    cell.range = this.range(block.open, block.end);
    const start = L.starts[block.open]!;
    const end = L.ends[block.end - 1]!;
    const slice = this.body.slice(start, end);
    if (renderCodeCell(cell, this.doc.eol) !== slice) cell.raw = slice;
    this.push(cell, start, end);
    let next = block.end;
    for (;;) {
      let j = next;
      while (j < L.count && L.isBlank(j)) j++;
      const found = j < L.count ? this.output(j, cell.fence.indent) : undefined;
      if (!found) return next;
      const outEnd = L.ends[found.end - 1]!;
      found.output.raw = this.body.slice(this.cursor, outEnd);
      cell.outputs.push(found.output);
      this.cursor = outEnd;
      next = found.end;
    }
  }

  /** An output block at line j: indented like its cell's fence, or at column 0 as older versions wrote it. */
  private output(j: number, indent: string): ReturnType<typeof readOutputBlock> {
    const L = this.L;
    if (indent && L.text.startsWith(indent, L.starts[j]!)) {
      const found = readOutputBlock(L, j, L.count, indent);
      if (found) return found;
    }
    return readOutputBlock(L, j, L.count);
  }
}
