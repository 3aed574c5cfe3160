// The run journal merged back on the next open (issue 17 point 1): a run a crash kept from the save comes
// back into the cell that ran even when that cell moved, has a twin with the same text, was deleted, or the
// record was saved meanwhile (by this editor or another tool); the merged record verifies; a torn or foreign
// journal line is ignored. In-process: the promise is the core function's.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseRunbook, serializeRunbook, type CellOutput, type CodeCell, type LogRow } from '../../src/core/format/index.js';
import { appendRow, chainOf, digestOf, GENESIS } from '../../src/core/log/chain.js';
import { decodeJournal, encodeEntry, mergeJournal, type JournalEntry } from '../../src/core/log/journal.js';
import { outputsDigest, sourceDigest } from '../../src/core/log/recordDigests.js';
import { verifyRecord } from '../../src/core/log/verifyRecord.js';

const out = (name: string, text: string, exit = 0): CellOutput[] => [{ meta: { cell: name, host: 'local', started: '2026-11-23T05:13:04Z', ms: 3, exit }, text }];

/** What the kernel journals when the code cell at `index` of `text` (named `name`) runs and prints `printed`. */
function runEntry(text: string, seq: number, index: number, name: string, printed: string, prior: LogRow[] = []): JournalEntry {
  const doc = parseRunbook(text);
  const cell = doc.cells[index] as CodeCell;
  assert.equal(cell.kind, 'code');
  const outputs = out(name, printed);
  const rows = [...(doc.log?.rows ?? []), ...prior];
  const row = appendRow(rows, {
    time: '2026-11-23T05:13:04Z', operator: 'alice', target: 'local', cell: name, event: 'run', exit: 0, ms: 3,
    digest: digestOf(cell.source, printed), src: sourceDigest(cell.source), out: outputsDigest(outputs),
  });
  return { seq, cell: { index, language: cell.language, source: cell.source, outputs }, rows: [row] };
}

const codeTexts = (text: string) => parseRunbook(text).cells.map((c) => (c.kind === 'code' ? c.outputs.map((o) => o.text) : 'prose'));

const THREE = '```bash {name=one}\necho one\n```\n\n```bash {name=two}\necho two\n```\n\n```bash {name=three}\necho three\n```\n';

