// More exact promises of the document format (DESIGN §1), added after the first mutation run of the format group
// had started: run beside the group's suite (stryker.config.mjs `extra`), so an incremental re-run tests again the
// mutants these tests reach. Differential near misses against commonmark.js, new log sections, cells added
// inside list items, and a few near-miss lines of output blocks and log rows. docs/MUTATION.md, "format".
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  parseInfo, parseRunbook, serializeRunbook, type Cell, type CodeCell, type LogRow, type OutputMeta,
} from '../../src/core/format/index.js';
import { findLogSection, parseLogRow, renderLogRow, renderLogRowV1, renderLogSection } from '../../src/core/format/executionLogSection.js';
import { imageLine } from '../../src/core/format/outputBlock.js';
import { captionParts, htmlCaption, markdownCaption } from '../../src/core/format/outputCaption.js';
import { assertSameFences, ourFences, referenceFences, sameFences } from './fenceOracles.js';
import { newCode, newMarkdown, withCells, withFirstCodeEdited } from './formatCells.js';

const F = '```';
const roundtrip = (t: string): string => serializeRunbook(parseRunbook(t));

describe('near-miss lines of output blocks and log rows', () => {
  const cell = `${F}bash\nls\n${F}\n\n`;
  const block = (lines: string[]): string => `${cell}<!-- runbook:output {"exit":0} -->\n${lines.join('\n')}\n<!-- /runbook:output -->\n`;
  const outputs = (text: string): { text: string; lang?: string }[] => {
    assert.equal(roundtrip(text), text);
    const code = parseRunbook(text).cells.find((c): c is CodeCell => c.kind === 'code');
    return (code?.outputs ?? []).map((o) => ({ text: o.text, lang: o.lang }));
  };

  it('percent-encodes a tab and a line break in an image link with two hex digits', () => {
    assert.equal(imageLine({ alt: 'a\tb', src: 'a\tb\nc.svg' }), '![a b](a%09b%0Ac.svg)');
  });

  it('reads a </details> line with blanks around it after the code block, and nothing else there', () => {
    assert.deepEqual(outputs(block([`${F}text`, 'x', F, ' \t</details> \t'])), [{ text: 'x\n', lang: 'text' }]);
    assert.deepEqual(outputs(block([`${F}text`, 'x', F, '</details>x'])), []);
    assert.deepEqual(outputs(block([`${F}text`, 'x', F, '<details>'])), []);
  });

  it('reads a format-1 row without its last pipe, and writes a CRLF in a detail as a space', () => {
    const row: LogRow = { n: 1, time: 't', operator: 'o', target: 'x', cell: 'c', event: 'run', exit: 0, ms: 5, digest: 'd', chain: 'c' };
    assert.deepEqual(parseLogRow('| 1 | t | o | x | c | run | 0 | 5 | `d` | `c`'), row);
    assert.equal(renderLogRowV1({ ...row, detail: 'a\r\nb' }), '| 1 | t | o | x | c | run | 0 | 5 | `d` | `c` | a b |');
  });
});

