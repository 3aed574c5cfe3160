// `runbook verify` (DESIGN §1) names exactly where a record was edited, and catches every way of editing
// it: rows edited, removed, reordered, forged or pasted into the log; outputs and sources changed; a cell
// deleted; the log moved or doubled; the log of an incident record deleted. Records are built in-process
// the way the runner writes them (outputs stamped, rows with source and output digests), then tampered
// with as a person with a text editor would; expected lines are counted in the text, not by verify's code.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  LOG_CLOSE, LOG_OPEN, renderLogRow, renderLogRowV1, V1_HEADER, V1_SEPARATOR, V2_HEADER, V2_SEPARATOR,
} from '../../src/core/format/executionLogSection.js';
import { parseRunbook, serializeRunbook, type CellOutput, type CodeCell, type LogRow } from '../../src/core/format/index.js';
import { appendRow, digestOf } from '../../src/core/log/chain.js';
import { outputsDigest, sourceDigest } from '../../src/core/log/recordDigests.js';
import { verifyRecord } from '../../src/core/log/verifyRecord.js';
import { codeCellNames } from '../../src/core/contract/cellName.js';

type Run = { cell: string; text: string } | { note: string };

/** The record `md` becomes after these runs and notes (what `runbook run` and `incident note` write). */
function recordOf(md: string, runs: Run[], tail = ''): string {
  const doc = parseRunbook(md);
  const code = doc.cells.filter((c): c is CodeCell => c.kind === 'code');
  const names = codeCellNames(doc.cells);
  doc.log ??= { raw: '', rows: [], parsedCount: 0 };
  let minute = 10;
  for (const run of runs) {
    const time = `2026-11-23T05:${minute++}:00.000Z`;
    if ('note' in run) {
      appendRow(doc.log.rows, { time, operator: 'alice', target: '', cell: '', event: 'note:note', exit: null, ms: null, digest: digestOf('note:note', run.note), detail: run.note });
      continue;
    }
    const cell = code[names.indexOf(run.cell)]!;
    const outputs: CellOutput[] = [{ meta: { cell: run.cell, host: 'local', user: 'alice', started: time, ms: 4, exit: 0 }, text: run.text }];
    cell.outputs = outputs;
    appendRow(doc.log.rows, {
      time, operator: 'alice', target: 'local', cell: run.cell, event: 'run', exit: 0, ms: 4,
      digest: digestOf(cell.source, run.text), src: sourceDigest(cell.source), out: outputsDigest(outputs),
    });
  }
  return serializeRunbook(doc) + tail;
}

const MD = `---
title: disk full on db-1
---
# Disk full

Check first.

\`\`\`bash {name=df}
df -h /
\`\`\`

\`\`\`bash {name=du}
du -sh /var/log
\`\`\`
`;

const lines = (text: string) => text.split('\n');
/** 1-based line of the first line starting with `prefix`. */
function lineStarting(text: string, prefix: string): number {
  const i = lines(text).findIndex((l) => l.startsWith(prefix));
  assert.notEqual(i, -1, `no line starts with ${prefix}`);
  return i + 1;
}
function replaceLine(text: string, line: number, by: string[]): string {
  const all = lines(text);
  all.splice(line - 1, 1, ...by);
  return all.join('\n');
}