describe('journal merge: where the outputs go', () => {
  it('reports exactly which cells changed, shifted past a cell it re-created, and the record verifies', () => {
    const e1 = runEntry(THREE, 1, 0, 'one', 'one\n');
    const e2 = runEntry(THREE, 2, 1, 'two', 'two\n', e1.rows);
    const again = runEntry(THREE, 3, 1, 'two', 'two again\n', [...e1.rows, ...e2.rows]);
    // A cell added in the editor at index 1 and run, never saved: it comes back where it was.
    const ghostOutputs = out('probe', 'probe\n');
    const ghostRow = appendRow([...e1.rows, ...e2.rows, ...again.rows], {
      time: 't', operator: 'alice', target: 'local', cell: 'probe', event: 'run', exit: 0, ms: 1, digest: digestOf('echo probe', 'probe\n'),
      src: sourceDigest('echo probe'), out: outputsDigest(ghostOutputs),
    });
    const ghost: JournalEntry = { seq: 4, cell: { index: 1, language: 'shellscript', source: 'echo probe', outputs: ghostOutputs, attributes: { name: 'probe' } }, rows: [ghostRow] };
    const doc = parseRunbook(THREE);
    const result = mergeJournal(doc, [ghost, again, e2, e1]);
    assert.deepEqual(result, { applied: 4, changedCells: [0, 2, 1], inserted: true });
    const saved = serializeRunbook(doc);
    assert.deepEqual(codeTexts(saved), [['one\n'], ['probe\n'], ['two again\n'], []]);
    assert.deepEqual(verifyRecord(saved).problems, []);
  });

  it('re-creates a deleted cell at its index, or at the end when the record is shorter now', () => {
    for (const [index, at] of [[2, 2], [1, 1], [9, 3]] as const) {
      const outputs = out('gone', 'gone\n');
      const row = appendRow([], { time: 't', operator: 'alice', target: 'local', cell: 'gone', event: 'run', exit: 0, ms: 1, digest: digestOf('echo gone', 'gone\n'), out: outputsDigest(outputs) });
      const ghost: JournalEntry = { seq: 1, cell: { index, language: 'shellscript', source: 'echo gone', outputs }, rows: [row] };
      const doc = parseRunbook(THREE);
      assert.deepEqual(mergeJournal(doc, [ghost]), { applied: 1, changedCells: [at], inserted: true }, `index ${index}`);
      assert.equal((doc.cells[at] as CodeCell).source, 'echo gone');
      assert.equal(doc.cells.length, 4);
    }
  });

  it('finds the cell that ran after it moved, choosing the nearest of two cells with the same text', () => {
    // `uptime` before and after the change (steps 3 and 6); the saved record has a paragraph above them all now.
    const step = (s: string) => `\`\`\`bash {name=${s}}\necho ${s}\n\`\`\`\n\n`;
    const steps = step('w') + step('x') + '```bash {name=a}\nuptime\n```\n\n' + step('y') + step('z') + '```bash {name=b}\nuptime\n```\n';
    const moved = 'A paragraph added above.\n\n' + steps;
    assert.deepEqual(parseRunbook(moved).cells.map((c) => c.kind), ['markdown', 'code', 'code', 'code', 'code', 'code', 'code']);
    const second = runEntry(steps, 1, 5, 'b', 'up 2 days\n');
    const doc = parseRunbook(moved);
    assert.deepEqual(mergeJournal(doc, [second]).changedCells, [6]);
    assert.deepEqual(codeTexts(serializeRunbook(doc)), ['prose', [], [], [], [], [], ['up 2 days\n']]);
    const first = runEntry(steps, 1, 2, 'a', 'up 3 days\n');
    const doc2 = parseRunbook(moved);
    assert.deepEqual(mergeJournal(doc2, [first]).changedCells, [3]);
    assert.deepEqual(codeTexts(serializeRunbook(doc2)), ['prose', [], [], ['up 3 days\n'], [], [], []]);
  });

  it('puts outputs only on a code cell of the language that ran, never on prose or another language with the same text', () => {
    const md = 'SELECT 1;\n\n```bash {name=sh}\nSELECT 1;\n```\n\n```sql {name=q}\nSELECT 1;\n```\n';
    const doc = parseRunbook(md);
    assert.deepEqual(doc.cells.map((c) => c.kind), ['markdown', 'code', 'code']);
    assert.equal(doc.cells[0]!.source, 'SELECT 1;');
    // The sql cell ran when it was the first cell; prose and a bash cell with the same text came above it since.
    const ran = runEntry('```sql {name=q}\nSELECT 1;\n```\n', 1, 0, 'q', '1\n');
    assert.deepEqual(mergeJournal(doc, [ran]).changedCells, [2]);
    assert.deepEqual(codeTexts(serializeRunbook(doc)), ['prose', [], ['1\n']]);
  });
});