describe('near-miss block structure, checked against commonmark.js (the algorithm of GitHub\'s cmark-gfm)', () => {
  const F = '```';
  const nearMisses = [
    `p\n<details>\n${F}\nx\n${F}\n`, `p\n<table>\n${F}\nx\n${F}\n`, `p\n<ul>\n${F}\nx\n${F}\n`, `p\n<tr>\n${F}\nx\n${F}\n`, `p\n<address x\n${F}\nx\n${F}\n`,
    `p\n<DIV>\n${F}\nx\n${F}\n`, `<pre x>\n\n${F}\nx\n${F}\n</pre>\n`, `<pre\n\n${F}\nx\n${F}\n</pre>\n`, `</a>\n${F}\nx\n${F}\n`, `<a><!--\n${F}\nx\n${F}\n`,
    `<a><?\n${F}\nx\n${F}\n`, `<a><!X\n${F}\nx\n${F}\n`, `<a <!X\n${F}\nx\n${F}\n`, `<a b\n${F}\nx\n${F}\n`, `a\n\t\n${F}\nx\n${F}\n`,
    `${F}\nx\n\t${F}\n`, `${F}\nx\n   ${F}\n`, `${F}\nx\n    ${F}\n`, `${F}\nx\n \t${F}\n`, `${F}\nx\n${F} y\n${F}\n`, `${F}\nx\n${F}\t \n`,
    `~~~ a\`b\nx\n~~~\n`, `${F} a\`b\nx\n${F}\n`, `- a\n\n  ${F}\n  x\n  ${F}\n`, `- ${F}\n  x\ny\n`, `-\n\n  ${F}\n  x\n  ${F}\n`,
    `> ${F}\n> x\n${F}\nz\n`, `> - ${F}\n>   x\n`, `#5 bolt\n${F}\nx\n${F}\n`, `#\tx\n${F}\nx\n${F}\n`, `####### x\n${F}\nx\n${F}\n`,
    `  # x\n${F}\nx\n${F}\n`, `a\n===\n${F}\nx\n${F}\n`, `a\n---\n${F}\nx\n${F}\n`, `[a]: /u\n===\n${F}\nx\n${F}\n`, `[a]: /u\n---\n${F}\nx\n${F}\n`,
    `***\n${F}\nx\n${F}\n`, `- - -\n${F}\nx\n${F}\n`, `p\n    ${F}\nx\n${F}\n`, `    ${F}\n    x\n`, `p\n2. ${F}\nx\n${F}\n`, `p\n1. ${F}\nx\n${F}\n`,
    `-     ${F}\n      x\n`, `-\t${F}\n\tx\n\t${F}\n`, `- a\n  - ${F}\n    x\n    ${F}\n`, `- ${F}\n  x\n\n  y\n  ${F}\n`, `1) ${F}\nx\n${F}\n`, `10. ${F}\n    x\n    ${F}\n`,
    `1234567890. ${F}\nx\n${F}\n`, `<div>\n${F}\nx\n${F}\n`, `<div>\n\n${F}\nx\n${F}\n`, `<pre>\n\n${F}\nx\n${F}\n</pre>\n`, `<!--\n\n${F}\nx\n${F}\n-->\n`,
    `<?\n\n${F}\nx\n?>\n`, `<!X\n\n${F}\nx\n${F}\n>\n`, `<![CDATA[\n\n${F}\nx\n]]>\n`, `<a href="x">\n${F}\nx\n${F}\n`, `p\n<a href="x">\n${F}\nx\n${F}\n`,
    `<a href="x">\n\n${F}\nx\n${F}\n`, `<custom-tag>\n${F}\nx\n${F}\n</custom-tag>\n`, `p\n<div>\n${F}\nx\n${F}\n`, `- <div>\n${F}\nx\n${F}\n`, `> <div>\n${F}\nx\n${F}\n`,
    `- a\n${F}\nx\n${F}\n`, `- a\n b\n  ${F}\n  x\n  ${F}\n`, `1. a\n\n   ${F}\n   x\n  ${F}\n`, `- a\n\n\n  ${F}\n  x\n  ${F}\n`, `*\ta\n\n\t${F}\n\tx\n\t${F}\n`,
    `+ ${F}\n  x\n  ${F}\n`, `- ${F}\n x\n`, `>${F}\n>x\n`, `> a\n${F}\nx\n${F}\n`, `> a\n> \n${F}\nx\n`, `para\n${F}\nx\n${F}\n`, `para\n~~~\nx\n~~~\n`,
    `- a\n  > ${F}\n  > x\n\n  ${F}\n  y\n  ${F}\n`, `\t${F}\n\tx\n`, `  ${F}\n x\n  y\n   z\n  ${F}\n`, ` ${F}\n  x\n ${F}\n`, `   ~~~~\n x\n   ~~~~~\n`,
    `- a\n-\n  ${F}\n  x\n  ${F}\n`, `-\n  ${F}\n  x\n  ${F}\n`, `-\n\n\n  ${F}\n`, `1.\n   ${F}\n   x\n`, `- \n  ${F}\n  x\n`, `-   \n  ${F}\n  x\n`,
    `- a\n\n    ${F}\n    x\n`, `-  a\n\n   ${F}\n   x\n`, `- a\n  b\n${F}\nx\n${F}\n`, `[a]: /u\n[b]: /v\n${F}\nx\n${F}\n`, `[a]:\n/u\n${F}\nx\n`,
    `a\n  ===\n${F}\nx\n`, `a\n=== b\n${F}\nx\n`, `- a\n  ---\n  ${F}\n  x\n`, `- a\n---\n${F}\nx\n`, `  - a\n    - b\n      ${F}\n      x\n      ${F}\n`,
    `- a\n\t${F}\n\tx\n\t${F}\n`, `1.  a\n\n    ${F}\n    x\n`, `- a\n\n  b\n${F}\nx\n${F}\n`, `> - a\n>   ${F}\n>   x\n${F}\ny\n`, `<!-- a -->\n${F}\nx\n${F}\n`,
    `<div></div>\n${F}\nx\n`, `<?x?>\n${F}\nx\n`, `<![CDATA[x]]>\n${F}\nx\n`, `<!X>\n${F}\nx\n`, `<script>x</script>\n${F}\nx\n`, `<style\n${F}\nx\n</style>\n${F}\ny\n`,
    `- <!--\n  ${F}\n  x\n  -->\n  ${F}\n  y\n`, `- ${F}\n  x\n  ${F}\n  <!-- z\n- ${F}\n  w\n`, `***\n- ${F}\n  x\n`, `- ***\n  ${F}\n  x\n`, `# a\n- ${F}\n  x\n`,
    `- # a\n  ${F}\n  x\n`, `a\n- ${F}\n  x\n`, `a\n-\n  ${F}\n`, `a\n1.\n${F}\nx\n`, `a\n*   b\n  ${F}\n`,
  ];

  it(`has exactly the code cells commonmark.js finds, at the same lines with the same content (${nearMisses.length} documents)`, () => {
    const failures: string[] = [];
    for (const text of nearMisses) {
      const [got, expected] = [ourFences(text), referenceFences(text)];
      if (!sameFences(got, expected)) failures.push(`${JSON.stringify(text)}\n  ours:   ${JSON.stringify(got)}\n  theirs: ${JSON.stringify(expected)}`);
      if (roundtrip(text) !== text) failures.push(`${JSON.stringify(text)} does not round-trip`);
    }
    assert.deepEqual(failures, []);
  });

  // Every first line (reference definitions, list markers, quotes, headings, breaks, tabs) followed by every probe
  // that shows the state it leaves (a setext underline, indented code, a kind-7 HTML line, an indented fence...).
  // commonmark.js reads a tab after a reference definition's destination as text, against the spec (which allows
  // spaces or tabs there, as cmark-gfm does): that first line is not in the list.
  const firsts = ['[a]: /u', '[a]: <u> "t"', "[a]: /u 't'", '[a]: /u (t)', '[ ]: /u', '[a]:/u', '[a]: /u "t" x', '[a]: <u>x', '[a\\]]: /u', '[a]: /u "t\\"q"', '[a]:', '[]: /u', '[a] /u', '[a]: <a<b>',
    '- a', '-a', '1. a', '1.a', '1) a', '0. a', '01. a', '123456789. a', '-  a', '-    a', '-     a', '-\ta', '- \ta', '  -\t\ta', '*\t a', '+', '1.', '2.', ' - a', '   - a', '    - a',
    '> a', '>a', '>\ta', '> > a', '> - a', '- > a', '   > a', '    > a', '# a', '#a', '###### a', '####### a', '#', '# ', 'a', '<div>', '<a href="x">', '<!-- a', '***', '* * *', '_ _ _', '- - -', '-- -', '__', '**',
    '\ta', '  \ta', ' \t- a', '-\t\ta', '1.\t\ta', '10)  a', '1.     a',
    '<textarea>', '<scriptx>', '<PRE>', '<style', '</div>', '<div/>', '<divx>', '<DIV class="x">', '<a/>', '</a >', '<a b=c>', "<a b='c'>", '<a b>', '<a  >x',
    '<?php', '<!DOCTYPE html>', '<![CDATA[', '<!--x-->', '<x-y>', '<1a>', '</script>', '<pre>x</pre>', '<p>', '<table>', '<details>'];
  const probes = ['', `\n===\n<a href="x">\n${F}\nx\n${F}\n`, `\n    ${F}\nx\n${F}\n`, `\n<a href="x">\n${F}\nx\n${F}\n`, `\n  ${F}\n  x\n  ${F}\n`, `\n\n  ${F}\n  x\n  ${F}\n`, `\n   ${F}\n   x\n   ${F}\n`, `\n---\n${F}\nx\n`, `\nb\n${F}\nx\n`, `\n\n    ${F}\n    x\n`, `\n\t${F}\n\tx\n`, `\n> ${F}\nx\n`, `\n2. ${F}\nx\n`, `\n    b\n  ${F}\n  x\n`, `\n\n\n  ${F}\n  x\n`];

  it(`has the code cells commonmark.js finds in every first line followed by every probe (${firsts.length * probes.length} documents)`, () => {
    const failures: string[] = [];
    for (const first of firsts) {
      for (const probe of probes) {
        const text = first + (probe || `\n${F}\nx\n${F}\n`);
        const [got, expected] = [ourFences(text), referenceFences(text)];
        if (!sameFences(got, expected)) failures.push(`${JSON.stringify(text)}\n  ours:   ${JSON.stringify(got)}\n  theirs: ${JSON.stringify(expected)}`);
        if (roundtrip(text) !== text) failures.push(`${JSON.stringify(text)} does not round-trip`);
      }
    }
    assert.deepEqual(failures, []);
  });
});

