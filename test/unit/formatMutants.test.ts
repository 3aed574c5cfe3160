// Exact promises of the document format (DESIGN §1) that the mutation run of src/core/format showed untested:
// exact parse results (languages, attributes, outputs, log rows), byte-exact round trips on near-miss inputs
// (output-block and log markers that almost match), and the exact text the serializer writes for new outputs
// and log rows. docs/MUTATION.md, "format".
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  fenceFor, fenceLangOf, languageIdOf, newFence, parseInfo, parseRunbook, renderInfo, renderOutputBlock, runnerOf, sameAttributes,
  serializeRunbook, type CellOutput, type CodeCell, type LogRow, type OutputMeta,
} from '../../src/core/format/index.js';
import {
  findLogSection, isCanonicalRow, parseLogRow, readLogSection, renderLogRow, renderLogRowV1, renderLogSection,
} from '../../src/core/format/executionLogSection.js';
import { escapeRowText, parseRowData, rowDataComment } from '../../src/core/format/logRowData.js';
import { newCode, newMarkdown, withCells, withFirstCodeEdited } from './formatCells.js';
import { imageLine } from '../../src/core/format/outputBlock.js';
import { captionParts, htmlCaption, markdownCaption } from '../../src/core/format/outputCaption.js';

const F = '```';
const roundtrip = (t: string): string => serializeRunbook(parseRunbook(t));

describe('fence info strings', () => {
  it('reads quoted values: JSON escapes, single quotes, a bad escape kept as written', () => {
    assert.deepEqual(parseInfo(`bash {name="a \\"b\\"" x='single "q"' z="a\\q" w="a\\nb"}`), {
      lang: 'bash', json: false, attributes: { name: 'a "b"', x: 'single "q"', z: 'a\\q', w: 'a\nb' },
    });
  });

  it('reads keys with dots, dashes and underscores, spaces around "=", a tab before the braces', () => {
    assert.deepEqual(parseInfo('sh\t{_b=y c.d-e=z a = 1}'), { lang: 'sh', json: false, attributes: { _b: 'y', 'c.d-e': 'z', a: '1' } });
  });

  it('takes the language before the braces, with or without a space, and none before a bare brace', () => {
    assert.deepEqual(parseInfo('bash{name=x}'), { lang: 'bash', json: false, attributes: { name: 'x' } });
    assert.deepEqual(parseInfo('{name=x}'), { lang: '', json: false, attributes: { name: 'x' } });
    assert.deepEqual(parseInfo('  sh  '), { lang: 'sh', json: false, attributes: {} });
    assert.deepEqual(parseInfo('   '), { lang: '', json: false, attributes: {} });
  });

  it('reads no attributes when the braces do not end the info string', () => {
    assert.deepEqual(parseInfo('bash {name=x'), { lang: 'bash', json: false, attributes: {} });
    assert.deepEqual(parseInfo('bash {name=x} trailing'), { lang: 'bash', json: false, attributes: {} });
  });

  it('reads the JSON form with spaces, empty braces as JSON, nested values as JSON text, null kept', () => {
    assert.deepEqual(parseInfo('bash { "name" : "x" }'), { lang: 'bash', json: true, attributes: { name: 'x' } });
    assert.deepEqual(parseInfo('bash {}'), { lang: 'bash', json: true, attributes: {} });
    assert.deepEqual(parseInfo('bash {  }'), { lang: 'bash', json: true, attributes: {} });
    assert.deepEqual(parseInfo('bash {"a":{"b":1},"c":null,"d":[1],"e":false}'), {
      lang: 'bash', json: true, attributes: { a: '{"b":1}', c: null, d: '[1]', e: false },
    });
  });

  it('falls back to the k=v form when JSON-looking braces are not JSON', () => {
    assert.deepEqual(parseInfo('bash {"bad json}'), { lang: 'bash', json: false, attributes: {} });
    assert.deepEqual(parseInfo('bash {"a":1, b=2}'), { lang: 'bash', json: false, attributes: { b: '2' } });
  });

  it('renders attributes in the k=v form, quoting what would not read back, and in the JSON form', () => {
    const attrs = { e: '', s: 'a b', q: 'a"b', eq: 'a=b', br: 'a}', op: '{a', ap: "it's", n: 30, t: true, z: null };
    const info = renderInfo('bash', attrs);
    assert.equal(info, `bash {e="" s="a b" q="a\\"b" eq="a=b" br="a}" op="{a" ap="it's" n=30 t=true z=null}`);
    assert.deepEqual(parseInfo(info).attributes, { e: '', s: 'a b', q: 'a"b', eq: 'a=b', br: 'a}', op: '{a', ap: "it's", n: '30', t: 'true', z: 'null' });
    assert.equal(renderInfo('bash', { name: 'x', n: 3 }, true), 'bash {"name":"x","n":3}');
    assert.equal(renderInfo('', { name: 'x' }, true), '{"name":"x"}');
    assert.equal(renderInfo('', { name: 'x' }), '{name=x}');
    assert.equal(renderInfo('bash', {}, true), 'bash');
    assert.equal(renderInfo('bash', {}), 'bash');
  });

  it('compares attributes by key and exact value', () => {
    assert.equal(sameAttributes({ a: '1' }, { a: 1 }), false);
    assert.equal(sameAttributes({ a: '1' }, { b: '1' }), false);
    assert.equal(sameAttributes({ a: '1' }, { a: '1', b: '2' }), false);
    assert.equal(sameAttributes({ a: '1', b: '2' }, { a: '1' }), false);
    assert.equal(sameAttributes({ a: undefined as unknown as string }, { b: '1' }), false);
    assert.equal(sameAttributes({}, {}), true);
    assert.equal(sameAttributes({ a: '1', b: null }, { b: null, a: '1' }), true);
  });

  it('maps languages both ways, case-insensitively from the fence, and names the runner', () => {
    assert.deepEqual(['BASH', 'Sh', 'shellscript', 'postgres', 'SQLite', 'REST', 'PromQL', 'Python', ''].map(languageIdOf),
      ['shellscript', 'shellscript', 'shellscript', 'sql', 'sql', 'http', 'promql', 'Python', 'plaintext']);
    assert.deepEqual(['shellscript', 'sql', 'http', 'plaintext', 'promql', 'yaml'].map(fenceLangOf), ['bash', 'sql', 'http', '', 'promql', 'yaml']);
    assert.deepEqual(['shellscript', 'sql', 'http', 'promql', 'yaml', 'plaintext'].map(runnerOf), ['shell', 'sql', 'http', 'prometheus', undefined, undefined]);
  });
});

/** The outputs of the first code cell and how many cells the text has; asserts the round trip. */
function outputsOf(text: string): { cells: string; outputs: CellOutput[] } {
  assert.equal(roundtrip(text), text);
  const doc = parseRunbook(text);
  const cell = doc.cells.find((c): c is CodeCell => c.kind === 'code');
  return { cells: doc.cells.map((c) => c.kind).join(','), outputs: cell?.outputs ?? [] };
}

