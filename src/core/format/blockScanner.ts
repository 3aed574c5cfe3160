// Finds the block boundaries the notebook needs — fenced code blocks at top level or in list items, and
// top-level ATX headings — with CommonMark's own block algorithm (containers matched line by line, lazy
// continuation, tabs as columns), so every fence GitHub shows as code is a cell and no other one is.
// Everything else is prose and is never re-rendered. Differential tests: test/unit/commonmark.test.ts.
import { LineIndex as Lines } from './lineIndex.js';
import { LineCursor, interrupts, isBlank, starts } from './lineCursor.js';
import { type HtmlEnd, htmlBlockStart, htmlCloser } from './htmlBlocks.js';
import { onlyRefDefs } from './refDefs.js';

export interface FenceBlock {
  kind: 'fence';
  /** Line of the opening fence. */
  open: number;
  /** Line of the closing fence, or -1 when unclosed. */
  close: number;
  /** First line after the block (after the close line, or after the last non-blank content line). */
  end: number;
  /** Indentation of the content lines: the opening line's whitespace, or spaces up to the fence column. */
  indent: string;
  /** Text before the fence on its opening line when it is not `indent` (a list marker: "1. "). */
  lead?: string;
  marker: string;
  info: string;
  /** Unclosed and running to the end of the scanned text (not ended by its list item). */
  runsToEnd?: boolean;
  /** Inside a list item (its container ends at a less indented line). */
  inList?: boolean;
}

export interface HeadingMark {
  kind: 'heading';
  line: number;
}

export type Mark = FenceBlock | HeadingMark;

interface Container {
  quote: boolean;
  /** List item: columns its content is indented by, relative to its parent's content. */
  width: number;
  /** List item: a block started in it (a blank line after an empty item ends it). */
  hasContent: boolean;
}

const enum Leaf { None, Para, Fence, Html, Code }

const THEMATIC = /^(?:(?:\*[ \t]*){3,}|(?:_[ \t]*){3,}|(?:-[ \t]*){3,})$/;
const ATX = /^#{1,6}(?:[ \t]|$)/;
const SETEXT = /^(?:=+|-+)[ \t]*$/;
const FENCE = /^(?:`{3,}(?!.*`)|~{3,})/;

export class BlockScanner extends LineCursor {
  private line: number;
  private readonly stack: Container[] = [];
  private quotes = 0;
  private leaf = Leaf.None;
  private html: HtmlEnd = null;
  private fence: { mark: FenceBlock; ch: number; len: number; lastContent: number; cell: boolean } | null = null;
  private readonly queue: Mark[] = [];
  constructor(L: Lines, from: number, private readonly to: number) {
    super(L);
    this.line = from;
  }

  /**
   * Continue at `line` after a region the caller consumed itself (output blocks after a fence). The region
   * is transparent: the containers around the fence stay open, so an output written at column 0 by older
   * versions does not end the list item of the cell before it.
   */
  skipTo(line: number): void {
    if (line <= this.line) return;
    this.line = line;
    this.leaf = Leaf.None;
    this.html = null;
  }

  next(): Mark | undefined {
    while (!this.queue.length && this.line < this.to) {
      if (this.leaf === Leaf.Fence && !this.stack.length) this.topLevelFence();
      else this.incorporate(this.line++);
    }
    if (!this.queue.length && this.line >= this.to && this.fence) this.endFence(this.to, true);
    return this.queue.shift();
  }

  /** Fast path: the lines of a fence at top level, up to its closing fence (only that can end it). */
  private topLevelFence(): void {
    const L = this.L;
    const t = L.text;
    const f = this.fence!;
    for (let j = this.line; j < this.to; j++) {
      let k = L.starts[j]!;
      const e = L.ends[j]!;
      let cols = 0;
      for (; k < e && cols < 4; k++) {
        const c = t.charCodeAt(k);
        if (c === 32) cols++;
        else if (c === 9) cols += 4 - (cols % 4);
        else break;
      }
      if (cols > 3 || t.charCodeAt(k) !== f.ch) continue;
      this.nonspace = k;
      this.lineEnd = e;
      if (this.closesFence(f.ch, f.len)) {
        this.line = j + 1;
        this.closeFence(j);
        return;
      }
    }
    let last = this.to - 1;
    while (last > f.mark.open && L.isBlank(last)) last--;
    f.lastContent = last;
    this.line = this.to;
  }