describe('a new execution log section', () => {
  const row: LogRow = { n: 1, time: '2026-11-23T05:13:04Z', operator: 'o', target: 'local', cell: 'c', event: 'note', exit: null, ms: null, digest: 'd', chain: 'h' };
  const logged = (text: string): string => {
    const doc = parseRunbook(text);
    doc.log = { raw: '', rows: [row], parsedCount: 0 };
    return serializeRunbook(doc);
  };
  const section = (eol: string): string => ['<!-- runbook:log -->', '## Execution log', '', '| # | Time (UTC) | Cell | Event | Operator → target | Detail |',
    '|--:|---|---|---|---|---|', renderLogRow(row), '<!-- /runbook:log -->', ''].join(eol);

  it('starts on a line of its own after a blank line, whatever the text ended with', () => {
    assert.equal(logged(''), section('\n'));
    assert.equal(logged('  '), `  \n${section('\n')}`);
    assert.equal(logged('\n\n'), `\n\n${section('\n')}`);
    assert.equal(logged('a'), `a\n\n${section('\n')}`);
    assert.equal(logged('a\n'), `a\n\n${section('\n')}`);
    assert.equal(logged('a\n\n\n'), `a\n\n\n${section('\n')}`);
    assert.equal(logged('a\r\n'), `a\r\n\r\n${section('\r\n')}`);
    assert.equal(logged('```sh\nls'), `\`\`\`sh\nls\n\`\`\`\n\n${section('\n')}`);
    assert.equal(logged('<!-- x'), `<!-- x\n-->\n\n${section('\n')}`);
  });

  it('starts after front matter that has no final line ending (a bug: it was glued to the closing "---")', () => {
    const out = logged('---\na: 1\n---');
    assert.equal(out, `---\na: 1\n---\n${section('\n')}`);
    const back = parseRunbook(out);
    assert.equal(back.frontMatter?.raw, '---\na: 1\n---\n');
    assert.deepEqual(back.log?.rows, [row]);
  });

  it('keeps a section read from the file after a new last cell', () => {
    const text = '# T\n<!-- runbook:log -->\nx\n<!-- /runbook:log -->';
    const doc = parseRunbook(text);
    doc.cells.push(newCode('ls'));
    assert.equal(serializeRunbook(doc), '# T\n\n```bash\nls\n```\n\n<!-- runbook:log -->\nx\n<!-- /runbook:log -->');
  });
});