describe('output blocks read from a file', () => {
  const cell = `${F}bash\nls\n${F}\n\n`;
  const block = (lines: string[]): string => `${cell}<!-- runbook:output {"exit":0} -->\n${lines.join('\n')}\n<!-- /runbook:output -->\n`;
  const read = (text: string) => outputsOf(text).outputs.map((o) => ({ text: o.text, lang: o.lang, ...(o.image ? { image: o.image } : {}) }));

  it('reads a block whose fence has no language as text, a tilde fence with its language, an empty output', () => {
    assert.deepEqual(read(block([F, 'x', F])), [{ text: 'x\n', lang: 'text' }]);
    assert.deepEqual(read(block(['~~~json', '{}', '~~~~'])), [{ text: '{}\n', lang: 'json' }]);
    assert.deepEqual(read(block([`${F}text`, F])), [{ text: '', lang: 'text' }]);
    assert.deepEqual(read(`${cell}<!-- runbook:output {} -->\n${F}text\nx\n${F}\n<!-- /runbook:output -->\n`), [{ text: 'x\n', lang: 'text' }]);
  });

  it('closes the inner fence as CommonMark does: up to three spaces, the marker or longer, nothing after', () => {
    assert.deepEqual(read(block([`${F}text`, 'x', `   ${F}`])), [{ text: 'x\n', lang: 'text' }]);
    assert.deepEqual(read(block([`${F}text`, 'x', `${F}\`\` \t`])), [{ text: 'x\n', lang: 'text' }]);
    assert.deepEqual(read(block([`${F}text`, 'x', `    ${F}`, F])), [{ text: `x\n    ${F}\n`, lang: 'text' }]);
    assert.deepEqual(read(block([`${F}text`, 'x', `${F} y`, F])), [{ text: `x\n${F} y\n`, lang: 'text' }]);
    assert.deepEqual(read(block([`${F}\`text`, 'x', '``', F])), [], 'an inner fence whose info has a backtick is no fence');
    assert.deepEqual(read(block(['````text', 'x', F, '````'])), [{ text: `x\n${F}\n`, lang: 'text' }]);
    assert.deepEqual(read(block(['~~~text', 'x', F, '~~~'])), [{ text: `x\n${F}\n`, lang: 'text' }]);
  });

  it('reads CRLF blocks with "\\n" line endings', () => {
    const text = `${F}bash\r\nls\r\n${F}\r\n\r\n<!-- runbook:output {"exit":0} -->\r\n${F}text\r\na\r\nb\r\n${F}\r\n<!-- /runbook:output -->\r\n`;
    assert.deepEqual(read(text), [{ text: 'a\nb\n', lang: 'text' }]);
  });

  it('allows three lines (caption, <details>, blank) between the comment and the fence, not four', () => {
    assert.deepEqual(read(block(['a', 'b', 'c', `${F}text`, 'x', F])), [{ text: 'x\n', lang: 'text' }]);
    assert.deepEqual(outputsOf(block(['a', 'b', 'c', 'd', `${F}text`, 'x', F])), { cells: 'code,markdown,code,markdown', outputs: [] });
  });

  it('allows four blank lines after the fence before the closing comment, not five', () => {
    assert.deepEqual(read(block([`${F}text`, 'x', F, '', '', '', ''])), [{ text: 'x\n', lang: 'text' }]);
    assert.deepEqual(outputsOf(block([`${F}text`, 'x', F, '', '', '', '', ''])).outputs, []);
  });

  it('reads one image line after the code block; two images, or text after it, make the block prose', () => {
    assert.deepEqual(read(block([`${F}text`, 'x', F, '', '![chart](a/b.svg)'])), [{ text: 'x\n', lang: 'text', image: { alt: 'chart', src: 'a/b.svg' } }]);
    assert.deepEqual(read(block([`${F}text`, 'x', F, '', '</details>', '', '![](c.svg)'])), [{ text: 'x\n', lang: 'text', image: { alt: '', src: 'c.svg' } }]);
    for (const after of [['![a](b.svg)', '![c](d.svg)'], ['![a](b.svg)', ''], ['![a](b c.svg)'], ['![a]](b.svg)'], ['text']]) {
      assert.deepEqual(outputsOf(block([`${F}text`, 'x', F, '', ...after])).outputs, [], after.join('|'));
    }
  });

  it('keeps near-miss blocks as prose, byte for byte', () => {
    const nearMisses = [
      `${cell}<!-- runbook:output {"exit":0} --> \n${F}text\nx\n${F}\n<!-- /runbook:output -->\n`,
      `${cell}<!-- runbook:output [1] -->\n${F}text\nx\n${F}\n<!-- /runbook:output -->\n`,
      `${cell}<!-- runbook:output null -->\n${F}text\nx\n${F}\n<!-- /runbook:output -->\n`,
      `${cell} <!-- runbook:output {"exit":0} -->\n${F}text\nx\n${F}\n<!-- /runbook:output -->\n`,
      block(['<!-- /runbook:output -->', `${F}text`, 'x', F]),
      block(['<!-- runbook:output {"exit":1} -->', `${F}text`, 'x', F]),
      block([`${F}text`, 'x', F, 'stray']),
      block([`${F}text`, 'x', F, '<!-- /runbook:output --> ']).replace(/\n<!-- \/runbook:output -->\n$/, '\n'),
      `${cell}<!-- runbook:output {"exit":0} -->\n${F}text\nx\n${F}\n`,
      `${F}bash\nls\n${F}\n<!-- runbook:output {"exit":0} -->\n${F}text\n`,
      `${F}bash\nls\n${F}\n<!-- runbook:output {"exit":0} -->\n${F}text\nx\n`,
    ];
    for (const text of nearMisses) assert.deepEqual(outputsOf(text).outputs, [], JSON.stringify(text));
  });

  it('reads a block at the end of the file without a final newline', () => {
    assert.deepEqual(read(block([`${F}text`, 'x', F]).replace(/\n$/, '')), [{ text: 'x\n', lang: 'text' }]);
  });

  it('reads a block inside a list item with the fence indentation, blank lines shorter than it', () => {
    const text = `- step\n  ${F}bash\n  ls\n  ${F}\n\n  <!-- runbook:output {"exit":0} -->\n  ${F}text\n  a\n\n  b\n ${'\t'}\n  ${F}\n  <!-- /runbook:output -->\n- next\n`;
    const doc = parseRunbook(text);
    assert.equal(serializeRunbook(doc), text);
    const code = doc.cells.filter((c): c is CodeCell => c.kind === 'code');
    assert.deepEqual(code.map((c) => c.outputs.map((o) => o.text)), [['a\n\nb\n\n']]);
    assert.deepEqual(doc.cells.map((c) => c.kind), ['markdown', 'code', 'markdown']);
  });

  it('reads a block an older version wrote at column 0 after a cell in a list item', () => {
    const text = `- step\n  ${F}bash\n  ls\n  ${F}\n\n<!-- runbook:output {"exit":0} -->\n${F}text\na\n${F}\n<!-- /runbook:output -->\n- next\n`;
    const doc = parseRunbook(text);
    assert.equal(serializeRunbook(doc), text);
    assert.deepEqual(doc.cells.filter((c): c is CodeCell => c.kind === 'code').map((c) => c.outputs.map((o) => o.text)), [['a\n']]);
  });

  it('keeps an indented block with a line outside the item as prose', () => {
    const text = `- step\n  ${F}bash\n  ls\n  ${F}\n\n  <!-- runbook:output {"exit":0} -->\n  ${F}text\n  a\n b\n  ${F}\n  <!-- /runbook:output -->\n- next\n`;
    const doc = parseRunbook(text);
    assert.equal(serializeRunbook(doc), text);
    assert.deepEqual(doc.cells.filter((c): c is CodeCell => c.kind === 'code')[0]!.outputs, []);
  });

  it('reads several blocks after one cell, each with the bytes before it', () => {
    const one = `<!-- runbook:output {"stream":"stdout"} -->\n${F}text\no\n${F}\n<!-- /runbook:output -->\n`;
    const two = `<!-- runbook:output {"stream":"stderr"} -->\n${F}text\ne\n${F}\n<!-- /runbook:output -->\n`;
    const text = `${cell}${one}\n\n${two}after\n`;
    const doc = parseRunbook(text);
    const outs = (doc.cells[0] as CodeCell).outputs;
    assert.deepEqual(outs.map((o) => o.raw), [`\n\n${one.slice(0, -1)}`, `\n\n\n${two.slice(0, -1)}`]);
    assert.deepEqual(doc.cells.map((c) => c.source), ['ls', 'after']);
    assert.equal(serializeRunbook(doc), text);
  });
});

