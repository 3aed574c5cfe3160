// Incident records (issue 6): start from a runbook, timeline notes, the clock, resolve with a post-incident
// report, HTML/PDF export and dry runs — all on the document model, checked against the samples.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { parseRunbook, serializeRunbook, type CodeCell, type RunbookDocument } from '../../src/core/format/index.js';
import { appendRow, digestOf, verifyChain, type NewLogRow } from '../../src/core/log/chain.js';
import {
  addNote, buildReport, checklistItems, dryRun, exportHtml, exportPdf, findChromium, findReportCells, formatDryRun,
  incidentClock, incidentPrefix, noteRow, resolveIncident, runbookTitle, setYamlIn, deleteYamlIn, startIncident,
} from '../../src/core/incident/index.js';
import { terminalText } from '../../src/core/incident/html.js';
import { appendLogRows } from '../../src/core/run/documentRunner.js';
import { filesIn, readText, samplesDir } from './helpers.js';
import { requirement } from '../harness/requirement.js';

const CVD = readText(join(samplesDir, 'cvd-incident-response.runbook.md'));
const START = new Date('2026-11-23T05:12:00Z');
const at = (min: number, s = 0) => new Date(START.getTime() + min * 60_000 + s * 1000);

function started(text = CVD, now = START): RunbookDocument {
  return parseRunbook(startIncident(parseRunbook(text), { severity: 'P0', operator: 'alice', now }).text);
}

function runRow(cell: string, min: number, exit: number, ms: number, target = 'deploy@cvd-prod.example.com:22'): NewLogRow {
  return { time: at(min).toISOString(), operator: 'alice', target, cell, event: 'run', exit, ms, digest: digestOf(cell, `out ${exit}`) };
}

describe('front matter edits (yaml Document API, spliced into the original text)', () => {
  const yaml = 'title: X\ndescription: >-\n  folded text\n  more\nhosts:\n  a: { ssh: x, port: 22 }   # comment\nseverity:\n  P3: 1d   # "next"\n';

  it('adds, replaces and deletes keys without touching any other byte', () => {
    const added = setYamlIn(yaml, ['incident'], { id: 'CVD-1', status: 'open' });
    assert.equal(added, `${yaml}incident:\n  id: CVD-1\n  status: open\n`);
    assert.equal(setYamlIn(yaml, ['hosts', 'a', 'ssh'], 'localhost'), yaml.replace('ssh: x', 'ssh: localhost'));
    assert.equal(setYamlIn(yaml, ['hosts', 'a', 'drill'], true), yaml.replace('port: 22 }', 'port: 22, drill: true }'));
    assert.equal(setYamlIn(yaml, ['severity', 'P3'], '2d'), yaml.replace('P3: 1d', 'P3: 2d'));
    assert.equal(deleteYamlIn(yaml, ['hosts', 'a', 'port']), yaml.replace(', port: 22', ''));
    assert.equal(deleteYamlIn(yaml, ['severity']), yaml.replace('severity:\n  P3: 1d   # "next"\n', ''));
  });

  it('keeps CRLF line endings and creates front matter in an empty block', () => {
    assert.equal(setYamlIn('a: 1\r\n', ['b'], { c: 2 }), 'a: 1\r\nb:\r\n  c: 2\r\n');
    assert.equal(setYamlIn('', ['incident', 'id'], 'X'), 'incident:\n  id: X\n');
  });
});

