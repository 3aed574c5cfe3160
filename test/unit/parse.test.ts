// What the parser makes of a runbook: cells, languages, attributes, outputs and the execution log.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseInfo, parseRunbook, serializeRunbook, type CodeCell } from '../../src/core/format/index.js';

const F = '```';
const codeCells = (text: string): CodeCell[] => parseRunbook(text).cells.filter((c): c is CodeCell => c.kind === 'code');

describe('cells', () => {
  it('turns prose into markdown cells split at headings and fences into code cells', () => {
    const doc = parseRunbook(`# Title\n\nIntro\n\n## Step\n\n${F}bash\nls\n${F}\n\nAfter\n`);
    assert.deepEqual(doc.cells.map((c) => c.kind), ['markdown', 'markdown', 'code', 'markdown']);
    assert.deepEqual(doc.cells.map((c) => c.source), ['# Title\n\nIntro', '## Step', 'ls', 'After']);
  });

  it('maps fence languages to VS Code language ids and keeps others', () => {
    const langs = ['bash', 'sh', 'shell', 'zsh', 'sql', 'postgresql', 'mysql', 'sqlite', 'http', 'rest', 'yaml', 'go', 'mermaid', ''];
    const text = langs.map((l) => `${F}${l}\nx\n${F}\n`).join('\n');
    assert.deepEqual(codeCells(text).map((c) => c.language), ['shellscript', 'shellscript', 'shellscript', 'shellscript',
      'sql', 'sql', 'sql', 'sql', 'http', 'http', 'yaml', 'go', 'mermaid', 'plaintext']);
  });

  it('reads fences inside list items with their indentation removed', () => {
    const [cell] = codeCells('1. Check:\n   ```bash\n   ls -la\n     more\n   ```\n2. Next\n');
    assert.equal(cell?.source, 'ls -la\n  more');
    assert.equal(cell?.fence.indent, '   ');
  });

  it('leaves fences inside block quotes, HTML blocks and indented code as prose', () => {
    const text = `> ${F}bash\n> ls\n> ${F}\n\n<div>\n${F}bash\nls\n${F}\n</div>\n\nPara\n\n    ${F}bash\n    ls\n    ${F}\n`;
    assert.equal(codeCells(text).length, 0);
  });

  it('finds a fence right after an HTML comment and after a closed HTML block', () => {
    assert.equal(codeCells(`<!-- note -->\n${F}bash\nls\n${F}\n`).length, 1);
    assert.equal(codeCells(`<details>\n<summary>x</summary>\n\n${F}bash\nls\n${F}\n\n</details>\n`).length, 1);
  });

  it('runs an unclosed fence to the end of the file', () => {
    const [cell] = codeCells(`${F}bash\necho a\n\n# not a heading\n`);
    assert.equal(cell?.fence.close, null);
    assert.equal(cell?.source, 'echo a\n\n# not a heading');
  });

  it('does not close a backtick fence with tildes or a shorter fence', () => {
    const [cell] = codeCells('````\n```\n~~~~\n````\n');
    assert.equal(cell?.source, '```\n~~~~');
  });

  it('records source line ranges', () => {
    const doc = parseRunbook('---\ntitle: x\n---\n# T\n\n```bash\nls\n```\n');
    assert.deepEqual(doc.cells.map((c) => c.range), [{ start: 3, end: 4 }, { start: 5, end: 8 }]);
  });
});

describe('attributes', () => {
  it('reads the Runme k=v form with quotes and keeps unknown keys', () => {
    assert.deepEqual(parseInfo('bash {name=check-disk host=cvd-prod timeout=30s confirm=true label="two words" x=1}'), {
      lang: 'bash', json: false,
      attributes: { name: 'check-disk', host: 'cvd-prod', timeout: '30s', confirm: 'true', label: 'two words', x: '1' },
    });
  });

  it('reads the JSON form', () => {
    assert.deepEqual(parseInfo('sh {"name":"a","confirm":true,"n":2}'), {
      lang: 'sh', json: true, attributes: { name: 'a', confirm: true, n: 2 },
    });
  });

  it('treats an info string without braces as a language only', () => {
    assert.deepEqual(parseInfo(' python title'), { lang: 'python', attributes: {}, json: false });
  });
});