describe('output blocks written by the serializer', () => {
  const lines = (n: number): string => Array.from({ length: n }, (_, k) => `l${k}`).join('\n') + '\n';

  it('writes the exact block: comment, caption, fence, text, fence, closing comment', () => {
    assert.equal(renderOutputBlock({ meta: { cell: 'a-->b' }, text: 'x' }, '\n'),
      '<!-- runbook:output {"cell":"a--\\u003eb"} -->\n```text\nx\n```\n<!-- /runbook:output -->');
    assert.equal(renderOutputBlock({ meta: { exit: 0 }, text: '' }, '\n'),
      '<!-- runbook:output {"exit":0} -->\n✓ exit 0\n```text\n```\n<!-- /runbook:output -->');
  });

  it('indents every non-empty line, uses the line ending given, writes an image after a blank line', () => {
    assert.equal(renderOutputBlock({ meta: { exit: 0 }, text: 'a\n\nb\n', lang: 'json', image: { alt: 'c', src: 'c.svg' } }, '\r\n', '  '),
      '  <!-- runbook:output {"exit":0} -->\r\n  ✓ exit 0\r\n  ```json\r\n  a\r\n\r\n  b\r\n  ```\r\n\r\n  ![c](c.svg)\r\n  <!-- /runbook:output -->');
    assert.equal(renderOutputBlock({ meta: { exit: 0 }, text: 'x\n', image: { alt: 'c', src: '' } }, '\n'),
      '<!-- runbook:output {"exit":0} -->\n✓ exit 0\n```text\nx\n```\n<!-- /runbook:output -->', 'an image without a link is not written');
  });

  it('folds more than 20 lines or more than 4000 characters, and only with a caption', () => {
    assert.ok(!renderOutputBlock({ meta: { exit: 0 }, text: lines(20) }, '\n').includes('<details>'));
    assert.ok(renderOutputBlock({ meta: { exit: 0 }, text: lines(21) }, '\n').startsWith('<!-- runbook:output {"exit":0} -->\n<details><summary>✓ exit 0 · 21 lines</summary>\n\n```text\nl0\n'));
    assert.ok(!renderOutputBlock({ meta: { exit: 0 }, text: 'y'.repeat(4000) }, '\n').includes('<details>'));
    assert.ok(renderOutputBlock({ meta: { exit: 0 }, text: 'y'.repeat(4001) }, '\n').includes('\n<details><summary>✓ exit 0 · 1 line</summary>\n\n```text\nyyy'));
    assert.ok(!renderOutputBlock({ meta: { cell: 'a' }, text: lines(30) }, '\n').includes('<details>'));
    assert.ok(renderOutputBlock({ meta: { exit: 0, host: 'h' }, text: lines(21), image: { alt: 'c', src: 'c.svg' } }, '\n')
      .endsWith('\nl20\n```\n\n</details>\n\n![c](c.svg)\n<!-- /runbook:output -->'));
  });

  it('makes the image line safe for its grammar', () => {
    assert.equal(imageLine({ alt: ' a [b]\\c\r\nd  e ', src: 'x y(1)<2>\\3.svg' }), '![a b c d e](x%20y%281%29%3C2%3E%5C3.svg)');
  });

  it('picks a fence longer than the longest backtick run of the text', () => {
    assert.equal(fenceFor('a `` b ````` c `'), '``````');
    assert.equal(fenceFor(''), '```');
    assert.equal(fenceFor('``'), '```');
    assert.equal(fenceFor('```'), '````');
  });

  it('writes a new output after a cell, indented like its fence in a list item, and reads it back', () => {
    const doc = parseRunbook(`1. Check:\n   ${F}bash\n   ls\n   ${F}\n2. Next\n`);
    const cell = doc.cells.find((c): c is CodeCell => c.kind === 'code')!;
    cell.outputs.push({ meta: { exit: 0 }, text: 'a\n\nb\n' });
    const out = serializeRunbook(doc);
    assert.equal(out, `1. Check:\n   ${F}bash\n   ls\n   ${F}\n\n   <!-- runbook:output {"exit":0} -->\n   ✓ exit 0\n   ${F}text\n   a\n\n   b\n   ${F}\n   <!-- /runbook:output -->\n2. Next\n`);
    const back = parseRunbook(out);
    assert.deepEqual(back.cells.map((c) => c.kind), ['markdown', 'code', 'markdown']);
    assert.deepEqual((back.cells[1] as CodeCell).outputs.map((o) => o.text), ['a\n\nb\n']);
  });
});

