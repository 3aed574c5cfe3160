// Near misses for what the block scanner reads at a position of a line (src/core/format/lineCursor.ts): list
// markers, the column a list item's content starts at, tabs consumed partly, link reference definitions, and
// which first characters may end a paragraph. Each document has its code cells where commonmark.js (the
// algorithm of GitHub's cmark-gfm) has its fenced code blocks, and round-trips byte for byte (DESIGN §1).
// Written for the surviving mutants of lineCursor.ts: docs/mutation/lineCursor.md.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseRunbook, serializeRunbook } from '../../src/core/format/index.js';
import { assertSameFences, referenceFences } from './fenceOracles.js';

const F = '```';

/** The document's code cells start at `lines` (0-based), as commonmark.js's fences do, and it round-trips. */
function cellsAt(text: string, lines: number[]): void {
  const theirs = referenceFences(text);
  assert.deepEqual(theirs.map((f) => f.line), lines, `commonmark.js reads ${JSON.stringify(text)} differently than this test says`);
  assertSameFences(text, theirs);
  assert.equal(serializeRunbook(parseRunbook(text)), text);
}

describe('link reference definitions: a paragraph of them only is no setext heading', () => {
  // After a setext heading, "2. ```" starts a list with a code cell (line 2); after a paragraph of definitions,
  // "===" and "2. ```" continue it and only the last line, "   ```", opens a fence (line 4).
  const after = `\n===\n2. ${F}\n   x\n   ${F}\n`;

  it('reads each one-line form of a definition as a definition', () => {
    for (const def of ['[a]: /u', '[ a]: /u', '[a]: <uv>', '[a]: <>', '[a]: /url', '[a]: /u "ti"', "[a]: /u 'ti'", '[a]: /u (ti)', "[a]: /u  'ti'", '[a]: /u (t i)  ', "[a]: /u'ti'"]) {
      cellsAt(def + after, [4]);
    }
  });

  it('reads a label with a bracket in it, or an empty one, as text: the paragraph is a heading', () => {
    for (const text of ['[x [a]: /u', '[x]a]: /u', '[ ]: /u', '[]: /u', '[a]: /u "ti', '[a]: /u (ti))']) {
      cellsAt(text + after, [2]);
    }
  });
});

describe('list markers', () => {
  it('reads "9." as an ordered list marker', () => {
    cellsAt(`9. ${F}\n   x\n   ${F}\n`, [0]);
    cellsAt(`p\n\n9) ${F}\n   x\n   ${F}\n`, [2]);
  });

  it('reads a marker only at the first non-space character: "1    2." is a paragraph', () => {
    cellsAt(`1    2. ${F}\n     x\n     ${F}\n`, []);
    cellsAt(`1.   2. ${F}\n        x\n        ${F}\n`, [0]);
  });

  it('an empty list item does not end a paragraph (after a blank line it starts a list), a "+ " item with content does', () => {
    cellsAt(`a\n*\n  2. ${F}\n     x\n     ${F}\n`, []);
    cellsAt(`a\n+\n  2. ${F}\n     x\n     ${F}\n`, []);
    cellsAt(`a\n+ ${F}\n  x\n  ${F}\n`, [1]);
    cellsAt(`a\n\n*\n  2. ${F}\n     x\n     ${F}\n`, [3]);
  });

  it('an item whose marker is followed by blanks only has its content one column after the marker', () => {
    // The item's content is at column 2: "  ```" is in it, "x" at column 0 ends it and its fence.
    cellsAt(`-   \n  ${F}\nx\n  ${F}\n`, [1, 3]);
    cellsAt(`-\t\n  ${F}\nx\n  ${F}\n`, [1, 3]);
    // With content after the blanks, the content column is the content's: "  ```" is outside the item.
    cellsAt(`-   x\n  ${F}\nx\n  ${F}\n`, [1]);
  });
});

describe('tabs in the indentation of a list item\'s lines', () => {
  it('counts a tab that starts inside an item\'s content column by the columns it spans', () => {
    // The inner item's content is at column 6; the tab spans columns 2 to 4, so the fence is 2 columns further.
    cellsAt(`- -   b\n  \t    ${F}\n      x\n      ${F}\n`, [1]);
    cellsAt(`- -   b\n  \t      ${F}\n      x\n`, []);
  });
});

describe('what ends a paragraph', () => {
  it('a thematic break of underscores and an empty block quote end it: "2." after them starts a list', () => {
    cellsAt(`a\n___\n2. ${F}\n   x\n   ${F}\n`, [2]);
    cellsAt(`a\n>\n2. ${F}\n   x\n   ${F}\n`, [2]);
    cellsAt(`a\n__\n2. ${F}\n   x\n   ${F}\n`, [4]);
  });
});
