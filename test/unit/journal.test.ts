// The run journal of an incident record (issue 17): what ran is fsynced beside the record before the cell
// ends; a save drops the entries it covers; the next open merges what a crash kept from a save.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, writeFileSync, appendFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { execFileSync } from 'node:child_process';
import { parseRunbook, serializeRunbook, type CellOutput, type CodeCell, type LogRow } from '../../src/core/format/index.js';
import { appendRow, digestOf, verifyChain } from '../../src/core/log/chain.js';
import { decodeJournal, encodeEntry, journalPathOf, mergeJournal, type JournalEntry } from '../../src/core/log/journal.js';
import { JournalFile } from '../../src/core/log/journalFile.js';
import { generateRunbook } from '../../bench/generateRunbook.js';
import { repoRoot } from './helpers.js';

const RECORD = `---
title: t
incident: { id: X-1, severity: P0, status: open, started: 2026-11-23T05:12:00Z, commander: alice }
---
# Steps

\`\`\`bash {name=one}
echo one
\`\`\`

\`\`\`bash {name=two}
echo two
\`\`\`
`;

/** What running `name` in `doc` would journal (the kernel does the same with the live notebook). */
function runEntry(text: string, seq: number, name: string, out: string, prior: LogRow[] = []): JournalEntry {
  const doc = parseRunbook(text);
  const index = doc.cells.findIndex((c) => c.kind === 'code' && c.attributes.name === name);
  const cell = doc.cells[index] as CodeCell;
  const outputs: CellOutput[] = [{ meta: { cell: name, host: 'local', user: 'alice', started: '2026-11-23T05:13:04Z', ms: 3, exit: 0 }, text: out }];
  const rows = [...(doc.log?.rows ?? []), ...prior];
  const row = appendRow(rows, { time: '2026-11-23T05:13:04Z', operator: 'alice', target: 'local', cell: name, event: 'run', exit: 0, ms: 3, digest: digestOf(cell.source, out) });
  return { seq, cell: { index, language: cell.language, source: cell.source, outputs }, rows: [row] };
}

