// Issue 13 (the record as a person sees it): cell names from headings, the confirmation's wording, where a
// cell runs before it runs, the summary questions of Resolve, the export's order, and drill start/end in the
// record. Pure core, checked on the samples where it matters.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { parseRunbook, readFrontMatter as readBlock, serializeRunbook } from '../../src/core/format/index.js';

const readFrontMatter = (yaml: string) => readBlock(`---\n${yaml}\n---\n`);
import { appendRow, digestOf, verifyChain } from '../../src/core/log/chain.js';
import { codeCellNames, headingSlug, lastHeading } from '../../src/core/contract/cellName.js';
import { namedCodeCells } from '../../src/core/run/documentRunner.js';
import { confirmationNeeded, confirmationPrompt, targetInWords } from '../../src/core/run/confirmPolicy.js';
import { cellTargetName, plannedTargetWords } from '../../src/core/run/cellTarget.js';
import type { ResolvedTarget } from '../../src/core/contract/types.js';
import {
  exportHtml, fillSummary, incidentClock, resolveIncident, startIncident, SUMMARY_TEMPLATE, summaryIsEmpty,
} from '../../src/core/incident/index.js';
import { addDrillStart, briefingOf, endDrillRecord, isDrillBanner, loadScenario } from '../../src/core/drill/index.js';
import { readText, samplesDir } from './helpers.js';

const CVD = readText(join(samplesDir, 'cvd-incident-response.runbook.md'));
const START = new Date('2026-11-23T05:12:00Z');
const at = (min: number) => new Date(START.getTime() + min * 60_000);

describe('cell names: unnamed cells are named after their heading', () => {
  const doc = parseRunbook([
    '# Service', '', '## Restart the *service* (step 2)', '', '```bash', 'systemctl restart x', '```', '',
    '```bash', 'systemctl status x', '```', '', '## Check', '', '```bash {name=check}', 'true', '```', '',
    'Prose with a fence:', '', '````md', '## Not a heading', '````', '', '```bash', 'echo', '```', '',
  ].join('\n'));

  it('uses the nearest heading above, numbers repeats, keeps name= and skips headings inside fences', () => {
    assert.deepEqual(codeCellNames(doc.cells), ['restart-the-service-step-2', 'restart-the-service-step-2-2', 'check', 'check-2', 'check-3']);
    assert.equal(lastHeading('# A\n\n```\n# not this\n```\n'), 'A');
  });

  it('falls back to cell-N without a heading, and never takes an explicit name', () => {
    const d = parseRunbook('```bash\necho 1\n```\n\n# Check\n\n```bash\necho 2\n```\n\n```bash {name=check}\necho 3\n```\n');
    assert.deepEqual(codeCellNames(d.cells), ['cell-1', 'check-2', 'check']);
  });

  it('headings read as text', () => {
    assert.equal(lastHeading('# A\n\ntext\n\n### `B` [link](http://x) ##\n'), 'B link');
    assert.equal(headingSlug('Étape 1 — Vérifier'), 'etape-1-verifier');
    assert.equal(headingSlug('!!!'), undefined);
  });

  it('the CLI still accepts the old cell-N names', () => {
    const cells = namedCodeCells(doc);
    assert.equal(cells[0]!.alias, 'cell-1');
    assert.equal(cells[0]!.name, 'restart-the-service-step-2');
  });

  it('every runnable cell of the samples keeps its explicit name', () => {
    const d = parseRunbook(CVD);
    const names = namedCodeCells(d);
    for (const { cell, name } of names) if (typeof cell.attributes.name === 'string') assert.equal(name, cell.attributes.name);
  });
});

