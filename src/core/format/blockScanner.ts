// Finds the block boundaries the notebook needs — fenced code blocks and top-level ATX headings —
// following CommonMark closely enough that fences inside HTML blocks, indented code, block quotes
// and list items are told apart. Everything else is prose and is never re-rendered.
import type { LineIndex } from './lineIndex.js';

export interface FenceBlock {
  kind: 'fence';
  /** Line of the opening fence. */
  open: number;
  /** Line of the closing fence, or -1 when unclosed. */
  close: number;
  /** First line after the block (after the close line, or after the last content line). */
  end: number;
  indent: string;
  marker: string;
  info: string;
  /** Unclosed and running to the end of the scanned text (not ended by its list item). */
  runsToEnd?: boolean;
}

export interface HeadingMark {
  kind: 'heading';
  line: number;
}

export type Mark = FenceBlock | HeadingMark;

const FENCE_OPEN = /^(`{3,}|~{3,})(.*)$/;
const THEMATIC_BREAK = /^([-*_])(?:[ \t]*\1){2,}[ \t]*$/;
const LIST_ITEM = /^([-+*]|\d{1,9}[.)])([ \t]+|$)/;
const HTML_SIMPLE: [RegExp, RegExp][] = [
  [/^<(script|pre|style|textarea)(\s|>|$)/i, /<\/(script|pre|style|textarea)>/i],
  [/^<!--/, /-->/],
  [/^<\?/, /\?>/],
  [/^<![A-Za-z]/, />/],
  [/^<!\[CDATA\[/, /\]\]>/],
];
const HTML_BLOCK_TAGS = new Set(('address article aside base basefont blockquote body caption center col colgroup dd ' +
  'details dialog dir div dl dt fieldset figcaption figure footer form frame frameset h1 h2 h3 h4 h5 h6 head header ' +
  'hr html iframe legend li link main menu menuitem nav noframes ol optgroup option p param search section summary ' +
  'table tbody td tfoot th thead title tr track ul').split(' '));
const HTML_TAG6 = /^<\/?([A-Za-z][A-Za-z0-9-]*)(\s|\/?>|$)/;
const HTML_TAG7 = /^(<[A-Za-z][A-Za-z0-9-]*(\s+[A-Za-z_:][\w.:-]*(\s*=\s*("[^"]*"|'[^']*'|[^\s"'=<>`]+))?)*\s*\/?>|<\/[A-Za-z][A-Za-z0-9-]*\s*>)\s*$/;

export class BlockScanner {
  private line: number;
  /** Content column of the innermost list item, or -1 outside lists. */
  private listIndent = -1;
  private prevBlank = true;
  private inParagraph = false;
  /** End condition of the open HTML block: a regex, 'blank', or null. */
  private html: RegExp | 'blank' | null = null;

  constructor(private readonly lines: LineIndex, from: number, private readonly to: number) {
    this.line = from;
  }

  /** Continue after a region the caller consumed itself (an output block): top-level state. */
  resumeAt(line: number): void {
    this.line = line;
    this.listIndent = -1;
    this.prevBlank = true;
    this.inParagraph = false;
    this.html = null;
  }

