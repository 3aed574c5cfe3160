// Issue 19.0 over runbooks written the way real ones are (test/corpus), the samples and the seeds: editing a
// cell, attaching an output to it, inserting a cell after it or appending one keeps every other cell, changes
// only that region's bytes, and on GitHub keeps every cell in its list item (checkRunbook). Plus the issue's own example and records
// written by older versions (outputs at column 0).
import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { newFence, parseRunbook, serializeRunbook, type CodeCell } from '../../src/core/format/index.js';
import { checkRunbook, sampleOutput } from '../corpus/checkRunbook.js';
import { filesIn, readText, repoRoot, samplesDir, seedsDir } from './helpers.js';

const corpusDir = join(repoRoot, 'test', 'corpus');
const corpus = readdirSync(corpusDir).filter((f) => f.endsWith('.md') && f !== 'README.md').sort().map((f) => join(corpusDir, f));
const codeCells = (text: string): CodeCell[] => parseRunbook(text).cells.filter((c): c is CodeCell => c.kind === 'code');

describe('the format corpus', () => {
  it('holds the shapes real runbooks take', () => {
    const all = corpus.map(readText);
    const cells = all.flatMap(codeCells);
    assert.ok(corpus.length >= 9, `${corpus.length} corpus files`);
    assert.ok(cells.filter((c) => c.fence.inList).length >= 25, 'fences in list items');
    assert.ok(cells.filter((c) => c.fence.lead !== undefined).length >= 5, 'fences opened on a list-marker line');
    assert.ok(cells.filter((c) => c.fence.close === null).length >= 3, 'unclosed fences');
    assert.ok(cells.some((c) => c.outputs.length > 0 && c.outputs[0]!.raw?.includes('\n   <!--')), 'an output written inside its list item');
    assert.ok(cells.some((c) => c.fence.inList && c.outputs[0]?.raw?.includes('\n<!--')), 'an output written at column 0 by an older version');
    for (const shape of ['\n> ```', '<details>', '|---', '\t```', '\r\n', '[!WARNING]', '<!--\n```', '1) ', '~~~']) {
      assert.ok(all.some((t) => t.includes(shape)), `the corpus has ${JSON.stringify(shape)}`);
    }
  });

  for (const file of corpus) {
    const name = file.split('/').pop()!;
    it(`${name}: edits, outputs and an appended cell change nothing else`, () => {
      const text = readText(file);
      assert.deepEqual(checkRunbook(text, name), []);
      if (!text.includes('\r')) assert.deepEqual(checkRunbook(text.replace(/\n/g, '\r\n'), `${name} (CRLF)`), []);
      assert.ok(codeCells(text).length >= 3, 'the file has cells to edit');
    });
  }

  // The samples are long: a quick run checks every fourth cell of them, `npm run test:deep` every cell.
  const every = process.env.FC_SCALE && Number(process.env.FC_SCALE) > 1 ? 1 : 4;
  for (const [dir, suffix] of [[samplesDir, '.runbook.md'], [seedsDir, '.md']] as const) {
    if (!existsSync(dir)) continue;
    for (const file of filesIn(dir, suffix)) {
      it(`${file.split('/').pop()}: edits, outputs and an appended cell change nothing else`, () => {
        assert.deepEqual(checkRunbook(readText(file), file, every), []);
      });
    }
  }
});

describe('a step inside a list item', () => {
  const text = '1. Check:\n   ```bash\n   echo one\n   ```\n   Then:\n   ```bash\n   echo two\n   ```\n2. Done\n';

  it('keeps the next step of the item a cell after it ran (the example of issue 19)', () => {
    const doc = parseRunbook(text);
    (doc.cells[1] as CodeCell).outputs.push(sampleOutput(1, false));
    const out = serializeRunbook(doc);
    assert.deepEqual(codeCells(out).map((c) => c.source), ['echo one', 'echo two']);
    assert.match(out, /\n {3}```\n\n {3}<!-- runbook:output \{.*\} -->\n {3}✓ exit 0 · `local \(alice@vm\)` · 2026-11-23 05:13:04 UTC · 412 ms\n {3}````text\n {3}one line of output\n/);
    assert.match(out, /\n {3}<!-- \/runbook:output -->\n {3}Then:\n/);
  });

  it('reads a fence opened on the list-marker line as a cell and its closing fence as the end', () => {
    const cells = codeCells('- ```bash\n  ls -la\n  ```\n- After it\n\n1. ```sh {name=x}\n   df -h\n   ```\n   prose\n');
    assert.deepEqual(cells.map((c) => [c.source, c.fence.lead, c.fence.close, c.attributes.name]),
      [['ls -la', '- ', '  ```', undefined], ['df -h', '1. ', '   ```', 'x']]);
  });

  it('writes an edited list-marker cell back on its marker line', () => {
    const doc = parseRunbook('- ```bash\n  ls\n  ```\n- next\n');
    (doc.cells[0] as CodeCell).source = 'ls -la\n\necho done';
    assert.equal(serializeRunbook(doc), '- ```bash\n  ls -la\n\n  echo done\n  ```\n- next\n');
  });

  it('keeps a cell added between two steps of an item in that item, and the steps after it cells', () => {
    const nested = '1. Check:\n    - disk:\n      ```bash\n      df -h\n      ```\n      ```bash\n      du -sh /var\n      ```\n2. Done\n';
    const doc = parseRunbook(nested);
    doc.cells.splice(2, 0, { kind: 'code', language: 'shellscript', source: 'lsblk', fence: newFence('shellscript', 'lsblk'), attributes: {}, outputs: [] });
    const out = serializeRunbook(doc);
    assert.equal(out, '1. Check:\n    - disk:\n      ```bash\n      df -h\n      ```\n\n      ```bash\n      lsblk\n      ```\n\n      ```bash\n      du -sh /var\n      ```\n2. Done\n');
    assert.deepEqual(codeCells(out).map((c) => c.source), ['df -h', 'lsblk', 'du -sh /var']);
  });

  it('reads records written by older versions (outputs at column 0) with their outputs and every later step', () => {
    const old = '1. Check:\n    ```bash\n    echo one\n    ```\n\n<!-- runbook:output {"cell":"a","exit":0} -->\n```text\none\n```\n<!-- /runbook:output -->\n\n    Then:\n    ```bash\n    echo two\n    ```\n';
    const doc = parseRunbook(old);
    assert.equal(serializeRunbook(doc), old);
    const cells = codeCells(old);
    assert.deepEqual(cells.map((c) => [c.source, c.outputs.map((o) => o.text)]), [['echo one', ['one\n']], ['echo two', []]]);
    // Running the step again writes its new output inside the item.
    (doc.cells[1] as CodeCell).outputs = [{ meta: { cell: 'a', exit: 0 }, text: 'one\n' }];
    const out = serializeRunbook(doc);
    assert.match(out, /\n {4}```\n\n {4}<!-- runbook:output \{"cell":"a","exit":0\} -->\n {4}✓ exit 0\n {4}```text\n {4}one\n {4}```\n {4}<!-- \/runbook:output -->\n\n {4}Then:\n/);
    assert.deepEqual(codeCells(out).map((c) => c.source), ['echo one', 'echo two']);
  });
});