describe('verify names the exact line, row and cell of an edit', () => {
  // A seal block and blank lines may follow the log: line numbers must not count them.
  const SEAL = '\n<!-- runbook:seal {"principal":"alice@example.com"} -->\n-----BEGIN SSH SIGNATURE-----\nU1NIU0lHAAAAAQAAADMAAAALc3NoLWVkMjU1MTkAAAAg\n'
    + '-----END SSH SIGNATURE-----\n<!-- /runbook:seal -->\n\n';
  const record = recordOf(MD, [{ cell: 'df', text: '/dev/sda1 100%\n' }, { note: 'disk is full' }, { cell: 'du', text: '9G\n' }], SEAL);

  it('passes the untouched record and says what it proved', () => {
    assert.equal(parseRunbook(record).tail, SEAL, 'the seal follows the log');
    assert.deepEqual(verifyRecord(record), { ok: true, problems: [], rows: 3, summary: 'ok (3 rows, chain intact, outputs and sources match)' });
  });

  it('names the line of an edited row (a visible column changed by hand)', () => {
    const at = lineStarting(record, '| 2 |');
    const text = replaceLine(record, at, [lines(record)[at - 1]!.replace('disk is full', 'disk was fine')]);
    const check = verifyRecord(text);
    assert.equal(check.problems[0], `line ${at}: row 2 was edited (it is not written the way its data says)`);
    assert.equal(check.summary, check.problems[0]);
    assert.equal(check.ok, false);
  });

  it('names the cell and row of a command edited after it ran, and of an output edited or removed', () => {
    assert.deepEqual(verifyRecord(record.replace('df -h /\n', 'df -h /tmp\n')).problems, ['cell "df": source differs from what ran (row 1)']);
    assert.deepEqual(verifyRecord(record.replace('\n9G\n', '\n2G\n')).problems,
      ['cell "du": outputs differ from what row 3 recorded (text or metadata edited, or later rows removed)']);
    const block = record.slice(record.indexOf('<!-- runbook:output {"cell":"du"'), record.indexOf('<!-- /runbook:output -->', record.indexOf('{"cell":"du"')) + 24);
    assert.deepEqual(verifyRecord(record.replace(block, '')).problems, ['cell "du": outputs of row 3 were removed']);
  });

  it('names the line of prose typed into the log, quoting at most 80 characters of it', () => {
    const at = lineStarting(record, '| 3 |');
    const prose = `Fixed by hand: ${'x'.repeat(100)}`;
    const check = verifyRecord(replaceLine(record, at, [prose, lines(record)[at - 1]!]));
    assert.deepEqual(check.problems, [`line ${at}: not a log row: ${JSON.stringify(prose.slice(0, 80))}`]);
  });

  it('names a row forged with the writer itself by its number (chain broken at row 11, not 1)', () => {
    const runs: Run[] = Array.from({ length: 12 }, (_, i) => ({ note: `step ${i + 1}` }));
    const long = recordOf(MD, runs);
    const row11 = parseRunbook(long).log!.rows[10]!;
    const forged = renderLogRow({ ...row11, detail: 'step 11 (all good)' });
    const check = verifyRecord(replaceLine(long, lineStarting(long, '| 11 |'), [forged]));
    assert.deepEqual(check.problems, ['row 11: chain mismatch (the row or one before it was edited)']);
    assert.equal(check.summary, 'row 11: chain mismatch (the row or one before it was edited)');
  });

  it('names where rows were removed or reordered', () => {
    const removed = replaceLine(record, lineStarting(record, '| 2 |'), []);
    assert.deepEqual(verifyRecord(removed).problems, ['row 3: it is in place 2 of the log: rows were removed or reordered']);
    const at = lineStarting(record, '| 2 |');
    const swapped = lines(record);
    [swapped[at - 1], swapped[at]] = [swapped[at]!, swapped[at - 1]!];
    assert.deepEqual(verifyRecord(swapped.join('\n')).problems, ['row 3: it is in place 2 of the log: rows were removed or reordered']);
    // A row written with the writer itself and slipped in as row 2: the first row that does not chain is named.
    const row2 = parseRunbook(record).log!.rows[1]!;
    const inserted = replaceLine(record, at, [renderLogRow({ ...row2, detail: 'all clear' }), lines(record)[at - 1]!]);
    assert.deepEqual(verifyRecord(inserted).problems, ['row 2: chain mismatch (the row or one before it was edited)']);
  });

  it('names the line of a log marker in the prose, whether the log is at the end or not', () => {
    // A pasted copy of the log section higher up: its open marker is the line named.
    const pasted = `${LOG_OPEN}\n## Execution log\n${LOG_CLOSE}\n`;
    const at = lineStarting(record, 'Check first.');
    const second = replaceLine(record, at, ['Check first.', '', 'Old log:', pasted]);
    // (The heading starts a new prose cell; each names its own marker.)
    assert.deepEqual(verifyRecord(second).problems, [at + 3, at + 5].map((l) => `line ${l}: a second execution log section (only the one at the end of the record is the log)`));
    // A paragraph typed after the log: there is no log at the end any more.
    const after = record.trimEnd() + '\n\nLater: disk cleaned.\n';
    const check = verifyRecord(after);
    assert.deepEqual(check.problems.slice(0, 1),
      [`line ${lineStarting(after, LOG_OPEN)}: an execution log section that is not at the end of the record (only blank lines or a seal may follow it)`]);
  });

  it('catches a marker indented or written without spaces, but not one quoted inside a line or printed by a command', () => {
    const at = lineStarting(record, 'Check first.');
    for (const marker of ['   <!--  /runbook:log -->', '<!--runbook:log-->']) {
      const text = replaceLine(record, at, ['Check first.', marker]);
      assert.deepEqual(verifyRecord(text).problems, [`line ${at + 1}: a second execution log section (only the one at the end of the record is the log)`], marker);
    }
    const quoted = replaceLine(record, at, ['Check first; the log starts at `<!-- runbook:log -->`.']);
    assert.deepEqual(verifyRecord(quoted).problems, []);
    const heredoc = "```bash {name=show}\ncat <<'EOF'\n<!-- runbook:log -->\nEOF\n```\n";
    assert.deepEqual(verifyRecord(recordOf(MD + '\n' + heredoc, [{ cell: 'show', text: 'x\n' }])).problems, []);
  });

  it('names an old-format row moved below the new-format rows, and a second table pasted into the log', () => {
    const old: LogRow[] = [];
    appendRow(old, { time: '2026-11-23T05:13:04Z', operator: 'alice', target: '', cell: '', event: 'note:note', exit: null, ms: null, digest: digestOf('note:note', 'a') });
    const doc = parseRunbook(MD);
    doc.log = { raw: '', rows: [...old], parsedCount: 0 };
    const v2 = serializeRunbook(doc);
    const v1Line = renderLogRowV1(old[0]!);
    // The same row in the old format, under the new rows (below its new-format rendering).
    const at = lineStarting(v2, '| 1 |');
    const mixed = replaceLine(v2, at, [lines(v2)[at - 1]!, v1Line]);
    assert.ok(verifyRecord(mixed).problems.includes(`line ${at + 1}: an old-format row after new-format rows`), verifyRecord(mixed).problems.join(' | '));
    // Two tables of each format.
    const header = lineStarting(v2, V2_HEADER);
    const tables = replaceLine(v2, header, [V1_HEADER, V1_SEPARATOR, V1_HEADER, V1_SEPARATOR, V2_HEADER, V2_SEPARATOR, V2_HEADER]);
    assert.deepEqual(verifyRecord(tables).problems, ['the execution log has more than one table of each format']);
    // One table of each format is a record in the old format with new rows appended: fine.
    const both = replaceLine(v2, header, [V1_HEADER, V1_SEPARATOR, '', V2_HEADER]);
    assert.deepEqual(verifyRecord(both).problems, []);
  });
});