describe('output captions', () => {
  const both = (meta: Record<string, unknown>): [string, string] | undefined => {
    const p = captionParts(meta);
    return p && [markdownCaption(p), htmlCaption(p, 'x<y')];
  };

  it('names the target once when target and host agree, and either alone', () => {
    assert.deepEqual(both({ host: 'h', target: 'h' }), ['`h`', '<code>h</code> · x&lt;y']);
    assert.deepEqual(both({ target: 't' }), ['`t`', '<code>t</code> · x&lt;y']);
    assert.deepEqual(both({ host: 'h' }), ['`h`', '<code>h</code> · x&lt;y']);
    assert.deepEqual(both({ target: 5, exit: 0 }), ['✓ exit 0', '✓ exit 0 · x&lt;y']);
  });

  it('writes no caption for empty names, no time, a negative or infinite duration', () => {
    const metas: OutputMeta[] = [{ target: '', host: '' }, { ms: -1 }, { ms: Infinity }, { started: '' }, { started: 'soon' }, { stream: 'stdout' }, {}];
    for (const meta of metas) {
      assert.equal(captionParts(meta), undefined, JSON.stringify(meta));
    }
  });

  it('shows a zero duration and a time to the second', () => {
    assert.deepEqual(both({ ms: 0 }), ['0 ms', '0 ms · x&lt;y']);
    assert.deepEqual(both({ started: '2026-11-23T05:13:04.999Z' }), ['2026-11-23 05:13:04 UTC', '2026-11-23 05:13:04 UTC · x&lt;y']);
  });

  it('labels stderr and an HTTP status (a number, of an HTTP output only), escapes the target for HTML', () => {
    assert.deepEqual(both({ exit: 1, host: '<a&b>"\nc', stream: 'stderr', kind: 'http', status: 500 }), [
      '**✗ failed · exit 1** · stderr · HTTP 500 · `<a&b>" c`',
      '<b>✗ failed · exit 1</b> · stderr · HTTP 500 · <code>&lt;a&amp;b&gt;&quot; c</code> · x&lt;y',
    ]);
    assert.deepEqual(both({ exit: 0, kind: 'http', status: '500' }), ['✓ exit 0', '✓ exit 0 · x&lt;y']);
    assert.deepEqual(both({ exit: 0, kind: 'sql', status: 500 }), ['✓ exit 0', '✓ exit 0 · x&lt;y']);
    assert.deepEqual(both({ exit: undefined }), ['**✗ no exit code**', '<b>✗ no exit code</b> · x&lt;y']);
  });

  it('writes a target with backticks as a code span that holds them', () => {
    assert.equal(both({ host: '`x`' })![0], '`` `x` ``');
    assert.equal(both({ host: 'a``b' })![0], '```a``b```');
    assert.equal(both({ host: 'a\r\nb' })![0], '`a b`');
  });
});

describe('execution log section', () => {
  const L = (body: string): string => `<!-- runbook:log -->\n${body}<!-- /runbook:log -->`;

  it('finds the section only where it is whole, at the end, after nothing but blank lines or a seal', () => {
    const found: Record<string, [string, { start: number; end: number } | undefined]> = {
      plain: ['# T\n\n' + L('x\n') + '\n', { start: 5, end: 50 }],
      'blank lines after': ['# T\n\n' + L('x\n') + '\n \n\t\n', { start: 5, end: 50 }],
      'no final newline': ['# T\n\n' + L('x\n'), { start: 5, end: 49 }],
      CRLF: ['# T\r\n\r\n<!-- runbook:log -->\r\nx\r\n<!-- /runbook:log -->\r\n\r\n', { start: 7, end: 55 }],
      'a seal after': ['# T\n\n' + L('x\n') + '\n\n<!-- runbook:seal {} -->\nsig\n<!-- /runbook:seal -->\n\n', { start: 5, end: 50 }],
      'at the start': [L('x\n') + '\n', { start: 0, end: 45 }],
      'the last of two': [L('a\n') + '\n\n' + L('b\n') + '\n', { start: 46, end: 91 }],
      'open marker not at a line start': ['# T\n\nx' + L('x\n') + '\n', undefined],
      'text after the open marker': ['# T\n\n<!-- runbook:log --> \nx\n<!-- /runbook:log -->\n', undefined],
      'a lone CR after the open marker': ['# T\n\n<!-- runbook:log -->\rx\n<!-- /runbook:log -->\n', undefined],
      'the open marker at the end': ['# T\n\n<!-- runbook:log -->', undefined],
      'close marker not at a line start': ['# T\n\n<!-- runbook:log -->\nx <!-- /runbook:log -->\n', undefined],
      'text after the close marker': ['# T\n\n' + L('x\n') + ' \n', undefined],
      'text after the section': ['# T\n\n' + L('x\n') + '\n\nmore\n', undefined],
      'no close marker': ['# T\n\n<!-- runbook:log -->\nx\n', undefined],
      'text after the seal': ['# T\n\n' + L('x\n') + '\n\n<!-- runbook:seal {} -->\nsig\n<!-- /runbook:seal -->\nmore\n', undefined],
      'an unclosed seal': ['# T\n\n' + L('x\n') + '\n\n<!-- runbook:seal {} -->\nsig\n', undefined],
      'a seal close not at a line start': ['# T\n\n' + L('x\n') + '\n<!-- runbook:seal {} -->\n <!-- /runbook:seal -->\n', undefined],
      'not a seal': ['# T\n\n' + L('x\n') + '\n\n<!-- runbook:sealed {} -->\n<!-- /runbook:seal -->\n', undefined],
    };
    for (const [name, [text, expected]] of Object.entries(found)) {
      assert.deepEqual(findLogSection(text), expected, name);
      assert.equal(roundtrip(text), text, name);
      assert.equal(parseRunbook(text).log !== undefined, expected !== undefined, name);
    }
  });

  it('keeps a log section inside the front matter as front matter', () => {
    const text = `---\ntitle: x\n${L('x\n')}\n---\n`;
    const doc = parseRunbook(text);
    assert.equal(doc.log, undefined);
    assert.equal(doc.frontMatter?.raw, text);
    assert.equal(serializeRunbook(doc), text);
  });

  const row: LogRow = { n: 3, time: '2026-11-23T05:13:04.123Z', operator: 'alice', target: 'cvd-prod', cell: 'check|disk', event: 'run', exit: 0, ms: 412, digest: 'ab12', chain: 'cd34' };
  const data = (r: LogRow): string => rowDataComment(r);

  it('writes a format-2 row: time to the second, status and duration, operator → target, escaped text', () => {
    assert.equal(renderLogRow(row), `| 3 | 2026-11-23 05:13:04 | check&#124;disk | run · ✓ exit 0 · 412 ms | alice → cvd-prod | ${data(row)} |`);
    const failed = { ...row, exit: 2, ms: null, target: '', detail: 'why <b>' };
    assert.equal(renderLogRow(failed), `| 3 | 2026-11-23 05:13:04 | check&#124;disk | run · ✗ exit 2 | alice | why &#60;b&#62; ${data(failed)} |`);
    const noExit = { ...row, exit: null, time: '2026-11-23T05:13:04Z' };
    assert.equal(renderLogRow(noExit), `| 3 | 2026-11-23 05:13:04 | check&#124;disk | run · 412 ms | alice → cvd-prod | ${data(noExit)} |`);
  });

  it('reads format-2 rows only when the visible number matches the data', () => {
    const line = renderLogRow(row);
    assert.deepEqual(parseLogRow(line), row);
    assert.equal(parseLogRow(line.replace('| 3 |', '| 4 |')), undefined);
    assert.equal(parseLogRow(line.slice(0, -2)), undefined);
  });

  it('reads format-1 rows: "–" and empty as no value, escaped pipes, ten cells at least', () => {
    const v1 = renderLogRowV1({ ...row, exit: null, ms: null, detail: 'a|b\nc' });
    assert.equal(v1, '| 3 | 2026-11-23T05:13:04.123Z | alice | cvd-prod | check\\|disk | run |  |  | `ab12` | `cd34` | a\\|b c |');
    assert.deepEqual(parseLogRow(v1), { ...row, exit: null, ms: null, detail: 'a|b c' });
    assert.deepEqual(parseLogRow('| 1 | t | o | x | c | run | – | 7 | `d` | `c` |'),
      { n: 1, time: 't', operator: 'o', target: 'x', cell: 'c', event: 'run', exit: null, ms: 7, digest: 'd', chain: 'c' });
    assert.equal(parseLogRow('| 1 | t | o | x | c | run | 0 | 5 | `d` |'), undefined);
    assert.equal(parseLogRow('| x | t | o | x | c | run | 0 | 5 | `d` | `c` |'), undefined);
    assert.equal(parseLogRow('1 | t | o | x | c | run | 0 | 5 | `d` | `c` |'), undefined);
  });

  it('calls a row canonical only when it is exactly what the writer makes of it', () => {
    const v2 = renderLogRow(row);
    assert.equal(isCanonicalRow(v2), true);
    assert.equal(isCanonicalRow(v2.replace('| 3 |', '|  3 |')), false);
    assert.equal(isCanonicalRow(v2.replace('check&#124;disk', 'check')), false);
    assert.equal(isCanonicalRow(renderLogRowV1(row)), true);
    assert.equal(isCanonicalRow(renderLogRowV1(row) + ' '), false);
    assert.equal(isCanonicalRow('nope'), false);
  });

  it('reads the rows of a CRLF section and skips other lines', () => {
    const raw = `<!-- runbook:log -->\r\n${renderLogRow(row)}\r\njunk\r\n${renderLogRow({ ...row, n: 4 })}\r\n<!-- /runbook:log -->\r\n`;
    assert.deepEqual(readLogSection(raw), { raw, rows: [row, { ...row, n: 4 }], parsedCount: 2 });
  });

  it('appends new rows before the closing marker with the document line ending, under the format-2 header', () => {
    const head = '<!-- runbook:log -->\r\n| # | Time (UTC) | Cell | Event | Operator → target | Detail |\r\n|--:|---|---|---|---|---|\r\n';
    const raw = `${head}${renderLogRow(row)}\r\n<!-- /runbook:log -->\r\n`;
    const next = { ...row, n: 4 };
    assert.equal(renderLogSection({ raw, rows: [row, next], parsedCount: 1 }, '\r\n'),
      `${head}${renderLogRow(row)}\r\n${renderLogRow(next)}\r\n<!-- /runbook:log -->\r\n`);
    assert.equal(renderLogSection({ raw, rows: [row], parsedCount: 1 }, '\r\n'), raw);
    assert.equal(renderLogSection({ raw: '', rows: [], parsedCount: 0 }, '\n'),
      '<!-- runbook:log -->\n## Execution log\n\n| # | Time (UTC) | Cell | Event | Operator → target | Detail |\n|--:|---|---|---|---|---|\n<!-- /runbook:log -->\n');
  });
});

