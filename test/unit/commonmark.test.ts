// Differential tests of the document format against CommonMark itself (DESIGN §5, oracles): every example of
// the spec (npm commonmark-spec) round-trips byte for byte, and the fences our parser makes code cells are
// exactly the fenced code blocks markdown-it finds at top level or in list items (fences in block quotes stay
// prose, docs/DESIGN-NOTES.md). On generated documents, where markdown-it and commonmark.js (the spec's
// reference implementation, the algorithm of GitHub's cmark-gfm) disagree, we follow commonmark.js.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import spec from 'commonmark-spec';
import fc from 'fast-check';
import MarkdownIt from 'markdown-it';
import { parseRunbook, serializeRunbook } from '../../src/core/format/index.js';
import { ourFences, referenceFences, sameFences, type Fence } from './fenceOracles.js';
import { check } from './propertySeed.js';

const examples = spec.tests
  .map((e) => ({ ...e, markdown: e.markdown.replace(/→/g, '\t') }));

const mdit = new MarkdownIt('commonmark');

/** Fenced code blocks markdown-it finds outside block quotes: first line and content. */
function markdownItFences(text: string): { cells: Fence[]; quoted: number } {
  const cells: Fence[] = [];
  let quotes = 0;
  let quoted = 0;
  for (const t of mdit.parse(text, {})) {
    if (t.type === 'blockquote_open') quotes++;
    else if (t.type === 'blockquote_close') quotes--;
    else if (t.type === 'fence') {
      if (quotes) quoted++;
      else cells.push({ line: t.map![0], content: t.content });
    }
  }
  return { cells, quoted };
}

/** markdown-it's fences where commonmark.js finds the same; commonmark.js's where they differ. */
function oracleFences(text: string): { fences: Fence[]; agree: boolean } {
  const a = markdownItFences(text).cells;
  const b = referenceFences(text);
  const agree = JSON.stringify(a) === JSON.stringify(b);
  return { fences: agree ? a : b, agree };
}

const show = (text: string, ours: Fence[], theirs: Fence[]): string =>
  `${JSON.stringify(text)}\n  ours:   ${JSON.stringify(ours)}\n  oracle: ${JSON.stringify(theirs)}`;

describe('CommonMark spec examples', () => {
  it(`all ${examples.length} round-trip byte for byte (as written, CRLF, without final newline, with BOM)`, () => {
    const failures: string[] = [];
    for (const e of examples) {
      for (const variant of [e.markdown, e.markdown.replace(/\n/g, '\r\n'), e.markdown.replace(/\n$/, ''), '\uFEFF' + e.markdown]) {
        if (serializeRunbook(parseRunbook(variant)) !== variant) failures.push(`#${e.number} ${JSON.stringify(variant)}`);
      }
    }
    assert.deepEqual(failures, []);
  });

  it('every fence at top level or in a list item is a code cell, and no other text is (markdown-it)', () => {
    const failures: string[] = [];
    let fences = 0;
    let quoted = 0;
    for (const e of examples) {
      const oracle = markdownItFences(e.markdown);
      fences += oracle.cells.length;
      quoted += oracle.quoted;
      const ours = ourFences(e.markdown);
      if (!sameFences(ours, oracle.cells)) failures.push(`#${e.number} (${e.section}) ${show(e.markdown, ours, oracle.cells)}`);
    }
    assert.deepEqual(failures, []);
    assert.ok(fences >= 30 && quoted >= 2, `the spec has fences to compare (${fences} cells, ${quoted} in block quotes)`);
  });

  it('the same holds for every example placed inside a list item, a numbered step and a nested list (commonmark.js where markdown-it differs)', () => {
    const failures: string[] = [];
    let fences = 0;
    let onMarker = 0;
    for (const e of examples) {
      const lines = e.markdown.replace(/\n$/, '').split('\n');
      for (const [first, rest] of [['- ', '  '], ['1. ', '   '], ['- 2) ', '     '], ['* ', '  ']] as const) {
        const text = lines.map((l, i) => (i === 0 ? first : l === '' ? '' : rest) + l).join('\n') + '\n';
        const oracle = oracleFences(text);
        const ours = ourFences(text);
        fences += oracle.fences.length;
        onMarker += parseRunbook(text).cells.filter((c) => c.kind === 'code' && c.fence.lead !== undefined).length;
        if (!sameFences(ours, oracle.fences)) failures.push(`#${e.number} in "${first}" ${show(text, ours, oracle.fences)}`);
      }
    }
    assert.deepEqual(failures, []);
    assert.ok(fences >= 100 && onMarker >= 30, `fences compared: ${fences}, opened on a list-marker line: ${onMarker}`);
  });
});

describe('generated documents', () => {
  const prefix = fc.constantFrom('', '', '', ' ', '  ', '   ', '    ', '     ', '\t', ' \t', '- ', '* ', '1. ', '2) ', '-   ',
    '-\t', '> ', '>', '- - ', '1. - ', '> - ', '- > ', '-    ', '-     ', '10. ', '   - ', '  ', '      ');
  const body = fc.constantFrom('', '', '```', '```bash', '~~~', '````', '``` `x`', 'text', 'more text', '# H', '---', '===',
    '***', '<div>', '</div>', '<!--', '-->', '<pre>', '</pre>', '<a href="x">', '    code', '\tx', 'a', '- item', '1. item',
    '2. item', '```sh {name=x}', '  ```', '~~~~', '<details>', '[ref]: /url', '| a | b |', '|---|---|', '   ```', 'echo `x`');
  // Starts with a paragraph so that no document opens with front matter.
  const doc = fc.array(fc.tuple(prefix, body).map(([p, b]) => p + b), { maxLength: 16 }).map((ls) => `Intro\n\n${ls.join('\n')}\n`);

  it('have the code cells both CommonMark implementations find (commonmark.js where they differ)', () => {
    let differ = 0;
    let runs = 0;
    check(fc.property(doc, (text) => {
      runs++;
      const { fences, agree } = oracleFences(text);
      if (!agree) differ++;
      const ours = ourFences(text);
      assert.ok(sameFences(ours, fences), `${agree ? 'both implementations' : 'commonmark.js'}: ${show(text, ours, fences)}`);
      assert.equal(serializeRunbook(parseRunbook(text)), text);
    }), 5000);
    assert.ok(differ < runs * 0.05, `the two implementations rarely differ (${differ} of ${runs})`);
  });
});