describe('verify without a log', () => {
  it('passes a runbook that never ran and says so', () => {
    assert.deepEqual(verifyRecord(MD), { ok: true, problems: [], rows: 0, summary: 'no execution log (nothing ran)' });
  });

  it('names the one cell with outputs when the log was deleted', () => {
    const ran = recordOf(MD, [{ cell: 'du', text: '9G\n' }]);
    const check = verifyRecord(ran.slice(0, ran.indexOf(LOG_OPEN)));
    assert.deepEqual(check, { ok: false, problems: ['no execution log, but cell "du" has outputs'], rows: 0, summary: 'no execution log, but cell "du" has outputs' });
  });

  it('fails an incident record without a log, even when its incident block does not parse, but not a runbook that mentions one', () => {
    for (const fm of ['incident: { id: X-1, severity: P1, status: open }', 'incident:', 'incident :', 'incident: { id: X-1']) {
      assert.deepEqual(verifyRecord(`---\n${fm}\n---\n# x\n`).problems, ['no execution log in an incident record'], fm);
    }
    assert.deepEqual(verifyRecord('---\nrelated_incident: X-0\ntitle: "incident: none"\n---\n# x\n').problems, []);
  });
});

describe('verify matches cells against the latest run of their name', () => {
  it('fails outputs pasted back from an earlier run of the cell', () => {
    const first = recordOf(MD, [{ cell: 'df', text: '/dev/sda1 100%\n' }]);
    const firstBlock = first.slice(first.indexOf('<!-- runbook:output'), first.indexOf('<!-- /runbook:output -->'));
    const record = recordOf(MD, [{ cell: 'df', text: '/dev/sda1 100%\n' }, { cell: 'df', text: '/dev/sda1 40%\n' }]);
    const now = record.slice(record.indexOf('<!-- runbook:output'), record.indexOf('<!-- /runbook:output -->'));
    assert.deepEqual(verifyRecord(record.replace(now, firstBlock)).problems,
      ['cell "df": outputs differ from what row 2 recorded (text or metadata edited, or later rows removed)']);
  });

  it('names a cell deleted after it ran, with its latest row', () => {
    const record = recordOf(MD, [{ cell: 'du', text: '1G\n' }, { cell: 'df', text: '/dev/sda1 100%\n' }, { cell: 'du', text: '9G\n' }]);
    const start = record.indexOf('```bash {name=du}');
    const end = record.indexOf('<!-- /runbook:output -->', start) + '<!-- /runbook:output -->'.length;
    assert.deepEqual(verifyRecord(record.slice(0, start) + record.slice(end)).problems, ['cell "du": ran (row 3) but is no longer in the record']);
  });

  it('accepts cells sharing a name when each shows one of the latest runs of it, and names one with outputs but no run', () => {
    const twins = `# t\n\n\`\`\`bash {name=check}\nuptime\n\`\`\`\n\n\`\`\`bash {name=check}\nfree -m\n\`\`\`\n`;
    const doc = parseRunbook(twins);
    const [a, b] = doc.cells.filter((c): c is CodeCell => c.kind === 'code') as [CodeCell, CodeCell];
    const rows: LogRow[] = [];
    for (const [cell, text] of [[a, 'up 3 days\n'], [b, 'Mem: 100\n']] as const) {
      cell.outputs = [{ meta: { cell: 'check', exit: 0 }, text }];
      appendRow(rows, { time: 't', operator: 'o', target: 'local', cell: 'check', event: 'run', exit: 0, ms: 1, digest: digestOf(cell.source, text), src: sourceDigest(cell.source), out: outputsDigest(cell.outputs) });
    }
    doc.log = { raw: '', rows, parsedCount: 0 };
    assert.deepEqual(verifyRecord(serializeRunbook(doc)).problems, []);
    // Neither ran (the log holds only a note), one shows outputs.
    a.outputs = [];
    doc.log = { raw: '', rows: [], parsedCount: 0 };
    appendRow(doc.log.rows, { time: 't', operator: 'o', target: '', cell: '', event: 'note:note', exit: null, ms: null, digest: digestOf('n', '') });
    assert.deepEqual(verifyRecord(serializeRunbook(doc)).problems, ['cell "check": has outputs but no run of it is in the log']);
  });

  it('matches an unnamed cell by the cell-N name a record written before heading names logged it under', () => {
    const md = '# t\n\n## Check disk\n\n```bash\ndf -h\n```\n';
    const doc = parseRunbook(md);
    const cell = doc.cells.find((c): c is CodeCell => c.kind === 'code')!;
    cell.outputs = [{ meta: { cell: 'cell-1', exit: 0 }, text: 'ok\n' }];
    const rows: LogRow[] = [];
    appendRow(rows, { time: 't', operator: 'o', target: 'local', cell: 'cell-1', event: 'run', exit: 0, ms: 1, digest: digestOf('df -h', 'ok\n'), src: sourceDigest('df -h'), out: outputsDigest(cell.outputs) });
    doc.log = { raw: '', rows, parsedCount: 0 };
    const text = serializeRunbook(doc);
    assert.deepEqual(verifyRecord(text).problems, []);
    assert.deepEqual(verifyRecord(text.replace('\nok\n', '\nko\n')).problems, [
      'cell "cell-1": outputs differ from what row 1 recorded (text or metadata edited, or later rows removed)',
    ]);
  });
});

