// The round-trip law (DESIGN §1): serialize(deserialize(t)) === t, byte for byte.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { describe, it } from 'node:test';
import { parseRunbook, serializeRunbook } from '../../src/core/format/index.js';
import { filesIn, readText, roundtrip, samplesDir, seedsDir } from './helpers.js';

const FENCE = '```';

const cases: Record<string, string> = {
  'empty file': '',
  'only blank lines': '\n\n  \n',
  'no final newline': '# Title\n\nSome text',
  'no final newline after a fence': '# T\n\n```bash\necho hi\n```',
  'CRLF': '# Title\r\n\r\nText\r\n\r\n```bash\r\necho hi\r\n```\r\n\r\nMore\r\n',
  'mixed line endings': '# Title\r\nText\n\r\n```bash\r\necho hi\nls\r\n```\n',
  'lone CR': 'a\rb\n```sh\nx\ry\n```\n',
  'BOM': '\uFEFF# Title\n\n```bash\nls\n```\n',
  'unclosed fence': '# T\n\n```bash\necho never closed\n\nmore\n',
  'unclosed fence at EOF without newline': '```bash\necho x',
  'empty fence': '```\n```\n',
  'fence with one empty line': '```\n\n```\n',
  'tilde fences': '~~~bash\necho ~~~ not a close\n~~~\n\n~~~~\n~~~\n~~~~\n',
  'four and more backticks': '````markdown\n```bash\ninner\n```\n````\n\n``````\n`````\n``````\n',
  'closing fence longer and indented': '```bash\nls\n  `````  \n',
  'fences inside list items': '1. Step one:\n   ```bash\n   ls -la\n\n   echo "blank line above"\n     indented more\n   ```\n2. Step two\n   ```bash\n   df -h\n   \n   ```\n',
  'fence in list with short line': '- item\n\n  ```sh\n  ok\n short\n  ```\n',
  'fences in blockquotes': '> Note:\n> ```bash\n> rm -rf /tmp/x\n> ```\n\nAfter\n',
  'indented code with fence inside': 'Para\n\n    ```bash\n    not a fence\n    ```\n\nEnd\n',
  'HTML blocks': '<details>\n<summary>More</summary>\n\n```bash\nls\n```\n\n</details>\n\n<div>\n```\nnot a fence in html\n```\n</div>\n\n<!-- comment\n```\n-->\n',
  'tables': '| a | b |\n|---|---|\n| `x` | ``` |\n\n```sql\nselect 1;\n```\n',
  'front matter': '---\ntitle: X\nhosts:\n  a: { ssh: deploy@10.0.0.5 }\n---\n\n# Body\n',
  'front matter CRLF': '---\r\ntitle: X\r\n---\r\n# Body\r\n',
  'broken front matter': '---\ntitle: [unclosed\n  : :\n---\n# Body\n',
  'front matter schema error': '---\nhosts: 3\nseverity: { P0: soon }\n---\nText\n',
  'unclosed front matter': '---\ntitle: x\n\n# Body\n',
  'front matter only, no newline': '---\ntitle: x\n---',
  'mojibake': '# CafÃ© â€” Ã¼ber\n\n```bash\necho "â€™"\n```\n',
  'trailing whitespace lines': '# T   \n   \n\t\n```bash  {name=x}  \nls\n```   \n \n',
  'attributes': '```bash {name=check-disk host=cvd-prod timeout=30s confirm=true}\ndf -h\n```\n\n```sh {"name":"j","x":[1]}\nls\n```\n',
  'output blocks': `${FENCE}bash {name=a}\nls\n${FENCE}\n\n<!-- runbook:output {"cell":"a","exit":0} -->\n${FENCE}text\nfile\n${FENCE}\n<!-- /runbook:output -->\n\nText\n`,
  'malformed output blocks': `${FENCE}bash\nls\n${FENCE}\n<!-- runbook:output {bad json} -->\n${FENCE}text\nx\n${FENCE}\n<!-- /runbook:output -->\n<!-- runbook:output {} -->\n${FENCE}text\nnever closed\n`,
  'log section': '# T\n\n```bash\nls\n```\n\n<!-- runbook:log -->\n## Execution log\n\n| # | Time (UTC) | Operator | Target | Cell | Event | Exit | ms | Digest | Chain | Detail |\n|--:|---|---|---|---|---|--:|--:|---|---|---|\n| 1 | 2026-11-23T05:13:04Z | alice | local | a | run | 0 | 12 | `ab` | `cd` |  |\n<!-- /runbook:log -->\n\n',
  'log marker in the middle': '<!-- runbook:log -->\nnot a log\n<!-- /runbook:log -->\n\n# After\n',
  'setext heading and thematic break': 'Title\n=====\n\n---\n\n* * *\n# H\n',
};