describe('log row data', () => {
  const row: LogRow = { n: 3, time: 't', operator: 'o', target: 'x', cell: 'c', event: 'run', exit: 0, ms: 4, digest: 'd', chain: 'h' };
  const comment = (o: unknown): string => `<!-- rb ${JSON.stringify(o)} -->`;

  it('escapes what could end the comment, the table cell or a code span, and reads it back', () => {
    const r = { ...row, detail: '<!-- x --> & | `' };
    const c = rowDataComment(r);
    assert.equal(c, '<!-- rb {"cell":"c","chain":"h","detail":"\\u003c!\\u002d- x \\u002d-\\u003e \\u0026 \\u007c \\u0060","digest":"d","event":"run","exit":0,"ms":4,"n":3,"operator":"o","target":"x","time":"t"} -->');
    assert.deepEqual(parseRowData(c), r);
  });

  it('accepts only a whole row of the known fields with their types', () => {
    assert.deepEqual(parseRowData(comment(row)), row);
    assert.deepEqual(parseRowData(comment({ ...row, exit: null, ms: null, src: 's', out: 'o', detail: 'z' })), { ...row, exit: null, ms: null, src: 's', out: 'o', detail: 'z' });
    const rejected: unknown[] = [
      { ...row, extra: 1 }, { ...row, n: 0 }, { ...row, n: 1.5 }, { ...row, n: '3' }, { ...row, time: 5 }, { ...row, chain: undefined },
      { ...row, detail: 5 }, { ...row, src: 1 }, { ...row, out: false }, { ...row, exit: '0' }, { ...row, ms: '5' }, [1], null, 'row',
    ];
    for (const o of rejected) assert.equal(parseRowData(comment(o)), undefined, JSON.stringify(o));
    assert.equal(parseRowData('<!-- rb {x -->'), undefined);
    assert.equal(parseRowData(`<!-- rb ${JSON.stringify(row)}`), undefined);
    assert.equal(parseRowData(` <!-- rb ${JSON.stringify(row)} -->`), undefined);
  });

  it('writes visible text on one line with no markup', () => {
    assert.equal(escapeRowText('a|b<c>&d`e\\f\r\ng\nh\u2028i\u0000j\u007fk\u2029l\tm'), 'a&#124;b&#60;c&#62;&#38;d&#96;e&#92;f g h i j k l m');
  });
});

