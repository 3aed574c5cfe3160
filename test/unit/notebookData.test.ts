// The serializer's adapter (src/notebook/notebookData.ts): the round-trip law holds through NotebookData as
// VS Code carries it (metadata and output bytes copied between processes), and an output's text is not kept
// a second time in its metadata (issue 17: most of a big record's bytes are outputs, and every copy crosses
// the extension host ↔ window channel at open, save and backup).
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { check } from './propertySeed.js';
import { filesIn, readText, repoRoot, samplesDir } from './helpers.js';
import { parseRunbook, serializeRunbook } from '../../src/core/format/index.js';
import { fromNotebookData, rawOf, rawParts, toNotebookData, type OutputMeta } from '../../src/notebook/notebookData.js';
import { executionLog, frontMatterMeta, withExecutionLog } from '../../src/notebook/metadata.js';
import { appendRow } from '../../src/core/log/chain.js';
import { generateRunbook } from '../../bench/generateRunbook.js';
import { NotebookCellData, NotebookCellOutput, NotebookCellOutputItem, NotebookData, notebookApi } from './notebookApi.js';

const api = notebookApi as unknown as Parameters<typeof toNotebookData>[0];
type Data = ReturnType<typeof toNotebookData>;

/** What the other side of VS Code's channel gets: metadata as JSON, output items as bytes. */
function carried(data: Data): Data {
  const out = new NotebookData(data.cells.map((c) => {
    const d = new NotebookCellData(c.kind, c.value, c.languageId);
    d.metadata = JSON.parse(JSON.stringify(c.metadata ?? {}));
    d.outputs = (c.outputs ?? []).map((o) => new NotebookCellOutput(
      o.items.map((i) => new NotebookCellOutputItem(Uint8Array.from(i.data), i.mime)), JSON.parse(JSON.stringify(o.metadata ?? {}))));
    return d;
  }));
  out.metadata = JSON.parse(JSON.stringify(data.metadata ?? {}));
  return out as unknown as Data;
}

const throughNotebook = (text: string): string => serializeRunbook(fromNotebookData(carried(toNotebookData(api, parseRunbook(text)))));

const corpusDir = join(repoRoot, 'test', 'corpus');
const files = [
  ...readdirSync(corpusDir).filter((f) => f.endsWith('.md') && f !== 'README.md').map((f) => join(corpusDir, f)),
  ...filesIn(samplesDir, '.runbook.md'),
];

const F = '```';
const out = (meta: string, body: string, indent = '', eol = '\n') =>
  [`<!-- runbook:output ${meta} -->`, `${F}text`, ...body.split('\n'), F, '<!-- /runbook:output -->'].map((l) => (l ? indent + l : l)).join(eol);
const long = Array.from({ length: 40 }, (_, i) => `line ${i} of the output`).join('\n');

describe('notebook data: round trip through VS Code', () => {
  it('is byte-exact for the corpus, the samples and a generated record', () => {
    for (const f of files) assert.equal(throughNotebook(readText(f)), readText(f), f);
    const big = generateRunbook({ cells: 60, targetBytes: 200_000 }).text;
    assert.equal(throughNotebook(big), big);
  });

  it('is byte-exact for outputs that are indented, CRLF, short, empty or repeat their text in the caption', () => {
    const cases = [
      `# T\n\n${F}bash\necho\n${F}\n\n${out('{"exit":0}', long)}\n`,
      `# T\r\n\r\n${F}bash\r\necho\r\n${F}\r\n\r\n${out('{"exit":0}', long, '', '\r\n')}\r\n`,
      `- step\n\n  ${F}bash\n  echo\n  ${F}\n\n${out('{"exit":0}', long, '  ')}\n`,
      `${F}bash\necho\n${F}\n\n${out('{"exit":0}', 'hi')}\n\n\n${out('{"exit":1}', '')}`,
      `${F}bash\necho\n${F}\n${out(`{"cell":${JSON.stringify(long.slice(0, 80))}}`, long.slice(0, 80))}\ntrailing prose`,
    ];
    for (const t of cases) assert.equal(throughNotebook(t), t, JSON.stringify(t.slice(0, 60)));
  });

  it('keeps an output\'s text once: its metadata holds only the ends of the block', () => {
    const text = `${F}bash\necho\n${F}\n\n${out('{"exit":0}', long)}\n`;
    const data = toNotebookData(api, parseRunbook(text));
    const meta = data.cells[0]!.outputs![0]!.metadata!.runbook as OutputMeta;
    assert.equal(meta.raw, undefined);
    assert.ok(JSON.stringify(meta).length < 200, JSON.stringify(meta));
    assert.ok(!JSON.stringify(meta).includes('line 7 of the output'));
    // The 200 kB generated record: metadata of all outputs together is a small fraction of their text.
    const big = toNotebookData(api, parseRunbook(generateRunbook({ cells: 60, targetBytes: 200_000 }).text));
    const outs = big.cells.flatMap((c) => c.outputs ?? []);
    const metaBytes = outs.reduce((n, o) => n + JSON.stringify(o.metadata).length, 0);
    const textBytes = outs.reduce((n, o) => n + o.items.reduce((m, i) => m + i.data.length, 0), 0);
    assert.ok(outs.length > 10 && metaBytes < textBytes / 4, `metadata ${metaBytes} B for ${textBytes} B of output text`);
  });

  it('rawParts/rawOf give back any raw block for any text (property)', () => {
    const piece = fc.constantFrom('a', 'line\n', '\n', '\r\n', '```', ' ', 'x'.repeat(70), '<!-- -->');
    const str = fc.array(piece, { maxLength: 30 }).map((a) => a.join(''));
    check(fc.property(str, str, str, (head, text, tail) => {
      const raw = head + text + tail;
      for (const t of [text, text + '\n', 'other']) {
        const parts = rawParts(raw, t);
        if (rawOf(parts, t) !== raw) return false;
      }
      return true;
    }), 500);
  });
});