describe('cells added inside list items', () => {
  const code = newCode;
  const md = newMarkdown;
  /** The text written with `cells` inserted at `at`, and the cells it reads back as. */
  const inserted = (text: string, at: number, ...cells: Cell[]): [string, string[]] => {
    const out = withCells(text, at, ...cells);
    return [out, parseRunbook(out).cells.map((c) => `${c.kind}:${c.source}`)];
  };
  const out = (meta: string, indent: string): string =>
    `${indent}<!-- runbook:output ${meta} -->\n${indent}${F}text\n${indent}o\n${indent}${F}\n${indent}<!-- /runbook:output -->\n`;

  it('goes on with the item of the code cell before, when indented prose of the item follows', () => {
    const text = `1. a\n   ${F}sh\n   ls\n   ${F}\n\n${out('{"exit":0}', '   ')}\n   more text\n`;
    assert.deepEqual(inserted(text, 2, code('new')), [
      `1. a\n   ${F}sh\n   ls\n   ${F}\n\n${out('{"exit":0}', '   ')}\n   ${F}bash\n   new\n   ${F}\n\n   more text\n`,
      ['markdown:1. a', 'code:ls', 'code:new', 'markdown:   more text'],
    ]);
  });

  it('stays at top level after an output an older version wrote at column 0 (it ended the item)', () => {
    const text = `1. a\n   ${F}sh\n   ls\n   ${F}\n\n${out('{"exit":0}', '')}\n   more text\n`;
    assert.deepEqual(inserted(text, 2, md('new'))[0], `1. a\n   ${F}sh\n   ls\n   ${F}\n\n${out('{"exit":0}', '')}\nnew\n\n   more text\n`);
  });

  it('stays at top level after a code cell outside any list, before indented text', () => {
    assert.deepEqual(inserted(`${F}sh\nls\n${F}\n\n    indented code\n`, 1, md('new'))[0], `${F}sh\nls\n${F}\n\nnew\n\n    indented code\n`);
  });

  it('goes where the list marker of the next fence is, when that fence opens on a marker line', () => {
    assert.deepEqual(inserted(`1. a\n\n   - ${F}sh\n     ls\n     ${F}\n`, 1, code('new')),
      [`1. a\n\n   ${F}bash\n   new\n   ${F}\n\n   - ${F}sh\n     ls\n     ${F}\n`, ['markdown:1. a', 'code:new', 'code:ls']]);
  });

  it('places several new cells together, each indented, and multi-line prose on every line', () => {
    assert.deepEqual(inserted(`- a\n  ${F}sh\n  ls\n  ${F}\n`, 1, md('n1'), code('n2')),
      [`- a\n\n  n1\n\n  ${F}bash\n  n2\n  ${F}\n\n  ${F}sh\n  ls\n  ${F}\n`, ['markdown:- a\n\n  n1', 'code:n2', 'code:ls']]);
    assert.deepEqual(inserted(`- a\n\n  ${F}sh\n  ls\n  ${F}\n`, 1, md('l1\n\nl2'))[0], `- a\n\n  l1\n\n  l2\n\n  ${F}sh\n  ls\n  ${F}\n`);
    assert.deepEqual(inserted(`- a\n\n  ${F}sh\n  ls\n`, 1, code('x')),
      [`- a\n\n  ${F}bash\n  x\n  ${F}\n\n  ${F}sh\n  ls\n`, ['markdown:- a', 'code:x', 'code:ls']]);
  });

  it('follows an item whose first line is only its marker directly (a blank line would end the item)', () => {
    assert.deepEqual(inserted(`1.\n   ${F}sh\n   ls\n   ${F}\n`, 1, md('n')), [`1.\n   n\n\n   ${F}sh\n   ls\n   ${F}\n`, ['markdown:1.\n   n', 'code:ls']]);
    assert.deepEqual(inserted(`- - \n    ${F}sh\n    ls\n    ${F}\n`, 1, code('n'))[0], `- - \n    ${F}bash\n    n\n    ${F}\n\n    ${F}sh\n    ls\n    ${F}\n`);
    assert.deepEqual(inserted(`* 1)\n     ${F}sh\n     ls\n     ${F}\n`, 1, code('n'))[0], `* 1)\n     ${F}bash\n     n\n     ${F}\n\n     ${F}sh\n     ls\n     ${F}\n`);
    assert.deepEqual(inserted(`text -\n  ${F}sh\n  ls\n  ${F}\n`, 1, code('n'))[0], `text -\n\n${F}bash\nn\n${F}\n\n  ${F}sh\n  ls\n  ${F}\n`);
  });
});

describe('a code cell with original bytes that cannot be rebuilt (mixed line endings)', () => {
  const edit = withFirstCodeEdited;

  it('keeps its bytes while source, language and attributes say the same, and rewrites it after any change', () => {
    assert.equal(edit('```sh\r\nx\n```\r\n', (c) => { c.source = 'x'; }), '```sh\r\nx\n```\r\n');
    assert.equal(edit('```sh {name=a}\r\nx\n```\r\n', (c) => { c.attributes.name = 'a'; }), '```sh {name=a}\r\nx\n```\r\n');
    assert.equal(edit('```sh\r\nx\n```\r\n', (c) => { c.source = 'y'; }), '```sh\r\ny\r\n```\r\n');
    assert.equal(edit('```sh\r\nx\n```\r\n', (c) => { c.language = 'sql'; }), '```sql\r\nx\r\n```\r\n');
    assert.equal(edit('```sh {name=a}\r\nx\n```\r\n', (c) => { c.attributes.name = 'b'; }), '```sh {name=b}\r\nx\r\n```\r\n');
  });

  it('lengthens the fence of an unclosed cell for an edited source and leaves it unclosed', () => {
    assert.equal(edit('```sh\nx', (c) => { c.source = 'a\n```\nb'; }), '````sh\na\n```\nb');
    assert.equal(edit('- a\n  ```sh\n  x', (c) => { c.source = 'a\n```\nb'; }), '- a\n  ````sh\n  a\n  ```\n  b');
  });
});

