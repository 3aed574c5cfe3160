// Near-miss documents for the block scanner (src/core/format/blockScanner.ts), one per kind of mistake its
// survivors of the mutation run could make (docs/mutation/blockScanner.md): which fences are code cells, where
// they start and end, and where prose splits at headings must be what commonmark.js (the algorithm of GitHub's
// cmark-gfm) sees, and every document must round-trip byte for byte (DESIGN §1, "Cells", "Round-trip law").
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as commonmark from 'commonmark';
import { parseRunbook, serializeRunbook } from '../../src/core/format/index.js';
import { assertSameFences, referenceFences } from './fenceOracles.js';
import { newCode } from './formatCells.js';

const F = '```';

/** The cells of `t` are the fences commonmark.js finds (first lines `lines`), and `t` round-trips. */
function cellsAgree(t: string, lines: number[]): void {
  const theirs = referenceFences(t);
  assert.deepEqual(theirs.map((f) => f.line), lines, `commonmark.js's fences in ${JSON.stringify(t)}`);
  assertSameFences(t, theirs);
  assert.equal(serializeRunbook(parseRunbook(t)), t, `round trip of ${JSON.stringify(t)}`);
}

const reference = new commonmark.Parser();
const ATX = /^ {0,3}#{1,6}(?:[ \t]|$)/;

/** First lines of the markdown cells: the first prose line and every top-level ATX heading commonmark.js sees. */
function proseSplitsAgree(t: string): void {
  const lines = t.split('\n');
  const headings: number[] = [];
  for (let n = reference.parse(t).firstChild; n; n = n.next) {
    const at = n.sourcepos[0][0] - 1;
    if (n.type === 'heading' && ATX.test(lines[at] ?? '')) headings.push(at);
  }
  const first = lines.findIndex((l) => l.trim() !== '');
  const want = [...new Set([first, ...headings])].sort((a, b) => a - b);
  const got = parseRunbook(t).cells.filter((c) => c.kind === 'markdown').map((c) => c.range!.start);
  assert.deepEqual(got, want, `markdown cells of ${JSON.stringify(t)}`);
  assert.equal(serializeRunbook(parseRunbook(t)), t);
}