describe('round trip', () => {
  for (const [name, text] of Object.entries(cases)) {
    it(`keeps every byte: ${name}`, () => assert.equal(roundtrip(text), text));
  }

  for (const file of filesIn(seedsDir, '.md')) {
    const text = readText(file);
    it(`keeps every byte of seed ${file.split('/').pop()}`, () => assert.equal(roundtrip(text), text));
    it(`keeps every byte of seed ${file.split('/').pop()} with CRLF`, () => {
      const crlf = text.replace(/\n/g, '\r\n');
      assert.equal(roundtrip(crlf), crlf);
    });
    it(`keeps every byte of seed ${file.split('/').pop()} without its final newline`, () => {
      const cut = text.replace(/\n+$/, '');
      assert.equal(roundtrip(cut), cut);
    });
  }

  if (existsSync(samplesDir)) {
    for (const file of filesIn(samplesDir, '.runbook.md')) {
      it(`keeps every byte of sample ${file.split('/').pop()}`, () => assert.equal(roundtrip(readText(file)), readText(file)));
    }
  }
});

describe('editing', () => {
  it('changes only the edited cell', () => {
    const text = readText(filesIn(seedsDir, '.md').find((f) => f.includes('arbitration'))!);
    const doc = parseRunbook(text);
    const index = doc.cells.findIndex((c) => c.kind === 'code' && c.fence.indent.length > 0);
    assert.ok(index > 0, 'the arbitration seed has an indented fence');
    const cell = doc.cells[index]!;
    const before = serializeRunbook({ ...doc, cells: doc.cells.slice(0, index) });
    cell.source = 'echo edited\n\necho twice';
    const out = serializeRunbook(doc);
    const start = text.indexOf(before.slice(-200)) + 200;
    assert.equal(out.slice(0, start), text.slice(0, start));
    const after = text.slice(text.indexOf('\n', text.indexOf('```', text.indexOf('```', start) + 3)));
    assert.ok(out.endsWith(after), 'bytes after the edited cell are unchanged');
    assert.match(out, /\n {3}```bash\n {3}echo edited\n\n {3}echo twice\n {3}```\n/);
  });

  it('writes new cells with a blank line around them and a language token', () => {
    const doc = parseRunbook('# T\n');
    doc.cells.push({ kind: 'code', language: 'shellscript', source: 'ls', fence: { indent: '', marker: '```', info: 'bash', lang: 'bash', close: '```' }, attributes: {}, outputs: [] });
    assert.equal(serializeRunbook(doc), '# T\n\n```bash\nls\n```\n');
  });

  it('renders changed attributes and language in the original form', () => {
    const doc = parseRunbook('```bash {name=a}\nls\n```\n\n```sh {"name":"b"}\nls\n```\n');
    const [a, , b] = [doc.cells[0], undefined, doc.cells[1]];
    assert.ok(a?.kind === 'code' && b?.kind === 'code');
    a.attributes.confirm = 'true';
    b.language = 'sql';
    assert.equal(serializeRunbook(doc), '```bash {name=a confirm=true}\nls\n```\n\n```sql {"name":"b"}\nls\n```\n');
  });

  it('lengthens the fence when an edited source contains a fence line', () => {
    const doc = parseRunbook('```bash\nls\n```\n');
    const cell = doc.cells[0]!;
    assert.ok(cell.kind === 'code');
    cell.source = 'cat <<EOF\n```\nEOF';
    const out = serializeRunbook(doc);
    assert.equal(out, '````bash\ncat <<EOF\n```\nEOF\n````\n');
    assert.equal((parseRunbook(out).cells[0] as { source: string }).source, cell.source);
  });
});
