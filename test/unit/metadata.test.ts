// Notebook metadata accessors (src/notebook/metadata.ts): what the serializer keeps under the `runbook` key
// of notebook, cell and output metadata, read and written through typed functions over plain objects (as
// VS Code and the language client hand them over), and no adapter reading it through a cast.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, it } from 'node:test';
import { parseRunbook } from '../../src/core/format/index.js';
import {
  cellAttributes, cellFence, executionLog, frontMatterData, frontMatterMeta, frontMatterProblemMessages, frontMatterRaw,
  languageServerMetadata, logRowsOf, outputRunMeta, sameRunbookMetadata, scratchOutputMetadata, transientMeta, withExecutionLog,
} from '../../src/notebook/metadata.js';
import { repoRoot } from './helpers.js';

const RECORD = `---
title: Disk full
incident:
  id: INC-1
  severity: P1
  started: 2026-11-29T22:00:00Z
---
# Disk full

\`\`\`bash {name=df host=web timeout=30s}
df -h
\`\`\`
`;

/** The notebook metadata the serializer writes for a parsed runbook (see toNotebookData). */
function notebookOf(text: string) {
  const doc = parseRunbook(text);
  return { metadata: { runbook: { eol: doc.eol, bom: doc.bom, lead: doc.lead, tail: doc.tail,
    ...(doc.frontMatter ? { frontMatter: { raw: doc.frontMatter.raw, errors: doc.frontMatter.errors } } : {}),
    ...(doc.log ? { log: doc.log } : {}) } } };
}