describe('near misses found by the first mutation run (outputs, log rows, captions, attributes, HTML)', () => {
  const cell = `${F}bash\nls\n${F}\n\n`;
  const block = (lines: string[]): string => `${cell}<!-- runbook:output {"exit":0} -->\n${lines.join('\n')}\n<!-- /runbook:output -->\n`;
  const outputsOf = (text: string) => {
    assert.equal(roundtrip(text), text);
    return parseRunbook(text).cells.filter((c): c is CodeCell => c.kind === 'code').flatMap((c) => c.outputs);
  };

  it('reads an output as exactly its metadata, text, language and bytes (no image key without an image)', () => {
    const text = block([`${F}text`, 'x', F]);
    assert.deepStrictEqual(outputsOf(text), [{ meta: { exit: 0 }, text: 'x\n', lang: 'text', raw: text.slice(cell.length - 2, -1) }]);
  });

  it('takes as the inner fence only a whole line of a fence and a language, trailing blanks allowed', () => {
    assert.deepEqual(outputsOf(block(['a```text', 'x', F])), []);
    assert.deepEqual(outputsOf(block(['```text junk', 'x', F])), []);
    assert.deepEqual(outputsOf(block(['```text \t', 'x', F])).map((o) => [o.text, o.lang]), [['x\n', 'text']]);
  });

  it('takes as the image only a whole line', () => {
    assert.deepEqual(outputsOf(block([`${F}text`, 'x', F, '', 'x![a](b.svg)'])), []);
    assert.deepEqual(outputsOf(block([`${F}text`, 'x', F, '', '![a](b.svg)x'])), []);
  });

  it('reads an indented block only when its head lines are indented too (blank ones may be shorter)', () => {
    const item = (head: string[]): string => `- step\n  ${F}bash\n  ls\n  ${F}\n\n  <!-- runbook:output {"exit":0} -->\n${head.join('\n')}\n  ${F}text\n  a\n  ${F}\n  <!-- /runbook:output -->\n`;
    assert.deepEqual(outputsOf(item([' ✓ exit 0'])), []);
    assert.deepEqual(outputsOf(item(['  <details><summary>x</summary>', ' '])).map((o) => o.text), ['a\n']);
  });

  const row: LogRow = { n: 12, time: '2026-11-23T05:13:04Z', operator: 'o', target: 'x', cell: 'c', event: 'run', exit: 0, ms: 5, digest: 'd', chain: 'h' };

  it('reads a format-2 row only as a whole line, with a number of any length', () => {
    const line = renderLogRow(row);
    assert.deepEqual(parseLogRow(line), row);
    assert.equal(parseLogRow(`x${line}`), undefined);
    assert.equal(parseLogRow(`${line} x`), undefined);
  });

  it('reads a format-1 row only from a line that starts with a pipe and a number, and strips the ticks of its hashes', () => {
    assert.equal(parseLogRow('- 1 | t | o | x | c | run | 0 | 5 | `d` | `c` |'), undefined);
    assert.equal(parseLogRow('| a1 | t | o | x | c | run | 0 | 5 | `d` | `c` |'), undefined);
    assert.equal(parseLogRow('| 1a | t | o | x | c | run | 0 | 5 | `d` | `c` |'), undefined);
    assert.equal(parseLogRow('| 1 | t | o | x | c | run | 0 | 5 | `d` |  '), undefined);
    assert.deepEqual(parseLogRow('| 12 | t | o | x | c | run | 0 | 5 | ``a`b`` | `c` | C:\\x |'),
      { n: 12, time: 't', operator: 'o', target: 'x', cell: 'c', event: 'run', exit: 0, ms: 5, digest: 'a`b', chain: 'c', detail: 'C:\\x' });
    assert.equal(renderLogRowV1(row), '| 12 | 2026-11-23T05:13:04Z | o | x | c | run | 0 | 5 | `d` | `h` |  |');
  });

  it('does not take a close marker without its open marker, a close marker ended by a lone CR, or an unclosed seal', () => {
    assert.equal(findLogSection(`${'x'.repeat(19)}\n<!-- /runbook:log -->\n`), undefined);
    assert.equal(findLogSection('# T\n\n<!-- runbook:log -->\nx\n<!-- /runbook:log -->\r'), undefined);
    assert.equal(findLogSection('# T\n\n<!-- runbook:log -->\nx\n<!-- /runbook:log -->\n\n<!-- runbook:seal \n'), undefined);
    assert.equal(findLogSection('# T\n\n<!-- runbook:log -->\nx\n<!-- /runbook:log -->\njunk\n<!-- runbook:seal {} -->\n<!-- /runbook:seal -->\n'), undefined);
  });

  it('finds a section after a first blank line, and a seal after a line of blanks', () => {
    assert.deepEqual(findLogSection('\n<!-- runbook:log -->\nx\n<!-- /runbook:log -->\n'), { start: 1, end: 46 });
    const text = '# T\n\n<!-- runbook:log -->\nx\n<!-- /runbook:log -->\n \n<!-- runbook:seal {} -->\nsig\n<!-- /runbook:seal -->\n';
    assert.deepEqual(findLogSection(text), { start: 5, end: 50 });
  });

  it('appends under the format-2 header of an LF section without a second header', () => {
    const head = '<!-- runbook:log -->\n| # | Time (UTC) | Cell | Event | Operator → target | Detail |\n|--:|---|---|---|---|---|\n';
    const raw = `${head}${renderLogRow(row)}\n<!-- /runbook:log -->\n`;
    const next = { ...row, n: 13 };
    assert.equal(renderLogSection({ raw, rows: [row, next], parsedCount: 1 }, '\n'), `${head}${renderLogRow(row)}\n${renderLogRow(next)}\n<!-- /runbook:log -->\n`);
  });

  it('names a target only when it is a non-empty string, pads a code span with a backtick at either end, one space per line break', () => {
    // A host that is not a string can only come from a hand-edited block's JSON.
    for (const meta of [{ host: 5, exit: 0 } as unknown as OutputMeta, { host: '', exit: 0 }]) assert.equal(captionParts(meta)?.target, undefined, JSON.stringify(meta));
    const md = (host: string): string => markdownCaption(captionParts({ host })!);
    assert.equal(md('x`'), '`` x` ``');
    assert.equal(md('`x'), '`` `x ``');
    assert.equal(htmlCaption(captionParts({ host: 'a\r\nb' })!), '<code>a b</code>');
  });

  it('reads attributes after a language glued to the brace, and values ending in a quote', () => {
    assert.deepEqual(parseInfo('x{a=1}'), { lang: 'x', json: false, attributes: { a: '1' } });
    assert.deepEqual(parseInfo(`sh {k=a" j=b'}`), { lang: 'sh', json: false, attributes: { k: 'a"', j: "b'" } });
  });

  it('closes the HTML block a comment opened with "-->" even when a tag name follows the "<!--"', () => {
    const doc = parseRunbook('<!--<pre');
    doc.cells.push({ kind: 'markdown', source: 'y' });
    assert.equal(serializeRunbook(doc), '<!--<pre\n-->\n\ny\n');
  });
});