describe('run journal: merge', () => {
  it('puts back the outputs and chained log rows of runs a crash kept from the save; the result verifies', () => {
    const e1 = runEntry(RECORD, 1, 'one', 'one\n');
    const e2 = runEntry(RECORD, 2, 'two', 'two\n', e1.rows);
    const doc = parseRunbook(RECORD);
    const result = mergeJournal(doc, [e2, e1]);
    assert.equal(result.applied, 2);
    assert.equal(result.inserted, false);
    const saved = serializeRunbook(doc);
    const back = parseRunbook(saved);
    const code = back.cells.filter((c): c is CodeCell => c.kind === 'code');
    assert.deepEqual(code.map((c) => c.outputs.map((o) => o.text)), [['one\n'], ['two\n']]);
    assert.deepEqual(back.log?.rows.map((r) => r.cell), ['one', 'two']);
    assert.deepEqual(verifyChain(back.log!.rows), { ok: true });
    // The CLI agrees.
    const dir = mkdtempSync(join(tmpdir(), 'journal-'));
    writeFileSync(join(dir, 'r.runbook.md'), saved);
    const verify = execFileSync(process.execPath, ['--import', 'tsx', join(repoRoot, 'src/cli/main.ts'), 'verify', join(dir, 'r.runbook.md')], { encoding: 'utf8' });
    assert.match(verify, /ok \(2 rows/);
  });

  it('is idempotent: entries already saved in the record are skipped', () => {
    const e1 = runEntry(RECORD, 1, 'one', 'one\n');
    const doc = parseRunbook(RECORD);
    mergeJournal(doc, [e1]);
    const saved = serializeRunbook(doc);
    const again = parseRunbook(saved);
    assert.equal(mergeJournal(again, [e1]).applied, 0);
    assert.equal(serializeRunbook(again), saved);
  });

  it('re-chains rows when the log moved on, and re-creates a cell that is no longer in the record', () => {
    const e1 = runEntry(RECORD, 1, 'one', 'one\n');
    const ghost: JournalEntry = {
      seq: 2,
      cell: { index: 1, language: 'shellscript', source: 'echo never-saved', outputs: [{ meta: { cell: 'x', exit: 0 }, text: 'never-saved\n' }] },
      rows: [{ ...e1.rows[0]!, n: 7, chain: '0123456789abcdef', cell: 'x' }],
    };
    const doc = parseRunbook(RECORD);
    const result = mergeJournal(doc, [e1, ghost]);
    assert.equal(result.applied, 2);
    assert.equal(result.inserted, true);
    const back = parseRunbook(serializeRunbook(doc));
    assert.ok(back.cells.some((c) => c.kind === 'code' && c.source === 'echo never-saved' && c.outputs[0]?.text === 'never-saved\n'));
    assert.deepEqual(back.log?.rows.map((r) => r.n), [1, 2]);
    assert.deepEqual(verifyChain(back.log!.rows), { ok: true });
  });

  it('reads entries past a torn last line (killed mid-write)', () => {
    const e1 = runEntry(RECORD, 1, 'one', 'one\n');
    const text = encodeEntry(e1) + encodeEntry({ ...e1, seq: 2 }).slice(0, 40);
    assert.deepEqual(decodeJournal(text).map((e) => e.seq), [1]);
  });

  it('keeps a big generated record intact: merging one run into it only adds that run', () => {
    const big = generateRunbook({ cells: 200, targetBytes: 600_000 }).text;
    const doc = parseRunbook(big);
    const first = doc.cells.findIndex((c) => c.kind === 'code' && c.language === 'shellscript');
    const cell = doc.cells[first] as CodeCell;
    const rows = [...doc.log!.rows];
    const row = appendRow(rows, { time: 't', operator: 'a', target: 'local', cell: 'step-1', event: 'run', exit: 0, ms: 1, digest: digestOf(cell.source, 'hi\n') });
    mergeJournal(doc, [{ seq: 1, cell: { index: first, language: cell.language, source: cell.source, outputs: [{ meta: { exit: 0 }, text: 'hi\n' }] }, rows: [row] }]);
    const back = parseRunbook(serializeRunbook(doc));
    assert.equal(back.log!.rows.length, rows.length);
    assert.deepEqual(back.log!.rows.at(-1), row);
    assert.deepEqual((back.cells[first] as CodeCell).outputs.map((o) => o.text), ['hi\n']);
    assert.equal(back.cells.length, parseRunbook(big).cells.length);
  });
});

describe('run journal: file', () => {
  it('appends entries (on disk when append returns, fsynced after), drops those a save covered, and removes the file when none is left', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'journal-'));
    const record = join(dir, 'r.runbook.md');
    writeFileSync(record, RECORD);
    const j = new JournalFile(record);
    assert.equal(j.file, join(dir, '.r.runbook.md.journal'));
    assert.equal(journalPathOf(record), j.file);
    assert.deepEqual(await j.read(), []);
    j.markMerged();
    const s1 = j.append({ rows: [] });
    assert.deepEqual(decodeJournal(readFileSync(j.file, 'utf8')).map((e) => e.seq), [s1], 'written before append returns');
    const s2 = j.append({ rows: [] });
    await j.durable();
    assert.deepEqual(decodeJournal(readFileSync(j.file, 'utf8')).map((e) => e.seq), [s1, s2]);
    // Entry 1 is in the model, entry 2 not yet: a save now covers only entry 1.
    j.applied(s1);
    assert.equal(j.mark(), s1);
    await j.compact(j.mark());
    assert.deepEqual(decodeJournal(readFileSync(j.file, 'utf8')).map((e) => e.seq), [s2]);
    j.applied(s2);
    await j.compact(j.mark());
    assert.equal(existsSync(j.file), false);
  });

  it('never drops entries left by a crash before they were merged back', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'journal-'));
    const record = join(dir, 'r.runbook.md');
    appendFileSync(journalPathOf(record), encodeEntry({ seq: 4, rows: [] }));
    const j = new JournalFile(record);
    assert.deepEqual((await j.read()).map((e) => e.seq), [4]);
    await j.compact(10);
    assert.deepEqual(decodeJournal(readFileSync(j.file, 'utf8')).map((e) => e.seq), [4]);
    // New entries continue after the old ones.
    assert.equal(await j.append({ rows: [] }), 5);
    j.markMerged();
    j.applied(5);
    await j.compact(j.mark());
    assert.equal(existsSync(j.file), false);
  });
});
