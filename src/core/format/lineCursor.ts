// A position on one line of a text as CommonMark's block parser keeps it: an offset, a column (tabs to the next
// multiple of 4, a tab wider than what is consumed counts partly), and the next non-space character. The block
// scanner extends it with what CommonMark reads at a position: list markers (link reference definitions: refDefs.ts).
import type { LineIndex } from './lineIndex.js';

const ORDERED = /^(\d{1,9})[.)]/;

export class LineCursor {
  // Position on the current line (CommonMark's offset/column, with a partly consumed tab as columns).
  protected offset = 0;
  protected column = 0;
  protected nonspace = 0;
  protected nonspaceCol = 0;
  protected lineEnd = 0;
  protected partial = false;

  constructor(protected readonly L: LineIndex) {}

  protected findNonspace(): void {
    const t = this.L.text;
    let i = this.offset;
    let cols = this.column;
    const e = this.lineEnd;
    for (; i < e; i++) {
      const c = t.charCodeAt(i);
      if (c === 32) cols++;
      else if (c === 9) cols += 4 - (cols % 4);
      else break;
    }
    this.nonspace = i;
    this.nonspaceCol = cols;
  }

  /** Moves `count` columns on; a tab wider than what is left is consumed partly (CommonMark's rule). */
  protected advance(count: number): void {
    const t = this.L.text;
    while (count > 0 && this.offset < this.lineEnd) {
      if (t.charCodeAt(this.offset) === 9) {
        const toTab = 4 - (this.column % 4);
        this.partial = toTab > count;
        const step = toTab > count ? count : toTab;
        this.column += step;
        if (!this.partial) this.offset++;
        count -= step;
      } else {
        this.partial = false;
        this.offset++;
        this.column++;
        count--;
      }
    }
  }

  /** Tries a list marker at the next non-space; on success moves past it and returns the item's width, else -1. */
  protected listItem(interrupting: boolean): number {
    const t = this.L.text;
    const at = this.nonspace;
    const c = t.charCodeAt(at);
    let len: number;
    if (c === 45 || c === 43 || c === 42) len = 1;
    else if (c >= 48 && c <= 57) {
      const m = ORDERED.exec(t.slice(at, Math.min(at + 11, this.lineEnd)));
      if (!m || (interrupting && m[1] !== '1')) return -1;
      len = m[0].length;
    } else return -1;
    const after = t.charCodeAt(at + len);
    if (at + len < this.lineEnd && after !== 32 && after !== 9) return -1;
    if (interrupting && isBlank(t, at + len, this.lineEnd)) return -1;
    const markerOffset = this.nonspaceCol - this.column;
    this.offset = at + len;
    this.column = this.nonspaceCol + len;
    const spacesStartCol = this.column;
    const spacesStartOffset = this.offset;
    const partial = this.partial;
    do {
      this.advance(1);
    } while (this.column - spacesStartCol < 5 && isSpaceOrTab(t.charCodeAt(this.offset)) && this.offset < this.lineEnd);
    const blankItem = this.offset >= this.lineEnd;
    const spaces = this.column - spacesStartCol;
    let padding: number;
    if (spaces >= 5 || spaces < 1 || blankItem) {
      padding = len + 1;
      this.column = spacesStartCol;
      this.offset = spacesStartOffset;
      this.partial = partial;
      if (isSpaceOrTab(t.charCodeAt(this.offset)) && this.offset < this.lineEnd) this.advance(1);
    } else padding = len + spaces;
    return markerOffset + padding;
  }

}

/** Whether a line whose first non-space character is `c` may start a block (outside a paragraph). */
export function starts(c: number): boolean {
  return c === 35 || c === 96 || c === 126 || c === 42 || c === 43 || c === 45 || c === 95 || c === 60 || c === 62 || (c >= 48 && c <= 57);
}

/** Whether such a line may end a paragraph (block start, setext underline, list item starting at 1). */
export function interrupts(c: number): boolean {
  return c === 35 || c === 96 || c === 126 || c === 42 || c === 43 || c === 45 || c === 95 || c === 60 || c === 62 || c === 61 || c === 49;
}

export function isSpaceOrTab(c: number): boolean {
  return c === 32 || c === 9;
}

export function isBlank(t: string, from: number, to: number): boolean {
  for (let k = from; k < to; k++) {
    const c = t.charCodeAt(k);
    if (c !== 32 && c !== 9) return false;
  }
  return true;
}