describe('lines of only a tab', () => {
  it('are blank: they go to the gap after prose, and before an output block', () => {
    const doc = parseRunbook('a\n\t\n```sh\nx\n```\n\t\n<!-- runbook:output {"exit":0} -->\n```text\no\n```\n<!-- /runbook:output -->\n');
    assert.deepEqual(doc.cells.map((c) => [c.source, c.gap]), [['a', '\n\t\n'], ['x', '\n']]);
    assert.deepEqual((doc.cells[1] as CodeCell).outputs.map((o) => o.text), ['o\n']);
  });
});

describe('near misses found by the serializer\'s mutation run', () => {
  const code = newCode;
  const md = newMarkdown;
  const inserted = withCells;

  it('follows nested empty items with numbers of two digits or two spaces directly', () => {
    assert.equal(inserted(`10. -\n      ${F}sh\n      ls\n      ${F}\n`, 1, code('n')), `10. -\n      ${F}bash\n      n\n      ${F}\n\n      ${F}sh\n      ls\n      ${F}\n`);
    assert.equal(inserted(`-  -\n     ${F}sh\n     ls\n     ${F}\n`, 1, code('n')), `-  -\n     ${F}bash\n     n\n     ${F}\n\n     ${F}sh\n     ls\n     ${F}\n`);
    assert.equal(inserted(`- 10.\n      ${F}sh\n      ls\n      ${F}\n`, 1, code('n')), `- 10.\n      ${F}bash\n      n\n      ${F}\n\n      ${F}sh\n      ls\n      ${F}\n`);
  });

  it('puts a blank line after prose that only ends like a marker, after a code cell, and before a cell left at top level', () => {
    assert.equal(inserted(`- a\nx-\n  ${F}sh\n  ls\n  ${F}\n`, 1, code('n')), `- a\nx-\n\n  ${F}bash\n  n\n  ${F}\n\n  ${F}sh\n  ls\n  ${F}\n`);
    assert.equal(inserted(`- a\n  ${F}\n  -\n  ${F}\n  ${F}sh\n  ls\n  ${F}\n`, 2, code('n')), `- a\n  ${F}\n  -\n  ${F}\n\n  ${F}bash\n  n\n  ${F}\n\n  ${F}sh\n  ls\n  ${F}\n`);
    assert.equal(inserted('-\n', undefined, code('ls')), `-\n\n${F}bash\nls\n${F}\n`);
  });

  it('writes a first log section after an empty list item', () => {
    const doc = parseRunbook('- ');
    doc.log = { raw: '', rows: [], parsedCount: 0 };
    assert.equal(serializeRunbook(doc), '- \n\n<!-- runbook:log -->\n## Execution log\n\n| # | Time (UTC) | Cell | Event | Operator → target | Detail |\n|--:|---|---|---|---|---|\n<!-- /runbook:log -->\n');
  });

  it('writes a new cell that already has its indentation, list marker or original bytes as it is', () => {
    assert.equal(inserted(`- a\n  ${F}sh\n  ls\n  ${F}\n`, 1, code('n', { indent: '    ', marker: F, info: 'bash', lang: 'bash', close: `    ${F}` })),
      `- a\n\n    ${F}bash\n    n\n    ${F}\n\n  ${F}sh\n  ls\n  ${F}\n`);
    assert.equal(inserted(`- a\n  ${F}sh\n  ls\n  ${F}\n`, 1, code('n', { indent: '  ', lead: '- ', marker: F, info: 'bash', lang: 'bash', close: `  ${F}` })),
      `- a\n\n- ${F}bash\n  n\n  ${F}\n\n  ${F}sh\n  ls\n  ${F}\n`);
    assert.equal(inserted(`- a\n  ${F}sh\n  ls\n  ${F}\n`, 1, { kind: 'markdown', source: 'p\nq', raw: 'p\r\nq' }), `- a\n\np\r\nq\n\n  ${F}sh\n  ls\n  ${F}\n`);
  });

  it('keeps the closing line of a new cell placed in a list as written, indented like the item', () => {
    assert.equal(inserted(`- a\n  ${F}sh\n  ls\n  ${F}\n`, 1, code('n', { indent: '', marker: F, info: 'bash', lang: 'bash', close: `${F}  ` })),
      `- a\n\n  ${F}bash\n  n\n  ${F}  \n\n  ${F}sh\n  ls\n  ${F}\n`);
  });

  it('indents each of two new cells after a code cell of a list item, before indented prose of the item', () => {
    assert.equal(inserted(`- ${F}sh\n  ls\n  ${F}\n\n  more\n`, 1, md('n1'), md('n2')), `- ${F}sh\n  ls\n  ${F}\n\n  n1\n\n  n2\n\n  more\n`);
  });

  it('writes edited prose that had mixed line endings from its new source', () => {
    const doc = parseRunbook('a\r\nb\nc\r\n');
    doc.cells[0]!.source = 'a\nB\nc';
    assert.equal(serializeRunbook(doc), 'a\r\nB\r\nc\r\n');
  });

  it('ends a last line with a lone CR by "\\r\\n" before closing an HTML comment left open', () => {
    assert.equal(inserted('<!-- x\r', undefined, md('y')), '<!-- x\r\r\n-->\n\ny\n');
    assert.equal(inserted('a\r\n<!-- x\r', undefined, md('y')), 'a\r\n<!-- x\r\r\n-->\r\n\r\ny\r\n');
  });

  it('leaves a fence that its list item ended unclosed when its outputs are written back as read', () => {
    const text = `- ${F}sh\n  ls\n\n<!-- runbook:output {"exit":0} -->\n${F}text\no\n${F}\n<!-- /runbook:output -->\n`;
    const doc = parseRunbook(text);
    assert.deepEqual((doc.cells[0] as CodeCell).outputs.map((o) => o.text), ['o\n']);
    assert.equal(serializeRunbook(doc), text);
  });

  it('closes a fence that ran to the end of the file when a cell read from the file is moved after it', () => {
    const doc = parseRunbook('# A\n\n```sh\nls\n');
    doc.cells.reverse();
    const out = serializeRunbook(doc);
    assert.equal(out, '```sh\nls\n```\n# A\n\n');
    assert.deepEqual(parseRunbook(out).cells.map((c) => `${c.kind}:${c.source}`), ['code:ls', 'markdown:# A']);
  });

  it('adds no second blank line after a last line of spaces', () => {
    assert.equal(inserted('a\n  ', undefined, code('n')), `a\n  \n${F}bash\nn\n${F}\n`);
  });
});