describe('journal merge: what is already in the record', () => {
  it('applies a run whose row number the saved record used for something else (a note written by the CLI meanwhile)', () => {
    const e1 = runEntry(THREE, 1, 0, 'one', 'one\n');
    const doc = parseRunbook(THREE);
    doc.log = { raw: '', rows: [], parsedCount: 0 };
    appendRow(doc.log.rows, { time: 't', operator: 'bob', target: '', cell: '', event: 'note:note', exit: null, ms: null, digest: digestOf('note:note', 'paged'), detail: 'paged' });
    const withNote = serializeRunbook(doc);
    const merged = parseRunbook(withNote);
    assert.deepEqual(mergeJournal(merged, [e1]), { applied: 1, changedCells: [0], inserted: false });
    const saved = serializeRunbook(merged);
    assert.deepEqual(parseRunbook(saved).log!.rows.map((r) => [r.n, r.event]), [[1, 'note:note'], [2, 'run']]);
    assert.deepEqual(verifyRecord(saved).problems, []);
    // Merging again changes nothing.
    const twice = parseRunbook(saved);
    assert.equal(mergeJournal(twice, [e1]).applied, 0);
    assert.equal(serializeRunbook(twice), saved);
  });

  it('re-chains a run numbered right after the last row but chained on another one (the record was overwritten by another copy)', () => {
    const e1 = runEntry(THREE, 1, 0, 'one', 'one\n');
    const e2 = runEntry(THREE, 2, 1, 'two', 'two\n', e1.rows);
    // The file on disk holds, as row 1, another copy's run of `one`; only e2 (row 2, chained on our row 1) is left.
    const other = runEntry(THREE, 1, 0, 'one', 'one (other copy)\n');
    const disk = parseRunbook(THREE);
    mergeJournal(disk, [other]);
    const doc = parseRunbook(serializeRunbook(disk));
    assert.deepEqual(mergeJournal(doc, [e2]), { applied: 1, changedCells: [1], inserted: false });
    const saved = serializeRunbook(doc);
    assert.deepEqual(verifyRecord(saved).problems, []);
    assert.deepEqual(parseRunbook(saved).log!.rows.map((r) => [r.n, r.cell]), [[1, 'one'], [2, 'two']]);
  });

  it('renumbers a journal row chained on the last row but numbered past it', () => {
    const e1 = runEntry(THREE, 1, 0, 'one', 'one\n');
    const row = e1.rows[0]!;
    const skipped: LogRow = { ...row, n: 3, chain: '' };
    skipped.chain = chainOf(GENESIS, skipped);
    const doc = parseRunbook(THREE);
    mergeJournal(doc, [{ ...e1, rows: [skipped] }]);
    assert.deepEqual(doc.log!.rows.map((r) => r.n), [1]);
    assert.deepEqual(verifyRecord(serializeRunbook(doc)).problems, []);
  });

  it('an entry without rows (outputs only) is applied only while the cell shows other outputs, and never re-creates a cell', () => {
    const entry = (outputs: CellOutput[], source = 'echo one'): JournalEntry => ({ seq: 1, cell: { index: 0, language: 'shellscript', source, outputs }, rows: [] });
    const shown = out('one', 'one\n');
    const doc = parseRunbook(THREE);
    (doc.cells[0] as CodeCell).outputs = shown;
    const before = serializeRunbook(doc);
    assert.equal(mergeJournal(doc, [entry(out('one', 'one\n'))]).applied, 0, 'same text and metadata');
    assert.equal(mergeJournal(doc, [entry(out('one', 'one\n'), 'echo edited')]).applied, 0, 'the cell is gone');
    assert.equal(mergeJournal(doc, [{ seq: 2, rows: [] }]).applied, 0, 'nothing to apply');
    assert.equal(serializeRunbook(doc), before);
    assert.equal(doc.log, undefined, 'no empty log section is added');
    assert.deepEqual(mergeJournal(doc, [entry(out('one', 'one\n', 1))]), { applied: 1, changedCells: [0], inserted: false }, 'other metadata');
    assert.deepEqual(mergeJournal(doc, [entry(out('one', 'uno\n'))]), { applied: 1, changedCells: [0], inserted: false }, 'other text');
    assert.deepEqual((doc.cells[0] as CodeCell).outputs.map((o) => o.text), ['uno\n']);
    assert.equal(doc.log, undefined);
    assert.ok(!serializeRunbook(doc).includes('runbook:log'));
  });
});

describe('journal file lines', () => {
  it('ignores blank, torn and foreign lines and keeps every entry', () => {
    const e = (seq: number): JournalEntry => ({ seq, rows: [] });
    const text = [
      encodeEntry(e(1)), '\n', '   \n', '{"seq":"2","rows":[]}\n', '{"seq":3}\n', '{"rows":[]}\n', '42\n', 'null\n', '"x"\n', '[]\n',
      encodeEntry(e(4)).replace('\n', '\r\n'), encodeEntry(e(5)).slice(0, 9),
    ].join('');
    assert.deepEqual(decodeJournal(text), [e(1), e(4)]);
  });
});