describe('confirmation: the exact lines, the target in words, production hosts typed by name', () => {
  const fm = readFrontMatter([
    'hosts:',
    '  cvd-prod: { ssh: deploy@10.0.0.5, port: 22, jump: bastion, production: true }',
    '  staging: { ssh: ops@10.0.0.9 }',
    '  bastion: { ssh: jump@10.0.0.1 }',
  ].join('\n')).data;
  const local: ResolvedTarget = { name: 'local', kind: 'local', label: 'root@vm', user: 'root', host: 'vm' };
  const prod: ResolvedTarget = { name: 'cvd-prod', kind: 'ssh', label: 'deploy@10.0.0.5:22', user: 'deploy', host: '10.0.0.5', port: 22 };
  const staging: ResolvedTarget = { name: 'staging', kind: 'ssh', label: 'ops@10.0.0.9:22', user: 'ops', host: '10.0.0.9', port: 22 };
  const source = 'cd /opt/cvd\nrm -rf /var/cache/cvd/*   # clear\nsystemctl restart cvd';

  it('the front matter schema accepts production: true', () => {
    assert.equal(fm?.hosts?.['cvd-prod']?.production, true);
  });

  it('names the target in words', () => {
    assert.equal(targetInWords(local, fm), 'this machine');
    assert.equal(targetInWords(prod, fm), 'deploy@cvd-prod via bastion');
    assert.equal(targetInWords({ ...local, name: 'cvd-prod', label: 'root@vm (drill cvd-prod)' }, fm), 'this machine (drill stand-in for cvd-prod)');
  });

  it('shows the lines that triggered it, exactly as written', () => {
    const need = confirmationNeeded(source, {}, 'shellscript', fm)!;
    const p = confirmationPrompt('clear-cache', source, local, need, fm);
    assert.equal(p.question, 'Run "clear-cache" on this machine?');
    assert.deepEqual(p.lines.map((l) => [l.line, l.text]), [[2, 'rm -rf /var/cache/cvd/*   # clear'], [3, 'systemctl restart cvd']]);
    assert.match(p.detail, /line 2 \(rm -r\/-f\): {2}rm -rf \/var\/cache\/cvd\/\*/);
    assert.match(p.detail, /Target: this machine \(root@vm\)/);
    assert.equal(p.typeToConfirm, undefined);
  });

  it('asks for the host name on a production host only', () => {
    const need = confirmationNeeded(source, { confirm: true }, 'shellscript', fm)!;
    const p = confirmationPrompt('restart', source, prod, need, fm);
    assert.equal(p.question, 'Run "restart" on deploy@cvd-prod via bastion?');
    assert.equal(p.typeToConfirm, 'cvd-prod');
    assert.match(p.detail, /PRODUCTION/);
    assert.match(p.detail, /Also: the cell is marked confirm=true\./);
    assert.equal(confirmationPrompt('restart', source, staging, need, fm).typeToConfirm, undefined);
  });

  it('each cell knows its target before it runs', () => {
    const sqlFm = readFrontMatter('hosts:\n  db-1: { ssh: ops@db }\nconnections:\n  erp: { driver: postgres, url: "postgres://x@localhost/erp", host: db-1 }').data;
    assert.equal(cellTargetName({}, 'shellscript', fm, 'local'), 'local');
    assert.equal(cellTargetName({ host: 'staging' }, 'shellscript', fm, 'local'), 'staging');
    assert.equal(cellTargetName({}, 'sql', sqlFm, 'local'), 'db-1');
    assert.equal(plannedTargetWords('local', fm), 'this machine');
    assert.equal(plannedTargetWords('cvd-prod', fm), 'deploy@cvd-prod via bastion (production)');
    assert.equal(plannedTargetWords('web-9', fm), 'web-9');
  });
});

describe('resolve asks for summary, impact and root cause', () => {
  it('writes the answers into the summary fields and skips empty ones', () => {
    const filled = fillSummary(SUMMARY_TEMPLATE, { summary: 'CVD was down 12 min after an OOM kill; a restart fixed it.', impact: '', rootCause: 'memory | leak\nin v2' });
    assert.match(filled, /^- \*\*Executive summary\*\*: CVD was down 12 min after an OOM kill; a restart fixed it\.$/m);
    assert.match(filled, /^- \*\*Impact\*\* \(users affected, services affected, revenue and SLA impact\): _…_$/m);
    assert.match(filled, /^- \*\*Root cause\*\*: memory \\\| leak in v2$/m);
    assert.ok(summaryIsEmpty(SUMMARY_TEMPLATE));
    assert.ok(!summaryIsEmpty(filled));
    assert.ok(!fillSummary(SUMMARY_TEMPLATE, { summary: 'x <!-- /runbook:report --> y' }).includes('<!--'), 'an answer cannot close the report section');
  });

  it('resolveIncident puts them into the record, and a later resolve keeps them', () => {
    const doc = parseRunbook(startIncident(parseRunbook(CVD), { severity: 'P0', operator: 'alice', now: START }).text);
    resolveIncident(doc, { now: at(20), answers: { summary: 'Restarted cvd.', impact: 'All users, 20 min.' } });
    let text = serializeRunbook(doc);
    assert.match(text, /\*\*Executive summary\*\*: Restarted cvd\./);
    assert.match(text, /\*\*Impact\*\*[^:\n]*: All users, 20 min\./);
    const again = parseRunbook(text);
    resolveIncident(again, { now: at(25), answers: { rootCause: 'OOM' } });
    text = serializeRunbook(again);
    assert.match(text, /\*\*Executive summary\*\*: Restarted cvd\./);
    assert.match(text, /\*\*Root cause\*\*: OOM/);
  });
});

