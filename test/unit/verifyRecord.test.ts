// `runbook verify` proves the whole record: the log section holds only rows, rows chain, and every output
// and source of a cell that ran matches its latest run. Records are made by the real CLI running real bash
// and SQLite, then tampered with the way a person with a text editor would.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { renderLogRowV1, V1_HEADER, V1_SEPARATOR } from '../../src/core/format/executionLogSection.js';
import { parseRunbook, serializeRunbook, type LogRow } from '../../src/core/format/index.js';
import { appendRow, digestOf, type NewLogRow } from '../../src/core/log/chain.js';
import { verifyRecord } from '../../src/core/log/verifyRecord.js';
import { appendLogRows } from '../../src/core/run/documentRunner.js';
import { repoRoot } from './helpers.js';

function runbook(args: string[], cwd = repoRoot) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', join(repoRoot, 'src/cli/main.ts'), ...args], { encoding: 'utf8', cwd });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

const dir = mkdtempSync(join(tmpdir(), 'rb-verify-'));
const MARK = '<!-- /runbook:log -->';

const RUNBOOK = `---
connections:
  db: { driver: sqlite, path: ${join(dir, 'x.db')} }
---
# Check

\`\`\`bash {name=hello}
echo hello
echo "second line"
\`\`\`

\`\`\`bash {name=fails}
echo "it broke: ${MARK}" >&2
exit 3
\`\`\`

\`\`\`sql {name=bad-sql db=db}
SELECT 1 FROM "${MARK}";
\`\`\`
`;

let record = '';

function expectFail(text: string, pattern: RegExp): void {
  const check = verifyRecord(text);
  assert.equal(check.ok, false, `expected a failure matching ${pattern}`);
  assert.ok(check.problems.some((p) => pattern.test(p)), `problems: ${check.problems.join(' | ')}`);
}