describe('verify of old-format records', () => {
  /** A format-1 record: cell `a` (source `echo a`) showing `blocks`, one row per event with `digest`. */
  function v1Record(blocks: string[], rows: { event: string; digest: string; exit?: number | null }[]): string {
    const log: LogRow[] = [];
    for (const r of rows) appendRow(log, { time: '2026-11-23T05:13:04Z', operator: 'alice', target: 'local', cell: 'a', event: r.event, exit: r.exit ?? 0, ms: 5, digest: r.digest });
    const outputs = blocks.flatMap((b, i) => [`<!-- runbook:output {"cell":"a","n":${i}} -->`, '```text', b, '```', '<!-- /runbook:output -->', '']);
    return ['# t', '', '```bash {name=a}', 'echo a', '```', '', ...outputs, LOG_OPEN, '## Execution log', '', V1_HEADER, V1_SEPARATOR,
      ...log.map(renderLogRowV1), LOG_CLOSE, ''].join('\n');
  }

  it('takes cancel, timeout and error rows as runs of the cell', () => {
    for (const event of ['cancel', 'timeout', 'error']) {
      const text = v1Record(['partial'], [{ event: 'run', digest: digestOf('echo a', 'earlier\n') }, { event, digest: digestOf('echo a', 'partial\n'), exit: null }]);
      assert.deepEqual(verifyRecord(text).problems, [], event);
    }
  });

  it('matches text printed with or without a final newline, over several blocks, and nothing else', () => {
    // What ran printed "x\ny" (no final newline) then "z\n"; the reader gives back "x\ny\n" and "z\n".
    assert.deepEqual(verifyRecord(v1Record(['x\ny', 'z'], [{ event: 'run', digest: digestOf('echo a', 'x\nyz') }])).problems, []);
    assert.deepEqual(verifyRecord(v1Record(['x\ny', 'z'], [{ event: 'run', digest: digestOf('echo a', 'x\ny\nz\n') }])).problems, []);
    assert.deepEqual(verifyRecord(v1Record(['x\ny'], [{ event: 'run', digest: digestOf('echo a', 'x\ny\n') }])).problems, []);
    assert.deepEqual(verifyRecord(v1Record(['x\ny', 'z'], [{ event: 'run', digest: digestOf('echo a', 'xy\nz') }])).problems,
      ['cell "a": source or output text differs from row 1 (an old-format row: its metadata is not covered)']);
  });
});