describe('start incident from runbook', () => {
  it('names the record <ID>-<slug>.runbook.md and only adds the incident to the front matter', () => {
    const s = startIncident(parseRunbook(CVD), { severity: 'P0', operator: 'alice', now: START });
    assert.equal(s.id, 'CVD-20261123-0512');
    assert.equal(s.fileName, 'CVD-20261123-0512-cvd-incident-response.runbook.md');
    const expected = CVD.replace('severity: { P0: 15m, P1: 1h, P2: 4h }\n',
      'severity: { P0: 15m, P1: 1h, P2: 4h }\nincident:\n  id: CVD-20261123-0512\n  severity: P0\n  status: open\n  started: 2026-11-23T05:12:00Z\n  commander: alice\n');
    assert.equal(s.text, expected);
    const fm = parseRunbook(s.text).frontMatter!;
    assert.deepEqual(fm.errors, []);
    assert.deepEqual(fm.data!.incident, { id: 'CVD-20261123-0512', severity: 'P0', status: 'open', started: '2026-11-23T05:12:00Z', commander: 'alice' });
  });

  it('derives id prefixes from the titles of all samples', () => {
    const prefixes = filesIn(samplesDir, '.runbook.md').map((f) => incidentPrefix(runbookTitle(parseRunbook(readText(f)))));
    assert.deepEqual(prefixes, ['ADS', 'CVD', 'CVD', 'NOVACRON', 'SME']);
    assert.equal(startIncident(parseRunbook(CVD), { severity: 'P1', operator: 'a', now: START, drill: true }).id, 'DRILL-CVD-20261123-0512');
  });

  it('refuses a severity the runbook does not define, accepts any when it defines none', () => {
    assert.throws(() => startIncident(parseRunbook(CVD), { severity: 'SEV-1', operator: 'a', now: START }), /this runbook defines P0, P1, P2/);
    const arbitration = readText(join(samplesDir, 'arbitration-incident-response.runbook.md'));
    assert.match(startIncident(parseRunbook(arbitration), { severity: 'P0', operator: 'a', now: START }).text, /incident:\n {2}id: ADS-20261123-0512\n {2}severity: P0/);
  });

  it('removes old outputs, the execution log and an old report from the copy; the source stays as it was', () => {
    const record = started();
    const cell = record.cells.find((c): c is CodeCell => c.kind === 'code')!;
    cell.outputs = [{ meta: { cell: 'initial-assessment', exit: 0 }, text: 'old output\n' }];
    addNote(record, 'decision', 'old note', 'bob', at(1));
    resolveIncident(record, { now: at(30) });
    const old = serializeRunbook(record);
    assert.match(old, /runbook:output/);
    const again = startIncident(parseRunbook(old), { severity: 'P1', operator: 'carol', now: at(60), id: 'CVD-NEXT' });
    assert.doesNotMatch(again.text, /runbook:output|runbook:log|runbook:report|old output/);
    assert.match(again.text, /incident:\n {2}id: CVD-NEXT\n {2}severity: P1\n {2}status: open/);
    assert.equal(again.fileName, 'CVD-NEXT-cvd-incident-response.runbook.md');
    assert.equal(serializeRunbook(parseRunbook(again.text)), again.text);
  });

  it('creates front matter for a runbook without one', () => {
    const s = startIncident(parseRunbook('# Disk full\n\n```bash {name=df}\ndf -h\n```\n'), { severity: 'P2', operator: 'a', now: START });
    assert.equal(s.fileName, 'DISK-20261123-0512-disk-full.runbook.md');
    assert.match(s.text, /^---\nincident:\n {2}id: DISK-20261123-0512\n[\s\S]*\n---\n\n# Disk full\n/);
    assert.equal(parseRunbook(s.text).frontMatter!.data!.incident!.severity, 'P2');
  });
});

describe('timeline notes', () => {
  it('are log rows with event note:<kind>, one line of text, chained and read back intact', () => {
    const row = noteRow('escalation', '  Paged the DBA\nvia PagerDuty | bridge open ', 'alice', at(3));
    assert.equal(row.event, 'note:escalation');
    assert.equal(row.detail, 'Paged the DBA via PagerDuty | bridge open');
    assert.equal(row.exit, null);
    assert.throws(() => noteRow('decision', '   ', 'alice'), /needs some text/);
    const doc = started();
    addNote(doc, 'decision', 'Restart before restoring the database', 'alice', at(2));
    appendRow(doc.log!.rows, row);
    const back = parseRunbook(serializeRunbook(doc));
    assert.deepEqual(back.log!.rows.map((r) => [r.event, r.detail]), [
      ['note:decision', 'Restart before restoring the database'], ['note:escalation', 'Paged the DBA via PagerDuty | bridge open']]);
    assert.deepEqual(verifyChain(back.log!.rows), { ok: true });
  });
});

describe('incident clock', () => {
  const fm = () => started().frontMatter!.data;

  it('shows id, severity and elapsed time against the response target', () => {
    const c = incidentClock(fm(), at(12, 4))!;
    assert.equal(c.label, 'CVD-20261123-0512 P0 · 12:04 / 15:00');
    assert.equal(c.elapsedMs, 724_000);
    assert.equal(c.targetMs, 900_000);
    assert.equal(c.overdue, false);
    assert.equal(c.stopped, false);
  });

  it('is overdue past the target and reads hours above an hour', () => {
    assert.equal(incidentClock(fm(), at(15, 1))!.overdue, true);
    assert.equal(incidentClock(fm(), at(15))!.overdue, false);
    assert.equal(incidentClock(fm(), at(62, 9))!.label, 'CVD-20261123-0512 P0 · 1:02:09 / 15:00');
    assert.equal(incidentClock(fm(), new Date(START.getTime() - 5000))!.elapsedMs, 0);
  });

  it('has no target when the runbook defines none, stops at the end, and is absent without an incident', () => {
    const arbitration = parseRunbook(startIncident(parseRunbook(readText(join(samplesDir, 'arbitration-incident-response.runbook.md'))),
      { severity: 'P1', operator: 'a', now: START }).text);
    const c = incidentClock(arbitration.frontMatter!.data, at(20))!;
    assert.equal(c.label, 'ADS-20261123-0512 P1 · 20:00');
    assert.equal(c.targetMs, undefined);
    assert.equal(c.overdue, false);
    const doc = started();
    resolveIncident(doc, { now: at(49, 12) });
    const stopped = incidentClock(doc.frontMatter!.data, at(90))!;
    assert.equal(stopped.label, 'CVD-20261123-0512 P0 · 49:12 / 15:00 · resolved');
    assert.equal(stopped.stopped, true);
    assert.equal(incidentClock(parseRunbook(CVD).frontMatter!.data, at(1)), undefined);
  });
});

/** A CVD record with runs, a confirmation, notes and a ticked checklist item. */
function workedRecord(): RunbookDocument {
  const doc = started(CVD.replace('- [ ] Record incident start time', '- [x] Record incident start time')
    .replace('- [ ] Verify all services are running normally', '* [X] Verify all services are running normally'));
  appendLogRows(doc, [
    runRow('initial-assessment', 1, 0, 412),
    { ...runRow('immediate-stabilization', 3, 0, 0), event: 'confirm', exit: null, ms: null, detail: 'the cell is marked confirm=true' },
    runRow('immediate-stabilization', 3, 1, 10_512),
    runRow('local-check', 5, 0, 80, 'alice@laptop'),
    { ...runRow('p0-complete-outage', 7, 0, 0), event: 'timeout', exit: null, ms: 1_800_000, detail: 'timed out after 30 min' },
  ]);
  addNote(doc, 'decision', 'Restore from last night\'s backup', 'bob', at(9));
  addNote(doc, 'communication', 'Status page updated: investigating', 'alice', at(10));
  return doc;
}

describe('resolve incident and the post-incident report', () => {
  it('sets status, end and duration, logs the resolution and appends the report before the execution log', () => {
    const doc = workedRecord();
    const r = resolveIncident(doc, { now: at(49, 12) });
    assert.equal(r.durationMs, (49 * 60 + 12) * 1000);
    const inc = doc.frontMatter!.data!.incident!;
    assert.deepEqual([inc.status, inc.ended, inc.duration], ['resolved', '2026-11-23T06:01:12Z', '49m 12s']);
    const text = serializeRunbook(doc);
    assert.match(text, /status: resolved\n {2}started: 2026-11-23T05:12:00Z\n {2}commander: alice\n {2}ended: 2026-11-23T06:01:12Z\n {2}duration: 49m 12s\n---\n/);
    const report = text.indexOf('<!-- runbook:report');
    assert.ok(report > text.indexOf('## Incident Response Checklist') && report < text.indexOf('<!-- runbook:log -->'));
    assert.equal(doc.log!.rows.at(-1)!.event, 'resolve');
    assert.deepEqual(verifyChain(doc.log!.rows), { ok: true });
  });

  it('builds summary fields, timeline, commands, hosts and checklist state from the record', () => {
    const doc = workedRecord();
    const { report } = resolveIncident(doc, { now: at(49, 12) });
    for (const field of ['Executive summary', 'Impact', 'Root cause', 'Resolution', 'Lessons learned', 'Follow-ups']) {
      assert.ok(report.includes(field), field);
    }
    assert.match(report, /- \*\*Severity\*\*: P0 \(response target 15m\)/);
    assert.match(report, /- \*\*Started\*\*: 2026-11-23 05:12 UTC · \*\*Ended\*\*: 2026-11-23 06:01 UTC · \*\*Duration\*\*: 49m 12s/);
    assert.match(report, /- \*\*First action\*\*: 05:13:00 UTC \(\+01:00; target 15:00: met\)/);
    assert.match(report, /- \*\*Incident commander\*\*: alice · \*\*Operators\*\*: alice, bob/);
    assert.match(report, /hash chain intact/);
    // timeline: start, runs, confirmation, notes, resolution
    assert.match(report, /\| 05:12:00 \| \+00:00 \| {3}\| \*\*Incident started\*\* \|/);
    assert.match(report, /\| 05:13:00 \| \+01:00 \| alice \| Ran `initial-assessment` on deploy@cvd-prod.example.com:22 → exit 0 \(412 ms\) \|/);
    assert.match(report, /Confirmed `immediate-stabilization` on deploy@cvd-prod\.example\.com:22: the cell is marked confirm=true/);
    assert.match(report, /\| 05:21:00 \| \+09:00 \| bob \| \*\*Decision\*\*: Restore from last night's backup \|/);
    assert.match(report, /\*\*Communication\*\*: Status page updated: investigating/);
    assert.match(report, /Incident closed: status resolved, duration 49m 12s/);
    // commands with command line, target, exit code and duration
    assert.match(report, /\| 1 \| `initial-assessment` \| `echo "=== INCIDENT RESPONSE INITIATED ===" …` \| deploy@cvd-prod\.example\.com:22 \| 05:13:00 \| 0 \| 412 ms \| ok \|/);
    assert.match(report, /\| 3 \| `immediate-stabilization` \| `if ! systemctl is-active \$\{SERVICE_NAME\} > \/dev\/null; then …` \| .* | 1 \| 11s \| failed \|/);
    assert.match(report, /\| `p0-complete-outage` \| .* \| — \| 30m 00s \| timed out \|/);
    // hosts touched
    assert.match(report, /- `deploy@cvd-prod\.example\.com:22`: 3 run\(s\), 2 failed, 05:13:00–05:19:00 UTC \(`initial-assessment`, `immediate-stabilization`, `p0-complete-outage`\)/);
    assert.match(report, /- `alice@laptop`: 1 run\(s\), 05:17:00–05:17:00 UTC/);
    // checklist state
    assert.match(report, /\*\*Recovery Procedures › System Recovery Checklist\*\*: 1\/6 done\n\n- ☑ Verify all services are running normally\n- ☐ Confirm database integrity/);
    assert.match(report, /\*\*Incident Response Checklist › During Incident Response\*\*: 1\/8 done/);
    assert.match(report, /\*\*Incident Response Checklist › Post-Incident\*\*: 0\/6 done/);
  });

  it('round-trips through parse/serialize and keeps the filled-in summary when regenerated', () => {
    const doc = workedRecord();
    resolveIncident(doc, { now: at(49, 12) });
    const text = serializeRunbook(doc);
    const back = parseRunbook(text);
    assert.equal(serializeRunbook(back), text);
    assert.ok(findReportCells(back.cells));
    assert.deepEqual(verifyChain(back.log!.rows), { ok: true });
    const summary = back.cells.find((c) => c.kind === 'markdown' && c.source.startsWith('### Summary'))!;
    summary.source = summary.source.replace('- **Root cause**: _…_', '- **Root cause**: OOM kill of the gunicorn workers');
    addNote(back, 'note', 'Post-incident review booked', 'alice', at(70));
    resolveIncident(back, { now: at(75), status: 'closed' });
    const again = serializeRunbook(back);
    assert.equal(again.match(/<!-- runbook:report/g)!.length, 1);
    assert.match(again, /Root cause\*\*: OOM kill of the gunicorn workers/);
    assert.match(again, /Post-incident review booked/);
    assert.match(again, /status: closed/);
    assert.equal(serializeRunbook(parseRunbook(again)), again);
    assert.equal(checklistItems(back).length, 20, 'report lines are not counted as checklist items');
  });

  it('works on CRLF records and refuses a runbook that is not an incident', () => {
    const doc = parseRunbook(startIncident(parseRunbook(CVD.replace(/\n/g, '\r\n')), { severity: 'P1', operator: 'a', now: START }).text);
    resolveIncident(doc, { now: at(5) });
    const text = serializeRunbook(doc);
    assert.doesNotMatch(text.replace(/\r\n/g, ''), /\n/, 'only CRLF line endings');
    assert.equal(serializeRunbook(parseRunbook(text)), text);
    assert.throws(() => resolveIncident(parseRunbook(CVD), { now: at(5) }), /not an incident record/);
  });

  it('reports an empty record plainly', () => {
    const report = buildReport(started(), { now: at(5) });
    assert.match(report, /_No commands were run._/);
    assert.match(report, /_No host was touched._/);
    assert.match(report, /Duration\*\*: 5m 00s/);
  });
});

describe('export', () => {
  function exported(): string {
    const doc = workedRecord();
    const cell = doc.cells.find((c): c is CodeCell => c.kind === 'code' && c.attributes.name === 'initial-assessment')!;
    cell.outputs = [
      { meta: { cell: 'initial-assessment', host: 'deploy@cvd-prod', started: '2026-11-23T05:13:00Z', ms: 412, exit: 0, stream: 'stdout' }, text: 'failed\n❌ CVD service is down\n<script>alert(1)</script>\n' },
      { meta: { cell: 'initial-assessment', exit: 0, stream: 'stderr' }, text: '\x1b[31m  0%\r 50%\r100%\x1b[0m\ncurl: (22) The requested URL returned error: 503\n' },
    ];
    resolveIncident(doc, { now: at(49, 12) });
    return exportHtml(doc, { exportedAt: at(50), source: 'CVD-20261123-0512-cvd-incident-response.runbook.md' });
  }

  it('writes one self-contained, print-friendly HTML file', () => {
    const html = exported();
    assert.match(html, /^<!DOCTYPE html>/);
    assert.doesNotMatch(html, /<script|<link |<img |@import|src=/i, 'no scripts and no external assets');
    assert.match(html, /<style>[\s\S]*@media print/);
    assert.match(html, /<title>CVD-20261123-0512 — CVD incident response<\/title>/);
    assert.match(html, /<dt>Severity<\/dt><dd>P0 <span class="muted">\(response target 15m\)<\/span><\/dd>/);
    assert.match(html, /<dt>Execution log<\/dt><dd>8 row\(s\), <span class="badge ok">hash chain intact<\/span>/);
  });

  it('renders prose, code cells with outputs and exit codes, the report and the execution log', () => {
    const html = exported();
    assert.match(html, /<h2>Emergency Response Procedures<\/h2>/);
    assert.match(html, /<span class="name">initial-assessment<\/span> <span class="target">on cvd-prod<\/span>/);
    assert.match(html, /<span class="name">immediate-stabilization<\/span> <span class="target">on cvd-prod<\/span> <span class="badge warn">asks for confirmation<\/span>/);
    assert.match(html, /&lt;script&gt;alert\(1\)&lt;\/script&gt;/, 'outputs are escaped');
    assert.match(html, /<span class="badge ok">exit 0<\/span>/);
    assert.match(html, /100%\ncurl: \(22\)/, 'progress meters show their last state, colours dropped');
    assert.match(html, /<h2>Post-incident report<\/h2>/);
    assert.match(html, /<h3>Timeline<\/h3>/);
    assert.match(html, /<strong>Decision<\/strong>: Restore from last night&#39;s backup|<strong>Decision<\/strong>: Restore from last night's backup/);
    assert.match(html, /<li class="task done"><span class="box">☑<\/span> Record incident start time<\/li>/);
    assert.match(html, /<li class="task"><span class="box">☐<\/span> Assess severity and classify priority<\/li>/);
    assert.match(html, /<section class="log"><h2>Execution log<\/h2>/);
    assert.match(html, /<tr class="note"><td class="c0">7<\/td>/);
    assert.doesNotMatch(html, /runbook:report|runbook:log/, 'marker comments are not shown');
    assert.equal(terminalText('a\rb\r\nc'), 'b\nc');
  });

  it('prints a PDF through Chromium when it is installed', { skip: requirement(findChromium() ? undefined : 'no Chromium on this machine: install chromium'), timeout: 90_000 }, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'runbook-export-'));
    try {
      writeFileSync(join(dir, 'record.html'), exported());
      await exportPdf(join(dir, 'record.html'), join(dir, 'record.pdf'));
      assert.ok(existsSync(join(dir, 'record.pdf')));
      assert.equal(readFileSync(join(dir, 'record.pdf')).subarray(0, 5).toString(), '%PDF-');
      await assert.rejects(exportPdf(join(dir, 'record.html'), join(dir, 'x.pdf'), { chromium: join(dir, 'no-chromium') }), /could not print/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('dry run', () => {
  const RUNBOOK = `---
hosts:
  web: { ssh: deploy@web-1, jump: bastion }
connections:
  db: { driver: postgres, url: "postgres://ops:pw@db:5432/app", host: web }
variables:
  SERVICE: { default: cvd }
  LOG_DIR: { default: /var/log/cvd }
  TOKEN: { prompt: token, secret: true }
  DOMAIN: { prompt: domain }
---
# Dry

\`\`\`bash {name=restart host=web}
INCIDENT_ID="X-$(date +%s)"
echo "$INCIDENT_ID restarting \${SERVICE} on $DOMAIN" # $SERVICE in a comment stays
sudo systemctl restart $SERVICE
echo '$SERVICE stays in single quotes' "\${SERVICE}"
curl -H "Authorization: Bearer \${TOKEN}" https://$DOMAIN/health
cat > "\${LOG_DIR}/report.md" << 'EOF'
literal \${SERVICE}
EOF
cat << EOF
expanded \${SERVICE} isn't quoted
EOF
\`\`\`

\`\`\`http {name=health}
GET https://{{DOMAIN}}/health
Authorization: Bearer {{TOKEN}}
X-Request: {{$guid}}
\`\`\`

\`\`\`sql {name=count db=db}
DELETE FROM sessions;
\`\`\`

\`\`\`yaml
not: runnable
\`\`\`
`;

  it('shows target, substituted command and confirmation for each runnable cell without running anything', () => {
    const doc = parseRunbook(RUNBOOK);
    const r = dryRun(doc, 'all', { variables: { DOMAIN: 'cvd.example.com', TOKEN: 'sekrit' }, operator: 'alice', now: START });
    assert.deepEqual(r.cells.map((c) => [c.name, c.runner, c.target]), [
      ['restart', 'shell', 'web (deploy@web-1 via bastion)'],
      ['health', 'http', 'this machine (HTTP request)'],
      ['count', 'sql', 'db (postgres postgres://db:5432/app via web)'],
    ]);
    const shell = r.cells[0]!.command;
    assert.equal(shell, [
      'INCIDENT_ID="X-$(date +%s)"',
      'echo "$INCIDENT_ID restarting cvd on cvd.example.com" # $SERVICE in a comment stays',
      'sudo systemctl restart cvd',
      'echo \'$SERVICE stays in single quotes\' "cvd"',
      'curl -H "Authorization: Bearer [SECRET:TOKEN]" https://cvd.example.com/health',
      'cat > "/var/log/cvd/report.md" << \'EOF\'',
      'literal ${SERVICE}',
      'EOF',
      'cat << EOF',
      'expanded cvd isn\'t quoted',
      'EOF',
    ].join('\n'));
    assert.equal(r.cells[1]!.command, 'GET https://cvd.example.com/health\nAuthorization: Bearer [SECRET:TOKEN]\nX-Request: {{$guid}}');
    assert.deepEqual(r.cells[0]!.confirm, ['line 3: systemctl restart']);
    assert.deepEqual(r.cells[1]!.confirm, []);
    assert.deepEqual(r.cells[2]!.confirm, ['line 1: DELETE without WHERE']);
    assert.ok(!JSON.stringify(r).includes('sekrit'), 'secret values never appear');
    assert.match(formatDryRun(r), /▷ restart \(shell\) on web \(deploy@web-1 via bastion\) — would ask: line 3: systemctl restart\n {2}│ INCIDENT_ID=/);
  });

  it('lists missing variables and records dry-run rows in the chained log', () => {
    const doc = parseRunbook(RUNBOOK);
    const r = dryRun(doc, ['restart', 'health'], { operator: 'alice', now: START });
    assert.deepEqual(r.cells[0]!.missing, ['DOMAIN', 'TOKEN']);
    assert.match(r.cells[0]!.command, /https:\/\/\$DOMAIN\/health/);
    assert.match(r.cells[1]!.command, /Bearer \[SECRET:TOKEN\]/);
    assert.deepEqual(r.rows.map((x) => [x.event, x.cell, x.exit, x.ms]), [['dry-run', 'restart', null, null], ['dry-run', 'health', null, null]]);
    assert.equal(r.rows[0]!.detail, 'would run on web (deploy@web-1 via bastion); asks first: line 3: systemctl restart; needs DOMAIN, TOKEN');
    appendLogRows(doc, r.rows);
    const back = parseRunbook(serializeRunbook(doc));
    assert.deepEqual(back.log!.rows.map((x) => x.event), ['dry-run', 'dry-run']);
    assert.deepEqual(verifyChain(back.log!.rows), { ok: true });
    assert.ok(back.cells.every((c) => c.kind === 'markdown' || c.outputs.length === 0), 'nothing ran');
    assert.throws(() => dryRun(doc, ['nope']), /no cell named "nope"/);
  });

  it('uses the given target labels and the sample runbooks dry-run cleanly', () => {
    const r = dryRun(parseRunbook(CVD), 'all', { targetOf: (c) => `drill:${String(c.attributes.host ?? 'local')}`, variables: { DOMAIN: 'x' } });
    assert.equal(r.cells.length, 24);
    assert.equal(r.cells[0]!.target, 'drill:cvd-prod');
    for (const f of filesIn(samplesDir, '.runbook.md')) assert.ok(dryRun(parseRunbook(readText(f)), 'all').cells.length > 5, f);
  });
});