describe('block scanner near misses: which lines end a paragraph', () => {
  it('a setext underline is the whole line: "-a-" and "=x" continue the paragraph, "--" ends it', () => {
    cellsAgree(`p\n-a-\n<a>\n${F}\nx\n${F}\n`, [3]);
    cellsAgree(`p\n=x\n0. ${F}\nx\n${F}\n`, [4]);
    cellsAgree(`p\n--\n0. ${F}\nx\n${F}\n`, [2, 4]);
    cellsAgree(`p\n-\n2) ${F}\nx\n${F}\n`, [2, 4]);
    cellsAgree(`p\n=\n2) ${F}\nx\n${F}\n`, [2, 4]);
  });

  it('a paragraph of link reference definitions only is no setext heading; one with text before or after is', () => {
    cellsAgree(`p\n[a]: /u\n===\n0. ${F}\nx\n${F}\n`, [3, 5]);
    cellsAgree(`[a]: /u\np\n===\n0. ${F}\nx\n${F}\n`, [3, 5]);
    cellsAgree(`[a]: /u\n===\n0. ${F}\nx\n${F}\n`, [4]);
    // The same in a list item, with the second line lazy or indented.
    cellsAgree(`- [a]: /u\np\n  ===\n  0. ${F}\n  x\n  ${F}\n`, [3, 5]);
    cellsAgree(`- p\n[a]: /u\n  ===\n  0. ${F}\n  x\n  ${F}\n`, [3, 5]);
    cellsAgree(`- p\n  [a]: /u\n  ===\n  0. ${F}\n  x\n  ${F}\n`, [3, 5]);
    cellsAgree(`- [a]: /u\n  p\n  ===\n  0. ${F}\n  x\n  ${F}\n`, [3, 5]);
  });

  it('link reference definitions over several lines are no setext heading either (a bug found with these tests)', () => {
    // The destination on the line after the label, a title on the next line, a label over two lines.
    cellsAgree(`[a]:\n/u\n-\n2. ${F}\nx\n${F}\n`, [5]);
    cellsAgree(`[a]: /u\n"t"\n===\n0. ${F}\nx\n${F}\n`, [5]);
    cellsAgree(`[a]: /u "t\nu"\n===\n0. ${F}\nx\n${F}\n`, [5]);
    cellsAgree(`[a\nb]: /u\n===\n0. ${F}\nx\n${F}\n`, [5]);
    cellsAgree(`[a]: /u\n[b]:\n/v\n===\n0. ${F}\nx\n${F}\n`, [6]);
    cellsAgree(`- [a]:\n  /u\n  ---\n  0. ${F}\n  x\n  ${F}\n`, [3, 5]);
    // Near misses: text after a title, text after the definitions, an unclosed title, an empty label.
    cellsAgree(`[a]: /u\n"t" x\n===\n0. ${F}\nx\n${F}\n`, [3, 5]);
    cellsAgree(`[a]:\n/u\nx\n===\n0. ${F}\nx\n${F}\n`, [4, 6]);
    cellsAgree(`[a]: /u\n"t\n===\n0. ${F}\nx\n${F}\n`, [3, 5]);
    cellsAgree(`[ ]:\n/u\n===\n0. ${F}\nx\n${F}\n`, [3, 5]);
    cellsAgree(`[a]:\n\n/u\n===\n0. ${F}\nx\n${F}\n`, [4, 6]);
  });

  it('reads definitions over several lines as CommonMark does: escapes, <destinations>, titles, label length', () => {
    const under = (def: string): string => `${def}\n===\n0. ${F}\nx\n${F}\n`;
    // Definitions: no heading, and "0." continues the paragraph.
    for (const def of ['[a\\]b]:\n/u', '[a]:\n</uv>', '[a]:\n/uvw', '[a]: /u\n"a\\"b"', "[a]: /u\n'ab'", "[a]: /u\n'a\\'b'",
      '[a]: /u\n(ab)', '[a]: /u\n(a\\)b)', `[${'a'.repeat(999)}]:\n/u`, `[a]: /${'a'.repeat(1000)}\n[b]:\n/v`]) {
      cellsAgree(under(def), [def.split('\n').length + 3]);
    }
    // Not definitions: a heading, then a list item with a cell.
    for (const def of ['[a]\n/u', '[a]\n[b]: /u', '[[a]:\n/u', `[${'a'.repeat(1000)}]:\n/u`, "[a]:\n<u>'t'", '[a]:\n<u']) {
      cellsAgree(under(def), [3, 5]);
    }
  });

  it('counts a label\'s characters, an escape as two, on one line too (it counted escapes as one)', () => {
    const under = (def: string): string => `${def}\n===\n2. ${F}\n   x\n   ${F}\n`;
    cellsAgree(under(`[${'\\a'.repeat(499)}a]: /u`), [4]);
    cellsAgree(under(`[${'\\a'.repeat(500)}]: /u`), [2]);
    cellsAgree(under(`[${'\\a'.repeat(600)}]: /u "t"`), [2]);
  });

  it('a thematic break is the whole line: "-     ***" is a list item holding indented code', () => {
    cellsAgree(`-     ***\n\t~~~\n\tx\n\t~~~\n`, [1]);
  });

  it('a fence needs three markers: "~" and "~~" are text', () => {
    cellsAgree('~\nx\n~\n', []);
    cellsAgree('~~\nx\n~~\n', []);
    cellsAgree('~~~\nx\n~~~\n', [0]);
  });
});