describe('front matter', () => {
  const fm = (text: string) => parseRunbook(text).frontMatter;

  it('opens only on a first line of exactly "---" (trailing blanks allowed) and closes on "---" or "..."', () => {
    const lengths: [string, number][] = [
      ['---\na: 1\n---\n', 13], ['---  \na: 1\n---\n', 15], ['---\t\na\n---\t\n', 12], ['---\na: 1\n...\n', 13],
      ['---\na: 1\n---  \nb', 15], ['---\r\na: 1\r\n---\r\nx', 16], ['---\na: 1\n---', 12], ['---\n---\n', 8], ['---\n\n---\n', 9],
      ['---\na\n---\r', 10], ['---\na: 1\n--- x\n---\n', 19], ['---\na\n....\n---\n', 15],
      ['--- x\na: 1\n---\n', 0], ['----\na: 1\n---\n', 0], ['---\ta\n---\n', 0], [' ---\na\n---\n', 0], ['---\na: 1\n', 0], ['x\n---\na\n---\n', 0],
    ];
    for (const [text, length] of lengths) {
      assert.equal(fm(text)?.raw.length ?? 0, length, JSON.stringify(text));
      assert.equal(roundtrip(text), text, JSON.stringify(text));
    }
  });

  it('gives the YAML between the delimiter lines, CRLF kept', () => {
    assert.equal(fm('---\na: 1\n---\nx\n')?.yaml, 'a: 1\n');
    assert.equal(fm('---\na: 1\n---')?.yaml, 'a: 1\n');
    assert.equal(fm('---\n---\n')?.yaml, '');
    assert.equal(fm('---\r\na: 1\r\n---\r\n')?.yaml, 'a: 1\r\n');
    assert.equal(fm('---\na: 1\nb: 2\n...')?.yaml, 'a: 1\nb: 2\n');
    assert.deepEqual(fm('---\n---\n')?.data, {});
  });

  const check = (yaml: string) => {
    const block = fm(`---\n${yaml}---\nBody\n`)!;
    return { errors: block.errors.map((e) => `${e.line}: ${e.message}`), data: block.data };
  };

  it('accepts durations with a unit (decimals, a space before the unit), nothing else', () => {
    assert.deepEqual(check('severity: { P0: 1.5h, P1: 15 m, P2: 15ms, P3: 2d, P4: 30s }\n'),
      { errors: [], data: { severity: { P0: '1.5h', P1: '15 m', P2: '15ms', P3: '2d', P4: '30s' } } });
    for (const s of ['15', 'x15m', '15mx', '1.h', '.5h', '15 mm', '-1h', '15\tmin']) {
      assert.deepEqual(check(`severity: { P0: "${s}" }\n`).errors, ['1: severity.P0: expected a duration such as 15m, 1h or 30s'], s);
    }
  });

  it('checks hosts: a non-empty ssh, a port from 1 to 65535, jump as a name or a list; keeps unknown keys', () => {
    assert.deepEqual(check('hosts: { a: { ssh: x, port: 65535, jump: [b, c], production: true, extra: 1 } }\n'),
      { errors: [], data: { hosts: { a: { ssh: 'x', port: 65535, jump: ['b', 'c'], production: true, extra: 1 } } } });
    assert.deepEqual(check('hosts: { a: { ssh: x, port: 1, jump: b } }\n').errors, []);
    assert.deepEqual(check('hosts: { a: { ssh: "" } }\n').errors, ['1: hosts.a.ssh: Too small: expected string to have >=1 characters']);
    assert.deepEqual(check('hosts: { a: { ssh: x, port: 0 } }\n').errors, ['1: hosts.a.port: Too small: expected number to be >=1']);
    assert.deepEqual(check('hosts: { a: { ssh: x, port: 65536 } }\n').errors, ['1: hosts.a.port: Too big: expected number to be <=65535']);
    assert.deepEqual(check('hosts: { a: { ssh: x, port: 22.5 } }\n').errors, ['1: hosts.a.port: Invalid input: expected int, received number']);
    assert.deepEqual(check('hosts:\n  a:\n    ssh: x\n    port: nope\n').errors, ['4: hosts.a.port: Invalid input: expected number, received string']);
  });

  it('checks drivers, incidents, groups, inventory and drills, each problem on its line', () => {
    assert.deepEqual(check('connections: { a: { driver: oracle } }\n').errors,
      ['1: connections.a.driver: Invalid option: expected one of "sqlite"|"postgres"|"mysql"|"prometheus"']);
    assert.deepEqual(check('incident:\n  status: open\n').errors, ['2: incident.id: Invalid input: expected string, received undefined']);
    assert.deepEqual(check('incident: { id: X, started: 2026-11-23T05:12:00Z }\n'), { errors: [], data: { incident: { id: 'X', started: '2026-11-23T05:12:00Z' } } });
    assert.deepEqual(check('groups: { web: [a, ""] }\ninventory: ""\ndrills: [""]\n').errors, [
      '1: groups.web.1: Too small: expected string to have >=1 characters',
      '2: inventory: Too small: expected string to have >=1 characters',
      '3: drills.0: Too small: expected string to have >=1 characters',
    ]);
    assert.deepEqual(check('variables:\n  A:\n    default: [1]\n').errors, ['3: variables.A.default: Invalid input']);
  });

  it('reports a document that is not a mapping at the root, and YAML errors on their line', () => {
    assert.deepEqual(check('- a\n- b\n').errors, ['undefined: (root): Invalid input: expected object, received array']);
    assert.deepEqual(check('title: x\ntitle: y\n').errors, ['2: YAML: Map keys must be unique']);
    assert.deepEqual(check('a: 1\nb: : 2\n').errors, ['2: YAML: Nested mappings are not allowed in compact mappings']);
  });
});