  private incorporate(i: number): void {
    const L = this.L;
    const t = L.text;
    this.offset = L.starts[i]!;
    this.column = 0;
    this.lineEnd = L.ends[i]!;
    const stack = this.stack;
    if (!stack.length && (this.leaf === Leaf.None || this.leaf === Leaf.Para)) {
      // Fast path at top level: a line that cannot start a block continues or starts a paragraph.
      this.findNonspace();
      if (this.nonspace === this.lineEnd) {
        this.leaf = Leaf.None;
        return;
      }
      const c = t.charCodeAt(this.nonspace);
      const indented = this.nonspaceCol >= 4;
      if (this.leaf === Leaf.Para ? indented || !interrupts(c) : !indented && !starts(c)) {
        if (this.leaf === Leaf.None) this.startPara();
        else this.continuePara();
        return;
      }
    }
    let matched = 0;
    for (; matched < stack.length; matched++) {
      this.findNonspace();
      const c = stack[matched]!;
      const indent = this.nonspaceCol - this.column;
      const blank = this.nonspace === this.lineEnd;
      if (c.quote) {
        if (indent > 3 || t.charCodeAt(this.nonspace) !== 62) break;
        this.offset = this.nonspace + 1;
        this.column = this.nonspaceCol + 1;
        const n = t.charCodeAt(this.offset);
        if (n === 32 || n === 9) this.advance(1);
      } else if (blank) {
        if (!c.hasContent) break;
        this.offset = this.nonspace;
        this.column = this.nonspaceCol;
      } else if (indent >= c.width) {
        this.advance(c.width);
      } else break;
    }
    const containersMatched = matched === stack.length;
    this.findNonspace();
    let indent = this.nonspaceCol - this.column;
    let blank = this.nonspace === this.lineEnd;
    let leafMatched = false;
    if (this.leaf !== Leaf.None && containersMatched) {
      switch (this.leaf) {
        case Leaf.Fence: {
          const f = this.fence!;
          if (indent <= 3 && t.charCodeAt(this.nonspace) === f.ch && this.closesFence(f.ch, f.len)) this.closeFence(i);
          else if (!blank) f.lastContent = i;
          return;
        }
        case Leaf.Html:
          if (blank && this.html === 'blank') break;
          if (this.html !== 'blank' && this.html!.test(t.slice(this.offset, this.lineEnd))) this.leaf = Leaf.None;
          return;
        case Leaf.Code:
          if (indent >= 4 || blank) return;
          break;
        case Leaf.Para:
          leafMatched = !blank;
          break;
      }
    }
    if (this.leaf === Leaf.Fence) {
      // The fence's container ended on this line: the fence ends before it, and the line is read again.
      if (this.fence!.cell) {
        this.endFence(i, false);
        this.line = i;
        return;
      }
      this.fence = null;
      this.leaf = Leaf.None;
    }
    this.allClosed = containersMatched && (this.leaf === Leaf.None || leafMatched);
    this.containerIsPara = leafMatched;
    this.started = false;
    this.depth = matched;
    const lazyPara = this.leaf === Leaf.Para;
    for (;;) {
      const c = t.charCodeAt(this.nonspace);
      if (indent >= 4) {
        if (!blank && !(this.started ? false : this.leaf === Leaf.Para)) {
          this.advance(4);
          this.addChild();
          this.leaf = Leaf.Code;
        }
        break;
      }
      if (c < 35 || (c > 62 && c !== 95 && c !== 96 && c !== 126)) break; // no block starts with it
      if (c === 62 /* > */) {
        this.addChild();
        this.offset = this.nonspace + 1;
        this.column = this.nonspaceCol + 1;
        const n = t.charCodeAt(this.offset);
        if (n === 32 || n === 9) this.advance(1);
        this.stack.push({ quote: true, width: 0, hasContent: false });
        this.quotes++;
        this.depth++;
      } else if (c === 35 /* # */) {
        if (!ATX.test(t.slice(this.nonspace, Math.min(this.nonspace + 8, this.lineEnd)))) break;
        this.addChild();
        if (this.depth === 0) this.queue.push({ kind: 'heading', line: i });
        return;
      } else if ((c === 96 || c === 126) && FENCE.test(t.slice(this.nonspace, this.lineEnd))) {
        this.addChild();
        this.openFence(i, c);
        return;
      } else if (c === 60 /* < */) {
        const may7 = !this.containerIsPara && !(!this.allClosed && lazyPara && !this.started);
        const end = htmlBlockStart(t.slice(this.nonspace, this.lineEnd), may7);
        if (end === undefined) break;
        this.addChild();
        this.leaf = Leaf.Html;
        this.html = end;
        this.htmlAt = this.nonspace;
        if (end !== 'blank' && end.test(t.slice(this.offset, this.lineEnd))) this.leaf = Leaf.None;
        return;
      } else if (this.containerIsPara && (c === 61 || c === 45) && SETEXT.test(t.slice(this.nonspace, this.lineEnd)) && !this.onlyRefDefs()) {
        this.closeUnmatched();
        this.leaf = Leaf.None;
        return;
      } else if ((c === 42 || c === 95 || c === 45) && THEMATIC.test(t.slice(this.nonspace, this.lineEnd))) {
        this.addChild();
        return;
      } else {
        const width = this.listItem(this.containerIsPara);
        if (width < 0) break;
        this.addChild();
        this.stack.push({ quote: false, width, hasContent: false });
        this.depth++;
      }
      this.findNonspace();
      indent = this.nonspaceCol - this.column;
      blank = this.nonspace === this.lineEnd;
    }
    if (!this.started && !this.allClosed && !blank && this.leaf === Leaf.Para) { // lazy continuation line
      this.continuePara();
      return;
    }
    this.closeUnmatched();
    if (this.leaf === Leaf.Code) return;
    if (blank) {
      if (this.leaf === Leaf.Para) this.leaf = Leaf.None;
      return;
    }
    if (this.leaf !== Leaf.Para) {
      const parent = this.stack[this.depth - 1];
      if (parent) parent.hasContent = true;
      this.startPara();
    } else this.continuePara();
  }