describe('notebook metadata accessors', () => {
  it('read the front matter of a notebook: raw text, data, problems', () => {
    const nb = notebookOf(RECORD);
    assert.match(frontMatterRaw(nb) ?? '', /^---\ntitle: Disk full/);
    assert.equal(frontMatterData(nb)?.title, 'Disk full');
    assert.equal(frontMatterData(nb)?.incident?.id, 'INC-1');
    assert.deepEqual(frontMatterProblemMessages(nb), []);
    assert.deepEqual(frontMatterMeta(nb)?.errors, []);

    const broken = notebookOf('---\ntitle: [unclosed\n---\n# x\n');
    assert.equal(frontMatterData(broken), undefined);
    assert.equal(frontMatterProblemMessages(broken).length, 1);
    assert.match(frontMatterMeta(broken)?.errors[0]?.message ?? '', /YAML/);
  });

  it('read absent, null or odd metadata as absent, never throw', () => {
    for (const x of [undefined, {}, { metadata: undefined }, { metadata: null }, { metadata: 'x' }, { metadata: { runbook: 7 } },
      { metadata: { runbook: { frontMatter: { raw: 3 }, log: { rows: 'no' }, attributes: [1], fence: {}, meta: 'm' } } }]) {
      assert.equal(frontMatterRaw(x), undefined);
      assert.equal(frontMatterData(x), undefined);
      assert.deepEqual(frontMatterProblemMessages(x), []);
      assert.equal(executionLog(x), undefined);
      assert.deepEqual(logRowsOf(x), []);
      assert.deepEqual(cellAttributes(x), {});
      assert.equal(cellFence(x), undefined);
      assert.equal(outputRunMeta(x), undefined);
      assert.equal(transientMeta(x), undefined);
    }
  });

  it('read a code cell\'s attributes and fence; values that are not attribute values are left out', () => {
    const doc = parseRunbook(RECORD);
    const code = doc.cells.find((c) => c.kind === 'code');
    assert(code?.kind === 'code');
    const cell = { metadata: { runbook: { fence: code.fence, attributes: code.attributes, gap: '\n' } } };
    assert.deepEqual(cellAttributes(cell), { name: 'df', host: 'web', timeout: '30s' });
    assert.equal(cellFence(cell)?.marker, '```');
    assert.deepEqual(cellAttributes({ metadata: { runbook: { attributes: { a: 'x', n: 2, b: true, z: null, o: { deep: 1 }, l: [1] } } } }),
      { a: 'x', n: 2, b: true, z: null });
  });

  it('read an output\'s run metadata and a notice\'s transient metadata', () => {
    const meta = { cell: 'df', exit: 0, ms: 12, host: 'web', started: '2026-11-29T22:01:00Z' };
    assert.deepEqual(outputRunMeta({ metadata: { runbook: { meta } } }), meta);
    const notice = { transient: true, notice: { kind: 'not-run', text: '✗ Not run — cancelled.', reason: 'cancelled' } };
    assert.deepEqual(transientMeta({ metadata: { runbook: notice } }), notice);
    assert.equal(transientMeta({ metadata: { runbook: { transient: 'yes' } } }), undefined);
  });

  it('compare cells\' serializer metadata; wrap a scratch output\'s metadata as transient', () => {
    const a = { metadata: { other: 1, runbook: { gap: '\n', attributes: { name: 'x' } } } };
    assert.equal(sameRunbookMetadata(a, { metadata: { runbook: { gap: '\n', attributes: { name: 'x' } } } }), true);
    assert.equal(sameRunbookMetadata(a, { metadata: { runbook: { gap: '\n\n', attributes: { name: 'x' } } } }), false);
    assert.equal(sameRunbookMetadata({}, { metadata: {} }), true);
    const meta = { meta: { cell: 'df', exit: 0 } };
    const wrapped = { metadata: scratchOutputMetadata({ metadata: { runbook: meta } }) };
    assert.deepEqual(transientMeta(wrapped), { transient: true, scratch: meta });
    assert.equal(outputRunMeta(wrapped), undefined, 'a scratch output is not a recorded run');
  });

  it('write the execution log without losing the rest of the metadata, and read it back', () => {
    const nb = { metadata: { other: 1, runbook: { eol: '\n', lead: '', tail: '', frontMatter: { raw: '---\n---\n', errors: [] } } } };
    assert.equal(executionLog(nb), undefined);
    const log = parseRunbook('# x\n').log ?? { raw: '', rows: [], parsedCount: 0 };
    const row = { n: 1, time: '2026-11-29T22:01:00Z', operator: 'alice', target: 'web', cell: 'df', event: 'run', exit: 0, ms: 12, digest: 'abc', chain: 'def' };
    const next = withExecutionLog(nb, { ...log, rows: [row] });
    assert.equal(next.other, 1);
    const after = { metadata: next };
    assert.equal(frontMatterRaw(after), '---\n---\n');
    assert.deepEqual(logRowsOf(after), [row]);
    assert.equal(executionLog(after)?.parsedCount, 0);
    // The original metadata object is not changed (VS Code's metadata is read-only).
    assert.equal('log' in nb.metadata.runbook, false);
  });

  it('give the language server only the front matter', () => {
    const frontMatter = { raw: '---\ntitle: t\n---\n', errors: [] };
    assert.deepEqual(languageServerMetadata({ metadata: { runbook: { frontMatter, log: { rows: [] }, lead: '' } } }), { runbook: { frontMatter } });
    assert.deepEqual(languageServerMetadata({ metadata: { runbook: { log: { rows: [] } } } }), {});
    assert.deepEqual(languageServerMetadata({ metadata: {} }), {});
  });
});

describe('adapters read notebook metadata through the accessors', () => {
  const ADAPTERS = ['src/kernel', 'src/providers', 'src/incident', 'src/lsp', 'src/extension.ts', 'src/extensionParts.ts'];

  function files(path: string): string[] {
    const abs = join(repoRoot, path);
    if (!statSync(abs).isDirectory()) return [abs];
    return readdirSync(abs).flatMap((f) => files(join(path, f))).filter((f) => f.endsWith('.ts'));
  }

  it('no adapter casts metadata (`metadata… as …`) or reads the `runbook` key itself', () => {
    const offenders: string[] = [];
    for (const file of ADAPTERS.flatMap(files)) {
      readFileSync(file, 'utf8').split('\n').forEach((line, i) => {
        const code = line.replace(/\/\/.*$/, '').trim();
        if (code.startsWith('*') || code.startsWith('/*')) return;
        const cast = /metadata/.test(code) && /\)?\s+as\s+[A-Z{(]/.test(code);
        const raw = /metadata\??\.runbook\b/.test(code);
        if (cast || raw) offenders.push(`${relative(repoRoot, file)}:${i + 1}: ${code}`);
      });
    }
    assert.deepEqual(offenders, []);
  });
});