describe('runbook verify proves the whole record', () => {
  before(() => {
    writeFileSync(join(dir, 'check.runbook.md'), RUNBOOK);
    assert.equal(spawnSync('sqlite3', [join(dir, 'x.db'), 'CREATE TABLE t(x);']).status, 0, 'sqlite3 is installed');
    const r = runbook(['run', join(dir, 'check.runbook.md'), '--all', '--continue-on-error', '--out', join(dir, 'rec.md')]);
    assert.ok(r.code === 0 || r.code === 1, r.err);
    const note = runbook(['incident', 'note', join(dir, 'rec.md'), '--kind', 'decision', `rollback ${MARK} | now`]);
    assert.equal(note.code, 0, note.err + note.out);
    record = readFileSync(join(dir, 'rec.md'), 'utf8');
  });

  it('passes an untouched record whose rows hold log markers, pipes and SQL errors', () => {
    const check = verifyRecord(record);
    assert.deepEqual(check.problems, []);
    assert.equal(check.ok, true);
    assert.ok(check.rows >= 4);
    const doc = parseRunbook(record);
    assert.ok(doc.log!.rows.some((r) => r.detail?.includes(MARK) && r.event === 'note:decision'), 'the note with a marker is a row');
    assert.ok(doc.log!.rows.some((r) => r.detail?.includes(`no such table: ${MARK}`)), 'the SQL error with a marker is a row');
    const r = runbook(['verify', join(dir, 'rec.md')]);
    assert.equal(r.code, 0, r.out);
    assert.match(r.out, /ok \(\d+ rows/);
  });

  it('keeps the log whole after a row holding a close marker, and the next run continues the chain', () => {
    const copy = join(dir, 'again.md');
    writeFileSync(copy, record);
    const r = runbook(['run', copy, '--cell', 'hello']);
    assert.equal(r.code, 0, r.err);
    const after = readFileSync(copy, 'utf8');
    assert.equal(parseRunbook(after).log!.rows.length, parseRunbook(record).log!.rows.length + 1);
    assert.deepEqual(verifyRecord(after).problems, []);
  });

  it('fails when an output text is edited, naming the cell', () => {
    expectFail(record.replace('\nsecond line\n', '\nsecund line\n'), /cell "hello": outputs differ/);
  });

  it('fails when a cell source is changed after it ran', () => {
    expectFail(record.replace('echo hello\n', 'echo hullo\n'), /cell "hello": source differs/);
  });

  it('fails when an output block is deleted', () => {
    const text = record.replace(/\n<!-- runbook:output \{"cell":"hello"[\s\S]*?<!-- \/runbook:output -->\n/, '\n');
    assert.notEqual(text, record);
    expectFail(text, /cell "hello": outputs of row \d+ were removed/);
  });

  it('fails when output metadata (exit, started) is changed', () => {
    expectFail(record.replace(/("cell":"fails"[^\n]*"exit":)3/, '$10'), /cell "fails": outputs differ/);
    expectFail(record.replace(/("cell":"hello"[^\n]*"started":"\d{4})/, '$1X'), /cell "hello": outputs differ/);
  });

  it('fails when the whole log is deleted from a record with outputs or an incident block', () => {
    const start = record.indexOf('<!-- runbook:log -->');
    const noLog = record.slice(0, start);
    expectFail(noLog, /no execution log, but cell "hello"/);
    const incident = `---\nincident: { id: X-1, severity: P1, status: open, started: 2026-11-23T05:12:00Z }\n---\n# x\n`;
    expectFail(incident, /no execution log in an incident record/);
    assert.equal(verifyRecord('# A runbook\n\n```bash\nls\n```\n').ok, true);
    writeFileSync(join(dir, 'nolog.md'), noLog);
    const r = runbook(['verify', join(dir, 'nolog.md')]);
    assert.equal(r.code, 1, r.out);
    assert.match(r.out, /nolog\.md: no execution log, but cell "hello", "fails", "bad-sql" have outputs/);
  });

  it('fails on any line in the log that is not a row: a row numbered 2a, prose, an edited visible column', () => {
    const lines = record.split('\n');
    const rowAt = lines.findIndex((l) => l.startsWith('| 2 |'));
    const numbered = [...lines];
    numbered[rowAt] = numbered[rowAt]!.replace('| 2 |', '| 2a |');
    expectFail(numbered.join('\n'), /not a log row/);
    const prose = [...lines];
    prose.splice(rowAt, 0, 'I fixed it by hand.');
    expectFail(prose.join('\n'), /not a log row: "I fixed it by hand\."/);
    const visible = [...lines];
    visible[rowAt] = visible[rowAt]!.replace('fails', 'passes');
    expectFail(visible.join('\n'), /row 2 was edited/);
  });

  it('fails on a second log section', () => {
    const start = record.indexOf('<!-- runbook:log -->');
    const fake = '<!-- runbook:log -->\n## Execution log\n<!-- /runbook:log -->\n\n';
    expectFail(record.slice(0, start) + fake + record.slice(start), /a second execution log section/);
  });

  it('detects rows removed from the end while an output of those runs is still in the record', () => {
    const doc = parseRunbook(record);
    const lines = record.split('\n');
    // Drop the last two rows (the sql run and the note): the bad-sql output is still there.
    const last = doc.log!.rows.length;
    const cut = lines.filter((l) => !l.startsWith(`| ${last} |`) && !l.startsWith(`| ${last - 1} |`));
    expectFail(cut.join('\n'), /cell "bad-sql": (has outputs but no run|outputs differ)/);
  });

  it('verifies rows whose operator and cell names contain newlines, pipes and markers', () => {
    const doc = parseRunbook('# t\n\n```bash {"name":"two\\nlines | <!-- /runbook:log -->"}\nls\n```\n');
    const row: NewLogRow = {
      time: '2026-11-23T05:13:04.000Z', operator: 'ali\nce`x`', target: 'a@b:22', cell: 'two\nlines | <!-- /runbook:log -->',
      event: 'confirm', exit: null, ms: null, digest: digestOf('ls', ''), detail: 'line one\r\nline two -->',
    };
    appendLogRows(doc, [row]);
    const text = serializeRunbook(doc);
    const rowLine = text.split('\n').find((l) => l.startsWith('| 1 |'))!;
    assert.doesNotMatch(rowLine.replace(/<!-- rb \{/, '').replace(/ --> \|$/, ''), /<!--|-->|\n/, 'nothing in the row can open or close a comment or section');
    const check = verifyRecord(text);
    assert.deepEqual(check.problems, []);
    const back = parseRunbook(text).log!.rows[0]!;
    assert.equal(back.operator, 'ali\nce`x`');
    assert.equal(back.detail, 'line one\r\nline two -->');
  });

  it('still verifies a record in the previous format, and a new row appended to it', () => {
    const rows: LogRow[] = [];
    appendRow(rows, { time: '2026-11-23T05:13:04Z', operator: 'alice', target: 'local', cell: 'a', event: 'run', exit: 0, ms: 5, digest: digestOf('echo a', 'a\n') });
    appendRow(rows, { time: '2026-11-23T05:14:04Z', operator: 'alice', target: '', cell: '', event: 'note:note', exit: null, ms: null, digest: digestOf('note:note', 'ok'), detail: 'ok \\| fine' });
    const old = ['# t', '', '```bash {name=a}', 'echo a', '```', '', '<!-- runbook:output {"cell":"a","exit":0} -->', '```text', 'a', '```',
      '<!-- /runbook:output -->', '', '<!-- runbook:log -->', '## Execution log', '', V1_HEADER, V1_SEPARATOR, ...rows.map(renderLogRowV1),
      '<!-- /runbook:log -->', ''].join('\n');
    assert.deepEqual(verifyRecord(old).problems, []);
    expectFail(old.replace('\na\n```', '\nb\n```'), /cell "a": source or output text differs from row 1 \(an old-format row/);
    const doc = parseRunbook(old);
    appendLogRows(doc, [{ time: '2026-11-23T05:15:00Z', operator: 'bob', target: '', cell: '', event: 'note:note', exit: null, ms: null, digest: digestOf('x', '') }]);
    const mixed = serializeRunbook(doc);
    assert.ok(mixed.startsWith(old.slice(0, old.indexOf('<!-- /runbook:log -->'))), 'old bytes kept');
    assert.deepEqual(verifyRecord(mixed).problems, []);
    assert.equal(serializeRunbook(parseRunbook(mixed)), mixed);
  });
});