describe('code cells edited in the notebook', () => {
  const edit = withFirstCodeEdited;

  it('rewrites the info string for a new language or new attributes, in the form it was written in', () => {
    assert.equal(edit('```bash {name=a}\nls\n```\n', (c) => { c.language = 'sql'; }), '```sql {name=a}\nls\n```\n');
    assert.equal(edit('```bash\nls\n```\n', (c) => { c.language = 'plaintext'; }), '```\nls\n```\n');
    assert.equal(edit('```BASH {x=1}\nls\n```\n', (c) => { c.attributes.y = 'two words'; }), '```BASH {x=1 y="two words"}\nls\n```\n');
    assert.equal(edit('```sh {"name":"b"}\nls\n```\n', (c) => { c.attributes.n = 2; }), '```sh {"name":"b","n":2}\nls\n```\n');
    assert.equal(edit('```sh {"name":"b"}\nls\n```\n', (c) => { delete c.attributes.name; }), '```sh\nls\n```\n');
  });

  it('keeps the info string as written when only the source changes (the language in any case)', () => {
    assert.equal(edit('```BASH  {name=a}  \nls\n```\n', (c) => { c.source = 'df'; }), '```BASH  {name=a}  \ndf\n```\n');
    assert.equal(edit('```sh\nx\n```   \n', (c) => { c.source = 'y'; }), '```sh\ny\n```   \n');
  });

  it('lengthens the fence only for a line that would close it (same character, at most three spaces in)', () => {
    assert.equal(edit('~~~\nx\n~~~\n', (c) => { c.source = 'a\n~~~\nb'; }), '~~~~\na\n~~~\nb\n~~~~\n');
    assert.equal(edit('~~~\nx\n~~~\n', (c) => { c.source = 'a\n```\nb'; }), '~~~\na\n```\nb\n~~~\n');
    assert.equal(edit('- a\n  ```sh\n  x\n  ```\n', (c) => { c.source = 'a\n```\nb'; }), '- a\n  ````sh\n  a\n  ```\n  b\n  ````\n');
    assert.equal(edit('```sh\nx\n```\n', (c) => { c.source = 'a```\n    ```'; }), '```sh\na```\n    ```\n```\n');
    assert.equal(edit('```sh\nx\n```\n', (c) => { c.source = '   ```\n`````  '; }), '``````sh\n   ```\n`````  \n``````\n');
    assert.equal(edit('```sh\nx\n```\n', (c) => { c.source = '``` not a close'; }), '```sh\n``` not a close\n```\n');
  });

  it('indents the lines of an indented fence, and its blank lines only when the file did', () => {
    assert.equal(edit('- a\n  ```sh\n  x\n  \n  y\n  ```\n', (c) => { c.source = 'p\n\nq'; }), '- a\n  ```sh\n  p\n  \n  q\n  ```\n');
    assert.equal(edit('- a\n  ```sh\n  x\n\n  y\n  ```\n', (c) => { c.source = 'p\n\nq'; }), '- a\n  ```sh\n  p\n\n  q\n  ```\n');
    assert.equal(edit('  ```sh\n  x\n  ```\n', (c) => { c.source = 'a\n\nb'; }), '  ```sh\n  a\n\n  b\n  ```\n');
    assert.equal(edit('1. ```sh\n   x\n   ```\n', (c) => { c.source = 'a\nb'; }), '1. ```sh\n   a\n   b\n   ```\n');
  });

  it('writes an empty source as no lines, and CRLF for a CRLF file', () => {
    assert.equal(edit('```sh\nx\n```\n', (c) => { c.source = ''; }), '```sh\n```\n');
    assert.equal(edit('```sh\r\nx\r\n```\r\n', (c) => { c.source = 'a\nb'; }), '```sh\r\na\r\nb\r\n```\r\n');
    assert.equal(edit('```sh\r\nx\n```\r\n', (c) => { c.attributes.a = '1'; }), '```sh {a=1}\r\nx\r\n```\r\n');
  });

  it('leaves an unclosed fence unclosed, and closes it (at its indentation) before new outputs', () => {
    assert.equal(edit('```sh\nx\n', (c) => { c.source = 'y'; }), '```sh\ny\n');
    assert.equal(edit('```sh\nx\n', (c) => { c.outputs.push({ meta: { exit: 0 }, text: 'o\n' }); }),
      '```sh\nx\n```\n\n<!-- runbook:output {"exit":0} -->\n✓ exit 0\n```text\no\n```\n<!-- /runbook:output -->\n');
    assert.equal(edit('- ```sh\n  x\n', (c) => { c.outputs.push({ meta: { exit: 0 }, text: 'o\n' }); }),
      '- ```sh\n  x\n  ```\n\n  <!-- runbook:output {"exit":0} -->\n  ✓ exit 0\n  ```text\n  o\n  ```\n  <!-- /runbook:output -->\n');
  });

  it('keeps a last line ending in a lone CR when the fence gets closed after it', () => {
    const out = edit('```sh\nls\r', (c) => { c.outputs.push({ meta: { exit: 0 }, text: 'o\n' }); });
    assert.equal(out, '```sh\nls\r\r\n```\n\n<!-- runbook:output {"exit":0} -->\n✓ exit 0\n```text\no\n```\n<!-- /runbook:output -->');
    assert.equal((parseRunbook(out).cells[0] as CodeCell).source, 'ls\r');
    assert.equal(edit('```sh\nls\r', (c) => { c.source = 'a\r'; }), '```sh\na\r');
  });

  it('rewrites an output that ran again and keeps the others verbatim', () => {
    const text = '```sh\nx\n```\n\n<!-- runbook:output {"exit":0} -->\n```text\no\n```\n<!-- /runbook:output -->\n';
    assert.equal(edit(text, (c) => { c.outputs[0]!.raw = undefined; c.outputs[0]!.text = 'new\n'; }),
      '```sh\nx\n```\n\n<!-- runbook:output {"exit":0} -->\n✓ exit 0\n```text\nnew\n```\n<!-- /runbook:output -->\n');
    assert.equal(edit(text, (c) => { c.outputs.push({ meta: { exit: 1 }, text: 'e\n' }); }),
      `${text}\n<!-- runbook:output {"exit":1} -->\n**✗ failed · exit 1**\n\`\`\`text\ne\n\`\`\`\n<!-- /runbook:output -->\n`);
  });

  it('keeps the original bytes of a cell with mixed line endings while it is unchanged', () => {
    const doc = parseRunbook('```sh\r\nx\n```\r\n');
    assert.equal((doc.cells[0] as CodeCell).raw, '```sh\r\nx\n```');
    assert.equal((parseRunbook('```sh  \nx\n```  \n').cells[0] as CodeCell).raw, undefined);
  });
});