  /** The lines of the open paragraph (start and end offsets) when it starts with "[": it may hold definitions
   * that span lines (refDefs.ts). */
  private paraLines: number[] | null = null;

  private startPara(): void {
    this.leaf = Leaf.Para;
    this.paraLines = this.L.text.charCodeAt(this.nonspace) === 91 ? [this.nonspace, this.lineEnd] : null;
  }

  private continuePara(): void {
    this.paraLines?.push(this.nonspace, this.lineEnd);
  }

  /** Whether the open paragraph is link reference definitions only (then a setext underline is not one). */
  private onlyRefDefs(): boolean {
    const at = this.paraLines;
    if (!at) return false;
    const lines: string[] = [];
    for (let k = 0; k < at.length; k += 2) lines.push(this.L.text.slice(at[k], at[k + 1]));
    return onlyRefDefs(lines);
  }

  /**
   * After the last mark: the line that would close an HTML block left open at top level at the end of the
   * text (`-->` after an unclosed `<!--`), or undefined. Text written after it would be swallowed.
   */
  htmlLeftOpen(): string | undefined {
    if (this.leaf !== Leaf.Html || this.html === 'blank' || this.stack.length) return undefined;
    return htmlCloser(this.L.text.slice(this.htmlAt, this.htmlAt + 12));
  }

  private htmlAt = 0;

  // State of the line being read, between its container matching and its block starts.
  private allClosed = true;
  private containerIsPara = false;
  private started = false;
  private depth = 0;

  /** Ends the containers this line did not continue, and the open leaf unless it is the matched paragraph. */
  private closeUnmatched(): void {
    if (this.allClosed) return;
    this.truncate(this.depth);
    if (!this.containerIsPara) this.leaf = Leaf.None;
    this.allClosed = true;
  }

  /** A block starts in the innermost container: the paragraph (if any) ends, an item gets content. */
  private addChild(): void {
    this.closeUnmatched();
    this.leaf = Leaf.None;
    this.containerIsPara = false;
    const parent = this.stack[this.depth - 1];
    if (parent) parent.hasContent = true;
    this.started = true;
  }

  private openFence(i: number, ch: number): void {
    const L = this.L;
    const t = L.text;
    let k = this.nonspace;
    while (t.charCodeAt(k) === ch) k++;
    const lineStart = L.starts[i]!;
    const lead = t.slice(lineStart, this.nonspace);
    const mark: FenceBlock = {
      kind: 'fence', open: i, close: -1, end: i + 1, indent: lead, marker: t.slice(this.nonspace, k), info: t.slice(k, this.lineEnd),
    };
    if (!/^[ \t]*$/.test(lead)) {
      mark.lead = lead;
      mark.indent = ' '.repeat(this.nonspaceCol);
    }
    if (this.stack.length > 0) mark.inList = true;
    this.leaf = Leaf.Fence;
    this.fence = { mark, ch, len: k - this.nonspace, lastContent: i, cell: this.quotes === 0 };
  }

  private closesFence(ch: number, len: number): boolean {
    const t = this.L.text;
    let k = this.nonspace;
    while (k < this.lineEnd && t.charCodeAt(k) === ch) k++;
    return k - this.nonspace >= len && isBlank(t, k, this.lineEnd);
  }

  private closeFence(i: number): void {
    const f = this.fence!;
    this.fence = null;
    this.leaf = Leaf.None;
    if (!f.cell) return;
    f.mark.close = i;
    f.mark.end = i + 1;
    this.queue.push(f.mark);
  }

  /** An unclosed fence ends before line `at`; trailing blank lines are left to the gap. */
  private endFence(at: number, toEnd: boolean): void {
    const f = this.fence!;
    this.fence = null;
    this.leaf = Leaf.None;
    if (!f.cell) return;
    f.mark.end = f.lastContent + 1;
    if (toEnd && at === this.to) f.mark.runsToEnd = true;
    this.queue.push(f.mark);
  }

  private truncate(depth: number): void {
    while (this.stack.length > depth) {
      if (this.stack.pop()!.quote) this.quotes--;
    }
  }

}

/** The line that closes an HTML block `text` leaves open at its end (see BlockScanner.htmlLeftOpen). */
export function htmlLeftOpen(text: string): string | undefined {
  const L = new Lines(text);
  const scanner = new BlockScanner(L, 0, L.count);
  while (scanner.next());
  return scanner.htmlLeftOpen();
}