describe('export: summary, timeline and log first; steps never run folded; a log that fits the page', () => {
  const doc = parseRunbook(startIncident(parseRunbook(CVD), { severity: 'P0', operator: 'alice', now: START }).text);
  const cell = doc.cells.find((c) => c.kind === 'code' && c.attributes.name === 'initial-assessment')!;
  if (cell.kind === 'code') cell.outputs = [{ meta: { cell: 'initial-assessment', host: 'deploy@cvd-prod:22', started: at(2).toISOString(), ms: 400, exit: 1 }, text: 'down\n' }];
  doc.log = { raw: '', rows: [], parsedCount: 0 };
  appendRow(doc.log.rows, { time: at(2).toISOString(), operator: 'alice', target: 'deploy@cvd-prod:22', cell: 'initial-assessment', event: 'run', exit: 1, ms: 400, digest: digestOf('x', 'down\n') });
  appendRow(doc.log.rows, { time: at(3).toISOString(), operator: 'alice', target: '', cell: '', event: 'note:decision', exit: null, ms: null, digest: digestOf('n', 'restart'), detail: 'restart the service now' });
  resolveIncident(doc, { now: at(20), answers: { summary: 'UNIQUE-SUMMARY-TEXT' } });
  const html = exportHtml(doc, { exportedAt: at(30) });

  it('opens with the summary, then the timeline, then the log, then the steps', () => {
    const order = ['UNIQUE-SUMMARY-TEXT', '<h3>Timeline</h3>', '<h2>Execution log</h2>', '<h3>Commands run</h3>', '<h2>Steps</h2>', '<h2>Hash chain</h2>'].map((t) => html.indexOf(t));
    assert.ok(order.every((i) => i > 0), `every part is there: ${order}`);
    assert.deepEqual([...order].sort((a, b) => a - b), order, `in this order: ${order}`);
    assert.equal(html.split('<h3>Timeline</h3>').length, 2, 'one timeline');
  });

  it('folds steps never run and shows the ones that ran', () => {
    assert.match(html, /<figure class="cell runnable"><figcaption>.*initial-assessment/);
    const folded = html.match(/<details class="cell runnable not-run">/g) ?? [];
    assert.ok(folded.length >= 10, `never-run steps folded: ${folded.length}`);
    assert.ok(!/<details class="cell runnable not-run"><summary>[^<]*<span class="lang">[^<]*<\/span> <span class="name">initial-assessment/.test(html));
  });

  it('the log has no hash columns (they have their own table) and keeps the note text whole', () => {
    const log = html.slice(html.indexOf('<section class="log">'), html.indexOf('</section>', html.indexOf('<section class="log">')));
    assert.ok(!log.includes('Digest') && !log.includes(doc.log!.rows[0]!.digest), 'no hashes in the log table');
    assert.match(log, /<tr class="note detail"><td><\/td><td class="detail" colspan="7">restart the service now<\/td><\/tr>/);
    assert.ok(html.includes(doc.log!.rows[0]!.chain), 'the chain is still exported');
  });
});