describe('a cell appended after an HTML block the document leaves open', () => {
  // Found by the block scanner's mutation work: read alone, the last prose can start another block than it
  // does in the document (after a list item, `   <v>` opens an HTML block of its own and `<pre` is inside it),
  // so the closing line was not written and the appended cell was swallowed by the `<pre` block.
  const openers: [string, string][] = [['<pre', '</pre>'], ['<script>', '</script>'], ['<style', '</style>'], ['<textarea', '</textarea>'], ['<!--', '-->'], ['<?x', '?>'], ['<!X', '>'], ['<![CDATA[', ']]>']];
  const prefixes = ['2) - ~~~\n   <v>\n', '- a\n\n  <v>\n', '1. ```\n   x\n   ```\n   <div>\n', '', '> q\n'];
  const appended = (text: string): string => withCells(text, undefined, newCode('echo appended'));

  it(`is read back as a code cell, on GitHub too, and the rest is unchanged (${openers.length * prefixes.length} documents)`, () => {
    for (const [opener, closer] of openers) {
      for (const prefix of prefixes) {
        const text = `${prefix}${opener}\nleft open\n`;
        const out = appended(text);
        assert.ok(out.startsWith(text), `${JSON.stringify(text)}: the text read is kept as it was (${JSON.stringify(out)})`);
        assert.ok(out.slice(text.length).startsWith(`${closer}\n`), `${JSON.stringify(text)}: the block is closed first (${JSON.stringify(out)})`);
        const back = parseRunbook(out).cells.filter((c): c is CodeCell => c.kind === 'code');
        assert.equal(back.at(-1)?.source, 'echo appended', `${JSON.stringify(text)} → ${JSON.stringify(out)}`);
        assertSameFences(out);
      }
    }
  });

  it('writes no closing line when an edit closed the block already', () => {
    const doc = parseRunbook('- a\n\n  <v>\n<pre\nleft open\n');
    const prose = doc.cells.at(-1)!;
    assert.equal(prose.kind, 'markdown');
    doc.cells[doc.cells.length - 1] = { ...prose, source: `${prose.source}</pre>\n` };
    doc.cells.push(newCode('echo appended'));
    const out = serializeRunbook(doc);
    assert.equal(out.split('</pre>').length, 2, `one closing line: ${JSON.stringify(out)}`);
    assert.equal(parseRunbook(out).cells.filter((c) => c.kind === 'code').at(-1)?.source, 'echo appended');
  });
});