describe('output blocks', () => {
  const block = (meta: string, body: string, fence = F) =>
    `<!-- runbook:output ${meta} -->\n${fence}text\n${body}${fence}\n<!-- /runbook:output -->\n`;

  it('reads output blocks after a code cell into its outputs, stdout and stderr apart', () => {
    const text = `${F}bash {name=a}\nls\n${F}\n\n${block('{"cell":"a","exit":0,"stream":"stdout"}', 'one\ntwo\n')}\n${block('{"cell":"a","stream":"stderr"}', 'warn\n')}\nAfter\n`;
    const doc = parseRunbook(text);
    const cell = doc.cells[0] as CodeCell;
    assert.equal(doc.cells.length, 2);
    assert.deepEqual(cell.outputs.map((o) => [o.meta.stream, o.text]), [['stdout', 'one\ntwo\n'], ['stderr', 'warn\n']]);
    assert.equal(cell.outputs[0]!.meta.exit, 0);
  });

  it('keeps malformed output blocks as prose', () => {
    const text = `${F}bash\nls\n${F}\n\n<!-- runbook:output {oops} -->\n${F}text\nx\n${F}\n<!-- /runbook:output -->\n`;
    const doc = parseRunbook(text);
    assert.equal((doc.cells[0] as CodeCell).outputs.length, 0);
    assert.equal(doc.cells[1]?.kind, 'markdown');
  });

  it('writes an output containing backtick fences with a longer fence and reads it back', () => {
    const doc = parseRunbook(`${F}bash\ncat README.md\n${F}\n`);
    const text = 'before\n```bash\nrm -rf /\n```\n````\nafter';
    (doc.cells[0] as CodeCell).outputs.push({ meta: { cell: 'x', exit: 0 }, text });
    const written = serializeRunbook(doc);
    assert.match(written, /\n`````text\n/);
    const again = parseRunbook(written);
    assert.equal((again.cells[0] as CodeCell).outputs[0]?.text, text + '\n');
    assert.equal(serializeRunbook(again), written);
  });

  it('writes outputs with the document line ending', () => {
    const doc = parseRunbook('```bash\r\nls\r\n```\r\n');
    (doc.cells[0] as CodeCell).outputs.push({ meta: { exit: 0 }, text: 'a\nb\n' });
    assert.equal(serializeRunbook(doc), '```bash\r\nls\r\n```\r\n\r\n<!-- runbook:output {"exit":0} -->\r\n✓ exit 0\r\n```text\r\na\r\nb\r\n```\r\n<!-- /runbook:output -->\r\n');
  });
});

describe('output captions', () => {
  const ran = (meta: CodeCell['outputs'][number]['meta'], text = 'ok\n'): string => {
    const doc = parseRunbook(`${F}bash\nls\n${F}\n`);
    (doc.cells[0] as CodeCell).outputs.push({ meta, text });
    return serializeRunbook(doc);
  };

  it('writes a caption derived from the metadata between the comment and the code block', () => {
    assert.equal(ran({ cell: 'a', target: 'cvd-prod', host: 'deploy@10.0.0.5:22', started: '2026-11-23T05:13:04.250Z', ms: 412, exit: 0 }),
      `${F}bash\nls\n${F}\n\n<!-- runbook:output {"cell":"a","target":"cvd-prod","host":"deploy@10.0.0.5:22","started":"2026-11-23T05:13:04.250Z","ms":412,"exit":0} -->\n` +
      `✓ exit 0 · \`cvd-prod (deploy@10.0.0.5:22)\` · 2026-11-23 05:13:04 UTC · 412 ms\n${F}text\nok\n${F}\n<!-- /runbook:output -->\n`);
  });

  it('says failed in bold, names stderr, HTTP status and an output without exit code', () => {
    assert.match(ran({ exit: 3, stream: 'stderr', host: 'local', ms: 61_000 }), /\n\*\*✗ failed · exit 3\*\* · stderr · `local` · 1 min 01 s\n/);
    assert.match(ran({ exit: null, kind: 'notice', stream: 'stderr' }), /\n\*\*✗ no exit code\*\* · stderr\n/);
    assert.match(ran({ exit: 0, kind: 'http', status: 503, target: 'local', started: 'not a time' }), /\n✓ exit 0 · HTTP 503 · `local`\n/);
    assert.match(ran({ host: 'we`ird_host*' }), /-->\n``we`ird_host\*``\n```text\n/);
  });

  it('writes no caption when the metadata says nothing a reader needs', () => {
    assert.match(ran({ cell: 'a', stream: 'stdout' }), /-->\n```text\nok\n/);
  });

  it('folds a long output under its caption and reads it back', () => {
    const text = Array.from({ length: 25 }, (_, k) => `line ${k}`).join('\n') + '\n';
    const out = ran({ exit: 1, host: 'h', started: '2026-11-23T05:13:04Z', ms: 5 }, text);
    assert.match(out, /-->\n<details><summary><b>✗ failed · exit 1<\/b> · <code>h<\/code> · 2026-11-23 05:13:04 UTC · 5 ms · 25 lines<\/summary>\n\n```text\nline 0\n/);
    assert.match(out, /\nline 24\n```\n\n<\/details>\n\n<!-- \/runbook:output -->\n$/);
    const back = parseRunbook(out);
    assert.equal(back.cells.length, 1);
    assert.deepEqual((back.cells[0] as CodeCell).outputs.map((o) => o.text), [text]);
    assert.equal(serializeRunbook(back), out);
  });

  it('keeps a hand-edited caption verbatim and reads the block as before', () => {
    const edited = `${F}bash\nls\n${F}\n\n<!-- runbook:output {"exit":0,"host":"h"} -->\nRan fine on **h** (checked by Bob)\n${F}text\nok\n${F}\n<!-- /runbook:output -->\n\nAfter\n`;
    const doc = parseRunbook(edited);
    assert.deepEqual((doc.cells[0] as CodeCell).outputs.map((o) => [o.meta, o.text]), [[{ exit: 0, host: 'h' }, 'ok\n']]);
    assert.equal(doc.cells.length, 2);
    (doc.cells[1] as { source: string }).source = 'After, edited';
    assert.equal(serializeRunbook(doc), edited.replace('After\n', 'After, edited\n'));
  });

  it('reads blocks written before captions existed, byte for byte', () => {
    const old = `${F}bash\nls\n${F}\n\n<!-- runbook:output {"cell":"a","exit":1} -->\n${F}text\nboom\n${F}\n<!-- /runbook:output -->\n`;
    const doc = parseRunbook(old);
    assert.deepEqual((doc.cells[0] as CodeCell).outputs.map((o) => o.text), ['boom\n']);
    assert.equal(serializeRunbook(doc), old);
  });

  it('keeps a block whose fold is broken as prose', () => {
    const broken = `${F}bash\nls\n${F}\n\n<!-- runbook:output {"exit":0} -->\n<details><summary>x</summary>\n\n${F}text\nok\n${F}\n\nstray text\n</details>\n<!-- /runbook:output -->\n`;
    const doc = parseRunbook(broken);
    assert.equal((doc.cells[0] as CodeCell).outputs.length, 0);
    assert.equal(serializeRunbook(doc), broken);
  });
});

describe('execution log section', () => {
  const log = '<!-- runbook:log -->\n## Execution log\n\n| # | Time (UTC) | Operator | Target | Cell | Event | Exit | ms | Digest | Chain | Detail |\n|--:|---|---|---|---|---|--:|--:|---|---|---|\n| 1 | 2026-11-23T05:13:04Z | alice | local | a | run | 0 | 12 | `ab` | `cd` | a \\| b |\n<!-- /runbook:log -->\n';

  it('reads the rows into the document, not into cells', () => {
    const doc = parseRunbook(`# T\n\n${log}`);
    assert.equal(doc.cells.length, 1);
    assert.deepEqual(doc.log?.rows, [{ n: 1, time: '2026-11-23T05:13:04Z', operator: 'alice', target: 'local', cell: 'a',
      event: 'run', exit: 0, ms: 12, digest: 'ab', chain: 'cd', detail: 'a | b' }]);
  });

  it('appends new rows before the closing marker and keeps old rows verbatim', () => {
    const doc = parseRunbook(`# T\n\n${log}`);
    doc.log!.rows.push({ n: 2, time: 't', operator: 'bob', target: 'deploy@h:22', cell: 'b', event: 'cancel', exit: null, ms: 5, digest: 'ef', chain: '01' });
    const out = serializeRunbook(doc);
    // The old-format table stays verbatim; new rows (format 2) start their own table after a blank line.
    assert.ok(out.includes('| 1 | 2026-11-23T05:13:04Z | alice | local | a | run | 0 | 12 | `ab` | `cd` | a \\| b |\n\n| # | Time (UTC) | Cell | Event | Operator → target | Detail |\n|--:|---|---|---|---|---|\n| 2 | t | b | cancel · 5 ms | bob → deploy@h:22 | <!-- rb {'), out);
    assert.equal(parseRunbook(out).log?.rows.length, 2);
  });

  it('creates the section at the end when a document gets its first row', () => {
    const doc = parseRunbook('# T');
    doc.log = { raw: '', rows: [{ n: 1, time: 't', operator: 'o', target: 'local', cell: 'c', event: 'run', exit: 0, ms: 1, digest: 'd', chain: 'c' }], parsedCount: 0 };
    const out = serializeRunbook(doc);
    assert.match(out, /^# T\n\n<!-- runbook:log -->\n## Execution log\n/);
    const doc2 = parseRunbook('# T\n');
    doc2.log = { ...doc.log!, rows: [...doc.log!.rows] };
    assert.match(serializeRunbook(doc2), /^# T\n\n<!-- runbook:log -->\n/);
    assert.equal(parseRunbook(out).log?.rows[0]?.cell, 'c');
  });
});