  next(): Mark | undefined {
    const L = this.lines;
    while (this.line < this.to) {
      const i = this.line++;
      if (L.isBlank(i)) {
        if (this.html === 'blank') this.html = null;
        this.prevBlank = true;
        this.inParagraph = false;
        continue;
      }
      const wasBlank = this.prevBlank;
      this.prevBlank = false;
      if (this.html) {
        if (this.html !== 'blank' && this.html.test(L.line(i))) this.html = null;
        continue;
      }
      const { cols, at } = L.indentOf(i);
      const c = L.text.charCodeAt(at);
      if (this.listIndent >= 0 && cols < this.listIndent && wasBlank) this.listIndent = -1;
      const inList = this.listIndent >= 0 && cols >= this.listIndent && cols <= this.listIndent + 3;
      // Indented code or a paragraph continuation: never a block start we care about.
      if (cols > 3 && !inList) continue;
      if (c === 96 /* ` */ || c === 126 /* ~ */) {
        const fence = this.fenceAt(i, at);
        if (fence) return fence;
      } else if (c === 35 /* # */ && this.listIndent < 0) {
        const rest = L.text.slice(at, Math.min(at + 8, L.ends[i]!));
        if (/^#{1,6}([ \t]|$)/.test(rest)) {
          this.inParagraph = false;
          return { kind: 'heading', line: i };
        }
      } else if (c === 60 /* < */ && cols <= 3) {
        if (this.htmlStart(L.text.slice(at, L.ends[i]))) continue;
      } else if (c === 45 || c === 43 || c === 42 || (c >= 48 && c <= 57)) {
        const rest = L.text.slice(at, L.ends[i]);
        const m = LIST_ITEM.exec(rest);
        if (m && !THEMATIC_BREAK.test(rest)) {
          const spaces = m[2]!.length;
          this.listIndent = cols + m[1]!.length + (spaces === 0 || spaces > 4 ? 1 : spaces);
          this.inParagraph = true;
          continue;
        }
      }
      this.inParagraph = true;
    }
    return undefined;
  }

  /** Starts an HTML block when the line opens one; returns whether it did. */
  private htmlStart(rest: string): boolean {
    for (const [start, end] of HTML_SIMPLE) {
      if (start.test(rest)) {
        this.html = end.test(rest) ? null : end;
        this.inParagraph = false;
        return true;
      }
    }
    const tag = HTML_TAG6.exec(rest);
    if ((tag && HTML_BLOCK_TAGS.has(tag[1]!.toLowerCase())) || (!this.inParagraph && HTML_TAG7.test(rest))) {
      this.html = 'blank';
      this.inParagraph = false;
      return true;
    }
    return false;
  }

  private fenceAt(i: number, at: number): FenceBlock | undefined {
    const L = this.lines;
    const m = FENCE_OPEN.exec(L.text.slice(at, L.ends[i]));
    if (!m) return undefined;
    const marker = m[1]!;
    const info = m[2]!;
    if (marker[0] === '`' && info.includes('`')) return undefined;
    const indent = L.text.slice(L.starts[i], at);
    const container = this.listIndent >= 0 && indent.length >= this.listIndent ? this.listIndent : 0;
    const close = this.findClose(i + 1, marker, container);
    this.inParagraph = false;
    this.prevBlank = false;
    if (close.line >= 0) {
      this.line = close.line + 1;
      return { kind: 'fence', open: i, close: close.line, end: close.line + 1, indent, marker, info };
    }
    // Unclosed: runs to the end of its container; trailing blank lines are left to the gap.
    let end = close.stop;
    while (end > i + 1 && L.isBlank(end - 1)) end--;
    this.line = end;
    if (container === 0) this.listIndent = -1;
    const block: FenceBlock = { kind: 'fence', open: i, close: -1, end, indent, marker, info };
    if (close.stop === this.to) block.runsToEnd = true;
    return block;
  }

  private findClose(from: number, marker: string, container: number): { line: number; stop: number } {
    const L = this.lines;
    const ch = marker.charCodeAt(0);
    for (let j = from; j < this.to; j++) {
      const { cols, at } = L.indentOf(j);
      if (container > 0 && cols < container && !L.isBlank(j)) return { line: -1, stop: j };
      if (L.text.charCodeAt(at) !== ch || cols > container + 3) continue;
      let k = at;
      const e = L.ends[j]!;
      while (k < e && L.text.charCodeAt(k) === ch) k++;
      if (k - at < marker.length) continue;
      while (k < e && (L.text.charCodeAt(k) === 32 || L.text.charCodeAt(k) === 9)) k++;
      if (k === e) return { line: j, stop: j };
    }
    return { line: -1, stop: this.to };
  }
}