describe('near misses found by the parser\'s mutation run', () => {
  it('does not take a log section that opens inside the front matter', () => {
    const text = '---\n<!-- runbook:log -->\n---\nx\n<!-- /runbook:log -->\n';
    const doc = parseRunbook(text);
    assert.equal(doc.log, undefined);
    assert.equal(doc.frontMatter?.raw, '---\n<!-- runbook:log -->\n---\n');
    assert.equal(serializeRunbook(doc), text);
  });

  it('reads prose as exactly its kind, range, source and gap (nothing else unless an HTML block is left open)', () => {
    assert.deepStrictEqual(parseRunbook('a\n').cells, [{ kind: 'markdown', range: { start: 0, end: 1 }, source: 'a', gap: '\n' }]);
    assert.deepStrictEqual(parseRunbook('<!-- a\n').cells, [{ kind: 'markdown', range: { start: 0, end: 1 }, source: '<!-- a', gap: '\n', openHtml: '-->' }]);
  });
});

describe('near misses found by the code cell and front matter mutation run', () => {
  const edit = withFirstCodeEdited;

  it('reads a fence without a list marker with no lead key', () => {
    assert.deepStrictEqual((parseRunbook('```sh\nx\n```\n').cells[0] as CodeCell).fence, { indent: '', marker: '```', info: 'sh', lang: 'sh', close: '```' });
  });

  it('keeps a closing line as written when a new output or an edit does not need another one', () => {
    assert.equal(edit('```sh\nx\n````\n', (c) => { c.outputs.push({ meta: {}, text: 'o\n' }); }),
      '```sh\nx\n````\n\n<!-- runbook:output {} -->\n```text\no\n```\n<!-- /runbook:output -->\n');
    assert.equal(edit('```sh\nx\n````\n', (c) => { c.source = 'a```b'; }), '```sh\na```b\n````\n');
  });

  it('lengthens the fence for a closing line indented by up to three spaces, and never shortens it', () => {
    assert.equal(edit('```sh\nx\n```\n', (c) => { c.source = '  ```'; }), '````sh\n  ```\n````\n');
    assert.equal(edit('```sh\nx\n```\n', (c) => { c.source = '   ```'; }), '````sh\n   ```\n````\n');
    assert.equal(edit('`````sh\nx\n`````\n', (c) => { c.source = '````\n``'; }), '`````sh\n````\n``\n`````\n');
  });

  it('accepts durations with two decimals, variable defaults of every kind, an end time', () => {
    const fm = parseRunbook('---\nseverity: { P0: 1.25h }\nvariables: { A: { default: cvd }, B: { default: 3 }, C: { default: true } }\nincident: { id: X, ended: "2026-11-23T06:00:00Z" }\n---\n').frontMatter!;
    assert.deepEqual(fm.errors, []);
    assert.deepEqual(fm.data?.variables, { A: { default: 'cvd' }, B: { default: 3 }, C: { default: true } });
  });

  it('gives no data when the YAML has errors, and closes front matter only on a whole delimiter line', () => {
    assert.equal(parseRunbook('---\ntitle: x\ntitle: y\n---\n').frontMatter?.data, undefined);
    assert.equal(parseRunbook('---\na: 1\n-\r--\n---\n').frontMatter?.raw, '---\na: 1\n-\r--\n---\n');
  });
});

describe('near misses for the code cell survivors left open in session 4', () => {
  const agree = (t: string, content: string[]): void => {
    const theirs = referenceFences(t);
    assert.deepEqual(theirs.map((f) => f.content), content, `commonmark.js's fences in ${JSON.stringify(t)}`);
    assertSameFences(t, theirs);
    assert.equal(roundtrip(t), t);
  };

  it('strips a fence\'s indentation with tabs in it (in list items) column by column, a tab counting to the next multiple of 4', () => {
    agree(`- a\n\n \t${F}\n \tx\n\t y\n  \t z\n \t${F}\n`, ['x\n y\n z\n']);
    agree(`- a\n\n\t${F}\n\tx\n  \tz\n\t${F}\n`, ['x\nz\n']);
    agree(`1. a\n\n   \t${F}\n   \tx\n    \ty\n   \t${F}\n`, ['x\n\ty\n']);
  });

  it('leaves the columns of a tab that reaches past the indentation as spaces, after a tab that does not', () => {
    agree(`1. - a\n\n     ${F}\n\t\tx\n     ${F}\n`, ['   x\n']);
    agree(`1. - a\n\n \t ${F}\n\t\tx\n\t  y\n     ${F}\n`, ['   x\n y\n']);
  });

  it('keeps no copy of the bytes of an unclosed fence it can write again (each copy travels with every save)', () => {
    const cell = parseRunbook(`${F}bash\necho\n`).cells[0] as CodeCell;
    assert.equal(cell.fence.close, null);
    assert.equal(cell.raw, undefined);
    assert.equal(roundtrip(`${F}bash\necho\n`), `${F}bash\necho\n`);
  });

  it('never shortens the marker of a new cell for a shorter fence line after a longer one in its source', () => {
    const out = withCells('# t\n', undefined, newCode('````\n```'));
    const back = parseRunbook(out).cells.filter((c): c is CodeCell => c.kind === 'code');
    assert.deepEqual(back.map((c) => c.source), ['````\n```'], JSON.stringify(out));
  });
});