describe('cells added in the notebook', () => {
  const code = newCode;
  const md = newMarkdown;
  const added = withCells;

  it('makes a fence safe for the source, with the fence language of the cell', () => {
    assert.deepEqual(newFence('shellscript', 'a\n```\nb'), { indent: '', marker: '````', info: 'bash', lang: 'bash', close: '````' });
    assert.deepEqual(newFence('plaintext', 'x'), { indent: '', marker: '```', info: '', lang: '', close: '```' });
    assert.deepEqual(newFence('python', '~~~'), { indent: '', marker: '```', info: 'python', lang: 'python', close: '```' });
  });

  it('appends after a blank line, ending the last line first, in the line ending of the file', () => {
    assert.equal(added('a', undefined, code('ls')), 'a\n\n```bash\nls\n```\n');
    assert.equal(added('a\n', undefined, code('ls')), 'a\n\n```bash\nls\n```\n');
    assert.equal(added('a\r\n', undefined, code('ls')), 'a\r\n\r\n```bash\r\nls\r\n```\r\n');
    assert.equal(added('a\r\nb', undefined, md('x\ny')), 'a\r\nb\r\n\r\nx\r\ny\r\n');
    assert.equal(added('', undefined, code('ls')), '```bash\nls\n```\n');
    assert.equal(added('', undefined, md('x')), 'x\n');
    assert.equal(added('\n\n', undefined, md('x')), '\n\nx\n');
    assert.equal(added('  ', undefined, md('x')), '  \nx\n');
  });

  it('appends after front matter with or without its final line ending', () => {
    assert.equal(added('---\na: 1\n---', undefined, md('x')), '---\na: 1\n---\nx\n');
    assert.equal(added('---\na: 1\n---\n', undefined, md('x')), '---\na: 1\n---\nx\n');
  });

  it('closes what the last block left open before appending: a fence, an HTML comment, a <pre>', () => {
    assert.equal(added('```bash\nls', undefined, md('x')), '```bash\nls\n```\n\nx\n');
    assert.equal(added('```bash\nls\n\n\n', undefined, md('x')), '```bash\nls\n```\n\n\nx\n');
    assert.equal(added('<!-- note\n', undefined, md('x')), '<!-- note\n-->\n\nx\n');
    assert.equal(added('<!-- note', undefined, md('x')), '<!-- note\n-->\n\nx\n');
    assert.equal(added('<pre>\nx', undefined, md('y')), '<pre>\nx\n</pre>\n\ny\n');
    assert.equal(added('<?php\nx', undefined, md('y')), '<?php\nx\n?>\n\ny\n');
    assert.equal(added('<![CDATA[\nx', undefined, md('y')), '<![CDATA[\nx\n]]>\n\ny\n');
    assert.equal(added('<!DOCTYPE\nx', undefined, md('y')), '<!DOCTYPE\nx\n>\n\ny\n');
    assert.equal(added('<Script>\nx', undefined, md('y')), '<Script>\nx\n</script>\n\ny\n');
    assert.equal(added('<div>\nx', undefined, md('y')), '<div>\nx\n\ny\n');
  });

  it('does not close an HTML block an edit closed already', () => {
    const doc = parseRunbook('<!-- note\n');
    doc.cells[0]!.source = '<!-- note -->';
    doc.cells.push(md('x'));
    assert.equal(serializeRunbook(doc), '<!-- note -->\n\nx\n');
  });

  it('inserts between cells with a blank line around', () => {
    assert.equal(added('# A\n\n# B\n', 1, code('ls')), '# A\n\n```bash\nls\n```\n\n# B\n');
    assert.equal(added('# A\n\n# B\n', 1, md('m1'), md('m2')), '# A\n\nm1\n\nm2\n\n# B\n');
    assert.equal(added('# A\r\n\r\n# B\r\n', 1, md('m')), '# A\r\n\r\nm\r\n\r\n# B\r\n');
  });

  it('places a cell inside the list item of the cells around it', () => {
    assert.equal(added('1. a\n   ```sh\n   ls\n   ```\n\n   more text\n', 2, code('new')),
      '1. a\n   ```sh\n   ls\n   ```\n\n   ```bash\n   new\n   ```\n\n   more text\n');
    assert.equal(added('1. a\n   ```sh\n   ls\n   ```\n\n   more text\n', 2, md('new')), '1. a\n   ```sh\n   ls\n   ```\n\n   new\n\n   more text\n');
    assert.equal(added('  - ```sh\n    ls\n    ```\n', 0, code('new')), '  ```bash\n  new\n  ```\n\n  - ```sh\n    ls\n    ```\n');
    assert.equal(added('- a\n\n  ```sh\n  ls\n  ```\n', 1, code('new')), '- a\n\n  ```bash\n  new\n  ```\n\n  ```sh\n  ls\n  ```\n');
    assert.equal(added('-\n  ```sh\n  ls\n  ```\n', 1, code('new')), '-\n  ```bash\n  new\n  ```\n\n  ```sh\n  ls\n  ```\n');
  });

  it('keeps a cell at top level between list items and after a list', () => {
    assert.equal(added('- a\n  ```sh\n  ls\n  ```\n- b\n  ```sh\n  df\n  ```\n', 2, code('new')),
      '- a\n  ```sh\n  ls\n  ```\n\n```bash\nnew\n```\n\n- b\n  ```sh\n  df\n  ```\n');
    assert.equal(added('- ```sh\n  ls\n  ```\n- ```sh\n  df\n  ```\n', 1, code('new')), '- ```sh\n  ls\n  ```\n\n```bash\nnew\n```\n\n- ```sh\n  df\n  ```\n');
    assert.equal(added('- a\n  ```sh\n  ls\n  ```\n', undefined, code('new')), '- a\n  ```sh\n  ls\n  ```\n\n```bash\nnew\n```\n');
  });
});

describe('what the parser reads', () => {
  it('takes the line ending of the first line for new text', () => {
    assert.equal(parseRunbook('\r\na\n').eol, '\r\n');
    assert.equal(parseRunbook('\na\r\n').eol, '\n');
    assert.equal(parseRunbook('\uFEFF\r\n').eol, '\r\n');
    assert.equal(parseRunbook('a\rb\n').eol, '\n');
    assert.equal(parseRunbook('a').eol, '\n');
  });

  it('keeps prose with mixed line endings verbatim and its source with "\\n"', () => {
    const crlf = parseRunbook('a\r\nb\nc\r\n').cells[0]!;
    assert.deepEqual([crlf.source, crlf.kind === 'markdown' && crlf.raw], ['a\nb\nc', 'a\r\nb\nc']);
    const lf = parseRunbook('a\nb\r\nc\n').cells[0]!;
    assert.deepEqual([lf.source, lf.kind === 'markdown' && lf.raw], ['a\nb\nc', 'a\nb\r\nc']);
    const plain = parseRunbook('a\r\nb\r\n').cells[0]!;
    assert.deepEqual([plain.source, plain.kind === 'markdown' && plain.raw], ['a\nb', undefined]);
  });

  it('gives blank lines to the gaps and the lead, and ranges in lines of the whole file', () => {
    const doc = parseRunbook('\uFEFF---\na: 1\n---\n\n \ntext\n\n\n# B\n\n```sh\nls\n```\n\n\n~~~\nopen\n\n');
    assert.equal(doc.bom, true);
    assert.equal(doc.lead, '\n \n');
    assert.deepEqual(doc.cells.map((c) => [c.kind, c.source, c.range, c.gap]), [
      ['markdown', 'text', { start: 5, end: 6 }, '\n\n\n'],
      ['markdown', '# B', { start: 8, end: 9 }, '\n\n'],
      ['code', 'ls', { start: 10, end: 13 }, '\n\n\n'],
      ['code', 'open', { start: 15, end: 17 }, '\n\n'],
    ]);
    assert.equal(serializeRunbook(doc), '\uFEFF---\na: 1\n---\n\n \ntext\n\n\n# B\n\n```sh\nls\n```\n\n\n~~~\nopen\n\n');
  });

  it('reads a fence, its attributes and flags', () => {
    const [a, b] = parseRunbook('- ```sh {"name":"x"}\n  ls\n  \n  df\n\n1. ~~~~ bash {name=y}\n   a\n').cells as CodeCell[];
    assert.deepEqual(a?.fence, { indent: '  ', lead: '- ', inList: true, marker: '```', info: ' {"name":"x"}'.replace(' ', 'sh '), lang: 'sh', close: null, jsonAttributes: true, indentBlankLines: true });
    assert.deepEqual([a?.language, a?.source, a?.attributes], ['shellscript', 'ls\n\ndf', { name: 'x' }]);
    assert.deepEqual(b?.fence, { indent: '   ', lead: '1. ', inList: true, marker: '~~~~', info: ' bash {name=y}', lang: 'bash', close: null, runsToEnd: true });
    assert.deepEqual([b?.source, b?.attributes], ['a', { name: 'y' }]);
  });
});