describe('block scanner near misses: block quotes around and before cells', () => {
  it('a quoted fence is no cell, and ends where its quote ends', () => {
    cellsAgree(`>${F}\n>x\n"\n2) ${F}\n`, []);
    cellsAgree(`> ${F}\n> x\nnote\n2) ${F}\nx\n${F}\n`, [5]);
  });

  it('the ">" of a quote is consumed, with one space or tab after it', () => {
    cellsAgree(`>\n>\n<a>\n${F}\nx\n${F}\n`, []);
    cellsAgree(`${F}\n${F}\n>\n>~~~\n`, [0]);
    cellsAgree(`1. >\tx\n\`\n    ${F}\n`, [2]);
  });

  it('indented code after a quote ends the quote and is code, not a paragraph a list can continue', () => {
    cellsAgree(`>\n    x\n0. ${F}\nx\n${F}\n`, [2, 4]);
  });

  it('an indented line after a quoted paragraph continues it lazily, and a list may start after it', () => {
    cellsAgree(`>x\n    -\nu\n2) 1. ~~~\n`, [3]);
  });

  it('a line continues a quote only with its ">" indented 0 to 3 columns, and one space or tab after ">" is not content', () => {
    // What the quote holds decides whether the next line is lazy text, and so whether "0. ```" may start a list.
    cellsAgree(`>\n    > y\nx\n0. ${F}\n`, []);
    cellsAgree(`> ${F}\n   > x\ny\n0. ${F}\n`, []);
    cellsAgree(`>\n>    x\ny\n0. ${F}\n`, [3]);
    cellsAgree(`>\n>\t x\ny\n0. ${F}\n`, [3]);
    cellsAgree(`>\n>a\nb\n0. ${F}\n`, [3]);
  });

  it('a blank line ends a paragraph in a list item: "0." may start a list after it', () => {
    cellsAgree(`- p\n\n  0. ${F}\n  x\n  ${F}\n`, [2, 4]);
  });

  it('after a blank line in a list item, a line at column 0 is a new paragraph, not a continuation', () => {
    cellsAgree('- u\n\n`\n2) ~~~\n', []);
  });
});

describe('block scanner near misses: a fence indented by a tab in a list item', () => {
  it('keeps the tab as its indent, so the output block indented by the same tab is its output', () => {
    const t = `- a\n\n\t${F}bash\n\tls\n\t${F}\n\n\t<!-- runbook:output {"exit":0} -->\n\t${F}text\n\thi\n\t${F}\n\t<!-- /runbook:output -->\n`;
    const doc = parseRunbook(t);
    const code = doc.cells.find((c) => c.kind === 'code');
    assert.equal(code?.kind, 'code');
    if (code?.kind !== 'code') return;
    assert.equal(code.source, 'ls');
    assert.equal(code.fence.indent, '\t');
    assert.deepEqual(code.outputs.map((o) => o.text), ['hi\n']);
    assert.equal(serializeRunbook(doc), t);
  });
});

describe('block scanner near misses: prose splits at top-level headings only', () => {
  it('a heading in a block quote, in a list item or in a quote in a list item does not split the prose', () => {
    proseSplitsAgree('p\n># h\n');
    proseSplitsAgree('p\n- > # h\n');
    proseSplitsAgree('p\n- # h\n');
    proseSplitsAgree('p\n# h\n> # q\ntext\n## i\n');
  });
});

describe('block scanner near misses: appending a cell', () => {
  it('a cell appended after prose that ends in an HTML block reads back as a cell', () => {
    for (const t of ['<e>', '<e>\n', 'p\n<e>', '<div>\n']) {
      const doc = parseRunbook(t);
      const before = doc.cells.length;
      doc.cells.push(newCode('echo hi'));
      const out = serializeRunbook(doc);
      const back = parseRunbook(out).cells;
      assert.equal(back.length, before + 1, JSON.stringify(out));
      assert.equal(back[before]?.kind, 'code', JSON.stringify(out));
      assertSameFences(out);
    }
  });
});