describe('drills in the record: banner with the briefing, the end, the report', () => {
  const scenario = loadScenario(join(samplesDir, 'drills/cvd-incident-response/service-down'));
  const m = scenario.manifest;
  const fresh = () => {
    const doc = parseRunbook(startIncident(parseRunbook(CVD), { severity: 'P0', operator: 'alice', now: START, drill: true, extra: { scenario: m.id } }).text);
    addDrillStart(doc, m, 'alice', START);
    return parseRunbook(serializeRunbook(doc));
  };

  it('the banner opens the record and carries the briefing; the log has a drill-start row', () => {
    const doc = fresh();
    const first = doc.cells.find((c) => c.kind === 'markdown')!;
    assert.ok(isDrillBanner(first), 'the first prose cell is the banner');
    assert.match(first.source, /DRILL/);
    assert.equal(briefingOf(doc), m.briefing.trim());
    assert.equal(doc.log?.rows[0]?.event, 'drill-start');
    assert.match(doc.log!.rows[0]!.detail!, new RegExp(`^scenario ${m.id}: `));
  });

  it('End Drill stops the clock, closes the record and appends the drill report', () => {
    const doc = fresh();
    appendRow(doc.log!.rows, { time: at(4).toISOString(), operator: 'alice', target: 'x', cell: 'immediate-stabilization', event: 'run', exit: 0, ms: 1000, digest: digestOf('a', 'b') });
    const end = endDrillRecord(doc, m, 'alice', at(9));
    assert.equal(end.closed, true);
    const back = parseRunbook(serializeRunbook(doc));
    const clock = incidentClock(back.frontMatter?.data, at(60))!;
    assert.equal(clock.stopped, true, 'the clock stopped');
    assert.equal(clock.elapsedMs, 9 * 60_000);
    assert.equal(back.frontMatter?.data?.incident?.status, 'ended');
    const events = back.log!.rows.map((r) => r.event);
    assert.deepEqual(events.slice(-2), ['drill-end', 'resolve']);
    assert.ok(verifyChain(back.log!.rows).ok);
    const text = serializeRunbook(back);
    assert.match(text, /### Drill: time to each step/);
    assert.match(text, /\*\*Drill ended\*\*: scenario cvd-incident-response\/service-down torn down/);
  });

  it('ending a drill that was resolved keeps its status and summary', () => {
    const doc = fresh();
    resolveIncident(doc, { now: at(8), answers: { summary: 'Fixed by restart.' } });
    const end = endDrillRecord(doc, m, 'alice', at(9));
    assert.equal(end.closed, false);
    const text = serializeRunbook(doc);
    assert.match(text, /status: resolved/);
    assert.match(text, /Executive summary\*\*: Fixed by restart\./);
    assert.match(text, /### Drill: time to each step/);
  });
});

describe('a report read back from a saved record', () => {
  it('is found even when its opening comment shares a cell with the runbook\'s last paragraph; resolving again replaces it', () => {
    const sample = readText(join(samplesDir, 'sme-erp-incident-response.runbook.md'));
    const doc = parseRunbook(startIncident(parseRunbook(sample), { severity: 'P2', operator: 'alice', now: START }).text);
    resolveIncident(doc, { now: at(10), answers: { summary: 'First answer.' } });
    const saved = parseRunbook(serializeRunbook(doc));
    const html = exportHtml(saved, { exportedAt: at(20) });
    assert.ok(html.indexOf('First answer.') < html.indexOf('<h2>Steps</h2>'), 'the summary comes before the steps');
    assert.equal(html.split('First answer.').length, 2, 'the report is not repeated among the steps');
    resolveIncident(saved, { now: at(15), answers: { rootCause: 'Second answer.' } });
    const text = serializeRunbook(saved);
    assert.equal(text.split('<!-- runbook:report').length, 2, 'one report after resolving twice');
    assert.match(text, /Executive summary\*\*: First answer\./);
    assert.match(text, /\*\*Next Drill Date:\*\* February 2026/, 'the runbook paragraph before the report stays');
    const cleared = parseRunbook(startIncident(parseRunbook(text), { severity: 'P2', operator: 'bob', now: at(30) }).text);
    assert.ok(!serializeRunbook(cleared).includes('runbook:report'), 'a new incident from a resolved record starts without the report');
  });
});

describe('runbook verify and heading-named cells', () => {
  it('a record whose unnamed cell ran under its heading name verifies; so does an older record that logged it as cell-N', async () => {
    const { spawnSync } = await import('node:child_process');
    const { mkdtempSync, readFileSync, writeFileSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { verifyRecord } = await import('../../src/core/log/verifyRecord.js');
    const { repoRoot } = await import('./helpers.js');
    const dir = mkdtempSync(join(tmpdir(), 'rb-heading-'));
    writeFileSync(join(dir, 'r.runbook.md'), '# Check\n\n## Say hello\n\n```bash\necho hello\n```\n');
    const r = spawnSync(process.execPath, ['--import', 'tsx', join(repoRoot, 'src/cli/main.ts'), 'run', join(dir, 'r.runbook.md'), '--all', '--out', join(dir, 'rec.md')], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    const record = readFileSync(join(dir, 'rec.md'), 'utf8');
    const doc = parseRunbook(record);
    assert.deepEqual(doc.log!.rows.map((x) => x.cell), ['say-hello']);
    assert.ok(verifyRecord(record).ok, verifyRecord(record).problems.join('; '));
    // The same record as an older version wrote it: the row names the cell `cell-1`.
    const rows: import('../../src/core/format/index.js').LogRow[] = [];
    for (const row of doc.log!.rows) {
      const rest: Partial<typeof row> = { ...row, cell: 'cell-1' };
      delete rest.n;
      delete rest.chain;
      appendRow(rows, rest as Parameters<typeof appendRow>[1]);
    }
    doc.log = { raw: '', rows, parsedCount: 0 };
    const old = serializeRunbook(doc);
    assert.ok(old.includes('| cell-1 |') || old.includes('cell-1'), 'the older record names cell-1');
    assert.ok(verifyRecord(old).ok, verifyRecord(old).problems.join('; '));
  });
});