describe('notebook data: what opening a record does not wait for', () => {
  it('keeps the front matter as text: its YAML is not read while the notebook opens; its problems are read when asked', () => {
    const text = '---\ntitle: [unclosed\n---\n# T\n\n```bash\necho\n```\n';
    const doc = parseRunbook(text);
    // A getter that counts reads of the parsed front matter: opening must not read it (that needs the YAML
    // library and the schema, and the window waits for the notebook data).
    let reads = 0;
    const fm = doc.frontMatter!;
    const spy = Object.create(fm, {
      data: { get: () => { reads++; return fm.data; } },
      errors: { get: () => { reads++; return fm.errors; } },
    }) as typeof fm;
    doc.frontMatter = spy;
    const data = toNotebookData(api, doc);
    assert.equal(reads, 0, 'toNotebookData read the front matter\'s YAML');
    assert.deepEqual(data.metadata!.runbook, { eol: '\n', bom: false, lead: '', tail: '', frontMatter: { raw: '---\ntitle: [unclosed\n---\n' } });
    assert.match(frontMatterMeta(carried(data))?.errors[0]?.message ?? '', /^YAML/);
    assert.equal(throughNotebook(text), text);
  });
});

describe('notebook data: the execution log crosses as its text', () => {
  // A record with a long log: the rows read from it travel as the section's text only (issue 17).
  const text = generateRunbook({ cells: 200, targetBytes: 400_000 }).text;
  const doc = parseRunbook(text);

  it('holds the section\'s text and no parsed copy of its rows', () => {
    assert.ok((doc.log?.rows.length ?? 0) > 100, 'the generated record has a long log');
    const data = toNotebookData(api, doc);
    const log = (data.metadata!.runbook as { log: Record<string, unknown> }).log;
    assert.deepEqual(Object.keys(log).sort(), ['added', 'raw']);
    assert.equal(log.raw, doc.log!.raw);
    assert.deepEqual(log.added, []);
    assert.ok(JSON.stringify(log).length < doc.log!.raw.length * 1.2, 'about the size of the section\'s text');
  });

  it('reads the same rows back, appends after them, and writes the section byte-exact', () => {
    const data = carried(toNotebookData(api, doc));
    const log = executionLog(data)!;
    assert.deepEqual(log.rows, doc.log!.rows);
    assert.equal(log.parsedCount, doc.log!.rows.length);
    assert.equal(serializeRunbook(fromNotebookData(data)), text);
    // A run's row, as the kernel appends it (logWriter: chain, then withExecutionLog).
    const rows = [...log.rows];
    appendRow(rows, { time: '2026-11-30T10:00:00Z', operator: 'alice', target: 'web', cell: 'df', event: 'run', exit: 0, ms: 5, digest: 'abc' });
    const next = carried(Object.assign(new NotebookData(data.cells), { metadata: withExecutionLog(data, { ...log, rows }) }) as unknown as Data);
    assert.deepEqual((next.metadata!.runbook as { log: { added: unknown[] } }).log.added, [rows.at(-1)]);
    const written = serializeRunbook(fromNotebookData(next));
    assert.equal(written, serializeRunbook({ ...doc, log: { ...doc.log!, rows } }));
    assert.deepEqual(parseRunbook(written).log!.rows, rows);
  });

  it('shares the rows read from the text, which nobody can change', () => {
    const data = carried(toNotebookData(api, doc));
    const a = executionLog(data)!;
    a.rows.push(a.rows[0]!);
    assert.throws(() => { (a.rows[0] as { detail?: string }).detail = 'changed'; }, TypeError);
    assert.equal(executionLog(data)!.rows.length, doc.log!.rows.length, 'each read gets its own list');
  });

  it('still reads a log kept with its rows (the metadata of a backup from before)', () => {
    const old = { metadata: { runbook: { log: { raw: doc.log!.raw, rows: doc.log!.rows, parsedCount: doc.log!.parsedCount } } } };
    assert.deepEqual(executionLog(old)?.rows, doc.log!.rows);
    const data = toNotebookData(api, doc);
    data.metadata = { runbook: { ...(data.metadata!.runbook as object), ...old.metadata.runbook } };
    assert.equal(serializeRunbook(fromNotebookData(carried(data))), text);
  });
});

