// Tabletop drills (issue 6) with real bash and the real scenario scripts: the scenarios shipped in
// samples/drills, a CVD drill from the initial assessment to the post-incident report, and for every
// other sample the symptom, the scenario's steps and a clean teardown.
import assert from 'node:assert/strict';
import { accessSync, constants, existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { parseRunbook, serializeRunbook, type RunbookDocument } from '../../src/core/format/index.js';
import {
  drillProcesses, drillReport, drillTargetResolver, listScenarios, loadScenario, startDrill, type DrillSession, type Scenario,
} from '../../src/core/drill/index.js';
import { exportHtml, resolveIncident, startIncident } from '../../src/core/incident/index.js';
import { appendRow, digestOf, verifyChain } from '../../src/core/log/chain.js';
import { CellRunner } from '../../src/core/run/cellRunner.js';
import { namedCodeCells, runDocument } from '../../src/core/run/documentRunner.js';
import { ShellExecutor } from '../../src/core/run/shellExecutor.js';
import { switchableRedactor } from '../../src/core/run/switchableRedactor.js';
import { SqlExecutor } from '../../src/core/sql/index.js';
import type { ConnectionConfig } from '../../src/core/sql/index.js';
import { localTransport } from '../../src/core/shell/index.js';
import { filesIn, readText, samplesDir } from './helpers.js';

const drillsDir = join(samplesDir, 'drills');
const scenarios = listScenarios(drillsDir);
const sessions: DrillSession[] = [];
after(async () => {
  for (const s of sessions) await s.teardown();
});

/** A drill with a runner like the extension's: shell cells in the drill's environment, a UI that says yes. */
async function drill(scenario: Scenario, now = new Date()) {
  const text = readText(join(samplesDir, scenario.manifest.runbook));
  const session = await startDrill(parseRunbook(text), scenario.dir, { operator: 'alice', now, sleepMax: 0.2 });
  sessions.push(session);
  const doc = parseRunbook(session.text);
  const redactor = switchableRedactor();
  const shell = new ShellExecutor({ redact: redactor.redact, maxOutputBytes: 256 * 1024, transportFor: () => localTransport({ env: session.env, cwd: session.cwd }) });
  const sql = new SqlExecutor({ connections: (doc.frontMatter?.data?.connections ?? {}) as Record<string, ConnectionConfig> });
  const confirmations: string[] = [];
  const asked: string[] = [];
  const prompts: string[] = [];
  const runner = new CellRunner({
    executors: { shell, sql }, resolveTarget: session.resolveTarget, defaultTarget: () => 'local', operator: 'alice', redactor,
    variables: session.variables,
    ui: {
      trusted: () => true,
      askVariable: async (v) => { asked.push(v.name); return undefined; },
      confirm: async (q) => { confirmations.push(q); return true; },
      // The stand-in sudo asks for a password as the real one does: the operator types one (any is accepted).
      answerPrompt: async (p) => { prompts.push(p.text); return { kind: 'answer', text: 'drill-operator-password' }; },
    },
  });
  /** Runs one cell; returns what it printed (all streams) and its exit code. */
  const run = async (name: string) => {
    await runDocument(doc, runner, { names: [name] });
    const cell = namedCodeCells(doc).find((c) => c.name === name)!.cell;
    return { text: cell.outputs.map((o) => o.text).join(''), exit: cell.outputs[0]?.meta.exit };
  };
  const end = async () => {
    shell.dispose();
    sql.dispose();
    await session.teardown();
  };
  return { session, doc, run, confirmations, asked, prompts, end };
}

function cellNames(runbook: string): Set<string> {
  return new Set(namedCodeCells(parseRunbook(readText(join(samplesDir, runbook)))).map((c) => c.name));
}

describe('drill scenarios shipped with the samples', () => {
  it('every sample has at least one scenario, and every scenario names real cells of its sample', () => {
    const samples = filesIn(samplesDir, '.runbook.md').map((f) => f.split('/').pop()!);
    for (const sample of samples) assert.ok(scenarios.some((s) => s.manifest.runbook === sample), `no drill scenario for ${sample}`);
    for (const s of scenarios) {
      const names = cellNames(s.manifest.runbook);
      for (const cell of [...s.manifest.steps.map((x) => x.cell), s.manifest.symptom.cell, ...s.manifest.covers, ...Object.keys(s.manifest.limits)]) {
        assert.ok(names.has(cell), `${s.manifest.id}: no cell "${cell}" in ${s.manifest.runbook}`);
      }
      assert.ok(s.manifest.steps.some((x) => x.recovery), `${s.manifest.id}: one step marks the recovery`);
      assert.equal(s.dir.split('/').slice(-2).join('/'), s.manifest.id);
    }
  });

  it('ships executable setup, teardown, hooks and stand-ins', () => {
    const executables = scenarios.flatMap((s) => [s.setupScript, s.teardownScript,
      ...['bin', 'hooks'].flatMap((d) => (existsSync(join(s.dir, d)) ? readdirSync(join(s.dir, d)).map((f) => join(s.dir, d, f)) : []))]);
    const common = join(drillsDir, '_common', 'bin');
    executables.push(...readdirSync(common).map((f) => join(common, f)));
    for (const f of executables) accessSync(f, constants.X_OK);
    for (const tool of ['sudo', 'systemctl', 'journalctl', 'service', 'docker-compose', 'docker', 'nginx', 'certbot', 'curl', 'sleep', 'pkill']) {
      assert.ok(existsSync(join(common, tool)), `stand-in ${tool}`);
    }
    assert.throws(() => loadScenario(samplesDir), /not a drill scenario/);
  });
});

describe('CVD drill: service down, restart, healthy, resolve, export', { timeout: 180_000 }, () => {
  const scenario = scenarios.find((s) => s.manifest.id === 'cvd-incident-response/service-down')!;
  let d: Awaited<ReturnType<typeof drill>>;

  it('starts a drill record with every host pointed at the local drill target', async () => {
    d = await drill(scenario, new Date());
    const fm = d.doc.frontMatter!.data!;
    assert.equal(fm.incident!.drill, true);
    assert.equal((fm.incident as Record<string, unknown>).scenario, 'cvd-incident-response/service-down');
    assert.match(fm.incident!.id, /^DRILL-CVD-\d{8}-\d{4}$/);
    assert.equal(fm.incident!.severity, 'P0');
    for (const name of ['bastion', 'cvd-prod']) assert.deepEqual([fm.hosts![name]!.ssh, (fm.hosts![name] as Record<string, unknown>).drill], ['localhost', true]);
    assert.equal(fm.variables!.DATA_DIR!.default, `${d.session.state}/opt/cvd/data`);
    assert.match(String(fm.variables!.APP_PORT!.default), /^\d+$/);
    assert.equal(fm.connections!['cvd-db']!.path, `${d.session.state}/opt/cvd/data/cvd.db`);
    assert.equal(fm.connections!['cvd-db']!.host, undefined);
    assert.ok(!d.session.text.includes('drill-service-key'), 'drill secrets are handed to the runner, not written');
    const body = (t: string) => t.slice(t.indexOf('\n---\n'));
    // The record adds the drill banner at the top and the log (its drill-start row); no cell of the runbook changed.
    const cells = (t: string) => body(t).replace(/<!-- runbook:drill-briefing -->\n(>.*\n)+\n/, '').replace(/\n<!-- runbook:log -->[\s\S]*$/, '');
    assert.equal(cells(d.session.text), body(readText(join(samplesDir, 'cvd-incident-response.runbook.md'))), 'no cell changed');
    assert.match(d.session.text, /<!-- runbook:drill-briefing -->\n> \*\*🧪 DRILL/);
    assert.equal(d.doc.log?.rows[0]?.event, 'drill-start');
    assert.match(d.session.env.PATH!, /samples\/drills\/_common\/bin/);
    assert.throws(() => drillTargetResolver()('db-9', d.doc.frontMatter!.data), /unknown host/);
    assert.equal(d.session.resolveTarget('cvd-prod', d.doc.frontMatter!.data).kind, 'local');
    assert.deepEqual(d.session.hostMap(), { 'cvd.drill.test': Number(fm.variables!.APP_PORT!.default) });
  });

  it('initial assessment: the service is reported down and unhealthy', async () => {
    const r = await d.run('initial-assessment');
    assert.match(r.text, /^failed\n❌ CVD service is down\nactive\n/m);
    assert.match(r.text, /The requested URL returned error: 503\n/);
    assert.match(r.text, /❌ Health check failed/);
    assert.match(r.text, /Worker \(pid:2219\) was sent SIGKILL! Perhaps out of memory\?/);
    const diag = await d.run('system-health-diagnostics');
    assert.match(diag.text, /× cvd\.service - CVD application \(gunicorn\)\n {5}Loaded: .*\n {5}Active: failed \(Result: oom-kill\)/);
    assert.match(diag.text, /Out of memory: Killed process 2219 \(gunicorn\)/);
    assert.match(diag.text, /gunicorn: master \[cvd\.wsgi:app\]/, 'ps shows the stand-in service');
  });

  it('the database has an integrity problem (shell and SQL cells)', async () => {
    const app = await d.run('application-diagnostics');
    assert.match(app.text, /row 60 missing from index idx_devices_serial\n.*row 120 missing/s);
    assert.match(app.text, /No broken requirements found\./);
    const sql = await d.run('database-health-sql');
    assert.match(sql.text, /missing from index idx_devices_serial/);
  });

  it('stabilization restarts the service (after confirmation); a later health check shows it healthy', async () => {
    const r = await d.run('immediate-stabilization');
    assert.equal(d.confirmations.length, 1);
    assert.equal(d.confirmations[0]!, 'Run "immediate-stabilization" on this machine (drill stand-in for cvd-prod)?');
    assert.match(r.text, /=== Attempting Service Restart ===\n✅ Service restarted successfully\n/);
    assert.match(r.text, /✅ Health check passed/);
    const check = await d.run('status-check-commands');
    assert.match(check.text, /^active\nactive\n\{\n {2}"status": "healthy"/);
    assert.equal(check.exit, 0);
    const status = await d.run('system-health-diagnostics');
    assert.match(status.text, /● cvd\.service - CVD application \(gunicorn\)\n.*\n {5}Active: active \(running\)/);
    assert.deepEqual(d.asked, [], 'every variable came from the drill');
    assert.equal(d.prompts.length, 1, `the stand-in sudo asked once, like sudo: ${JSON.stringify(d.prompts)}`);
    assert.match(d.prompts[0]!, /^\[sudo\] password for \S+:$/);
    assert.ok(!serializeRunbook(d.doc).includes('drill-operator-password'), 'the typed password is not in the record');
  });

  it('the stand-ins keep hard-coded paths and other processes out of reach', async () => {
    const r = await d.run('emergency-log-clearing');
    assert.equal(r.exit, 1);
    assert.match(r.text, /sudo: \[drill\] refusing to touch \/var\/log\/nginx\/error\.log/);
    const notify = await d.run('communication-setup');
    assert.match(notify.text, /Incident ID: CVD-\d{8}-\d{6}\nok/);
    assert.match(readFileSync(join(d.session.state, 'notifications.log'), 'utf8'), /POST .*\/_drill\/notify\/slack .*Investigation started/);
  });

  it('resolves with the post-incident and drill reports, and exports the timeline', async () => {
    resolveIncident(d.doc, { now: new Date(), operator: 'alice', sections: (doc) => [drillReport(doc, scenario.manifest).markdown] });
    const text = serializeRunbook(d.doc);
    const back = parseRunbook(text);
    assert.equal(serializeRunbook(back), text);
    assert.deepEqual(verifyChain(back.log!.rows), { ok: true });
    const report = drillReport(back, scenario.manifest);
    assert.deepEqual(report.steps.map((s) => [s.cell, s.ok]), [
      ['initial-assessment', true], ['application-diagnostics', true], ['immediate-stabilization', true], ['status-check-commands', true]]);
    assert.equal(report.targetMs, 15 * 60_000);
    assert.equal(report.recoveredWithinTarget, true);
    assert.match(text, /## Post-incident report \(drill\)/);
    assert.match(text, /### Drill: time to each step[\s\S]*\| Stabilize \| `immediate-stabilization` \|/);
    assert.match(text, /\*\*Time to recovery\*\*: \+\d\d:\d\d, target 15:00: met\./);
    const html = exportHtml(back, {});
    assert.match(html, /<h3>Timeline<\/h3>/);
    assert.match(html, /Ran <code>initial-assessment<\/code> on .*\(drill cvd-prod\) → exit 0/);
    assert.match(html, /Confirmed <code>immediate-stabilization<\/code>/);
    assert.match(html, /❌ CVD service is down/);
    assert.match(html, /<span class="badge drill">DRILL<\/span>/);
  });

  it('teardown leaves no process and no state behind', async () => {
    const state = d.session.state;
    assert.ok(drillProcesses(state).length >= 1, 'the stand-in service runs until teardown');
    await d.end();
    assert.deepEqual(drillProcesses(state), []);
    assert.equal(existsSync(state), false);
    assert.throws(() => d.session.resolveTarget('cvd-prod', d.doc.frontMatter!.data), /the drill is over/);
  });
});

describe('drills of the other samples: setup, symptom, steps, teardown', { timeout: 300_000 }, () => {
  for (const scenario of scenarios.filter((s) => !s.manifest.id.startsWith('cvd-incident-response/'))) {
    it(scenario.manifest.id, async () => {
      const d = await drill(scenario);
      const state = d.session.state;
      try {
        const symptom = await d.run(scenario.manifest.symptom.cell);
        assert.ok(symptom.text.includes(scenario.manifest.symptom.expect), `symptom in ${scenario.manifest.symptom.cell}:\n${symptom.text}`);
        for (const step of scenario.manifest.steps) {
          const r = await d.run(step.cell);
          if (step.expect) assert.ok(r.text.includes(step.expect), `${step.phase} (${step.cell}) should print "${step.expect}":\n${r.text}`);
        }
        assert.deepEqual(d.asked, [], 'every variable came from the drill');
    assert.ok(!serializeRunbook(d.doc).includes('drill-operator-password'), 'the typed password is not in the record');
        const report = drillReport(d.doc, scenario.manifest);
        assert.ok(report.recoveryMs !== undefined, 'the recovery step succeeded');
        assert.ok(drillProcesses(state).length >= 1);
      } finally {
        await d.end();
      }
      assert.deepEqual(drillProcesses(state), []);
      assert.equal(existsSync(state), false);
    });
  }
});

describe('drill report', () => {
  const text = readText(join(samplesDir, 'sme-erp-incident-response.runbook.md'));
  const manifest = scenarios.find((s) => s.manifest.id === 'sme-erp-incident-response/replica-failure')!.manifest;
  const start = new Date('2026-11-23T05:00:00Z');
  function record(steps: [string, number, number][]): RunbookDocument {
    const doc = parseRunbook(startIncident(parseRunbook(text), { severity: 'P2', operator: 'a', now: start, drill: true }).text);
    doc.log = { raw: '', rows: [], parsedCount: 0 };
    for (const [cell, min, exit] of steps) {
      appendRow(doc.log.rows, { time: new Date(start.getTime() + min * 60_000).toISOString(), operator: 'a', target: 'drill', cell, event: 'run', exit, ms: 1000, digest: digestOf(cell, '') });
    }
    return doc;
  }

  it('times each step from the start against the severity target (P2: 1h)', () => {
    const r = drillReport(record([['enter-erp-dir', 2, 0], ['replica-status', 10, 0], ['resource-usage', 12, 0], ['failover-to-primary', 50, 0], ['verify-failover', 75, 0]]), manifest);
    assert.equal(r.targetMs, 3_600_000);
    assert.deepEqual(r.steps.map((s) => [s.cell, s.elapsedMs, s.withinTarget]), [
      ['enter-erp-dir', 121_000, true], ['replica-status', 601_000, true], ['failover-to-primary', 3_001_000, true], ['verify-failover', 4_501_000, false]]);
    assert.equal(r.recoveryMs, 4_501_000);
    assert.equal(r.recoveredWithinTarget, false);
    assert.deepEqual(r.extra, ['resource-usage']);
    assert.match(r.markdown, /\| Verify \(recovery\) \| `verify-failover` \| 06:15:01 \| \+1:15:01 \| ok \| ✘ no \|/);
    assert.match(r.markdown, /\*\*Time to recovery\*\*: \+1:15:01, target 1:00:00: missed\./);
    assert.match(r.markdown, /Other cells run: `resource-usage`\./);
  });

  it('marks steps not done and a failed recovery', () => {
    const r = drillReport(record([['enter-erp-dir', 1, 0], ['verify-failover', 3, 7]]), manifest);
    assert.deepEqual(r.steps.map((s) => s.doneAt === undefined), [false, true, true, false]);
    assert.equal(r.recoveryMs, undefined);
    assert.match(r.markdown, /\| Detect \| `replica-status` \| {3}\| {3}\| not done \| {3}\|/);
    assert.match(r.markdown, /not reached/);
  });

  it('works without a scenario: every cell run, in order', () => {
    const r = drillReport(record([['enter-erp-dir', 1, 0], ['replica-status', 2, 0], ['enter-erp-dir', 3, 0]]));
    assert.deepEqual(r.steps.map((s) => s.cell), ['enter-erp-dir', 'replica-status']);
    assert.equal(r.recoveryMs, 121_000);
  });
});

