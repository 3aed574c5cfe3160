// Alert → incident: a real Alertmanager (Debian's, on loopback) receives an alert on its API v2 and posts
// its webhook (payload version 4) to a server in this test; `runbook incident start --alert` starts the
// incident from that payload: variables from labels, severity from the alert, `incident.alert` in the
// record, and the alert in the post-incident report.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { incidentCommand } from '../../src/cli/incident.js';
import { main } from '../../src/cli/main.js';
import { parseRunbook } from '../../src/core/format/index.js';
import { alertFromPayload, alertSeverity, alertVariables } from '../../src/core/incident/alert.js';
import { alertUrlTemplate, EXTENSION_ID } from '../../src/core/incident/alertUrl.js';
import { alertmanagerSkipReason, startAlertmanager, type AlertmanagerServer } from '../harness/alertmanager.js';
import { prometheusSkipReason, startPrometheus } from '../harness/prometheus.js';
import { requirement } from '../harness/requirement.js';
import { repoRoot } from './helpers.js';

const RUNBOOK = `---
title: Disk full
severity:
  critical: 15m
  warning: 1h
variables:
  INSTANCE:
    prompt: Which node exporter target?
  Job:
    default: node
  API_TOKEN:
    secret: true
---

# Disk full

\`\`\`bash {name=df}
ssh "\${INSTANCE%%:*}" df -h
\`\`\`
`;

async function start(dir: string, payload: string, extra: string[] = []): Promise<{ code: number; out: string[]; record: string }> {
  const runbook = join(dir, 'disk-full.runbook.md');
  writeFileSync(runbook, RUNBOOK);
  const alertFile = join(dir, `alert-${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(alertFile, payload);
  const outDir = mkdtempSync(join(dir, 'incidents-'));
  const out: string[] = [];
  const code = await incidentCommand(['start', runbook, '--alert', alertFile, '--dir', outDir, '--operator', 'alice', '--now', '2026-11-23T05:12:00Z', ...extra], (s) => out.push(s));
  const files = readdirSync(outDir);
  return { code, out, record: files.length ? readFileSync(join(outDir, files[0]!), 'utf8') : '' };
}

describe('alert payloads', () => {
  const payload = (alerts: unknown[]): string => JSON.stringify({ version: '4', receiver: 'hook', status: 'firing', alerts });
  it('picks the alert by index and says clearly when there is none', () => {
    const p = payload([{ labels: { alertname: 'A' } }, { labels: { alertname: 'B', severity: 'WARNING' } }]);
    assert.equal(alertFromPayload(p, 1).labels.alertname, 'B');
    assert.throws(() => alertFromPayload(p, 2), /--alert-index 2: the payload holds 2 alert\(s\)/);
    assert.throws(() => alertFromPayload('{"version":"3","alerts":[{}]}'), /unsupported Alertmanager webhook payload version "3"/);
    assert.throws(() => alertFromPayload('nope'), /not JSON/);
  });
  it('matches severity and variable names case-insensitively, never filling a secret', () => {
    const a = alertFromPayload(payload([{ labels: { alertname: 'B', severity: 'WARNING', instance: 'db1', api_token: 'x', job: 'n' } }]));
    assert.equal(alertSeverity(a, ['critical', 'warning']), 'warning');
    assert.equal(alertSeverity(a, ['sev1']), undefined);
    const fm = parseRunbook(RUNBOOK).frontMatter?.data;
    assert.deepEqual(alertVariables(a, fm), { INSTANCE: 'db1', Job: 'n' });
  });
});

describe('incident start --alert with a real Alertmanager webhook', { skip: requirement(alertmanagerSkipReason()) }, () => {
  let am: AlertmanagerServer;
  let hook: Server;
  let dir: string;
  const received: string[] = [];
  const waiters: Array<() => void> = [];

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'rb-alert-'));
    hook = createServer((req, res) => {
      let body = '';
      req.on('data', (d: Buffer) => (body += d.toString()));
      req.on('end', () => {
        received.push(body);
        res.end('ok');
        waiters.splice(0).forEach((w) => w());
      });
    });
    await new Promise<void>((r) => hook.listen(0, '127.0.0.1', r));
    const port = (hook.address() as { port: number }).port;
    am = await startAlertmanager(`http://127.0.0.1:${port}/hook`);
  });
  after(async () => {
    await am?.stop();
    await new Promise((r) => hook?.close(r));
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  async function webhookFor(alertname: string): Promise<string> {
    const deadline = Date.now() + 30_000;
    for (;;) {
      const hit = received.find((b) => b.includes(`"alertname":"${alertname}"`));
      if (hit) return hit;
      if (Date.now() > deadline) throw new Error(`no webhook for ${alertname} within 30 s (got ${received.length})`);
      await new Promise<void>((r) => {
        waiters.push(r);
        setTimeout(r, 500);
      });
    }
  }

  it('starts an incident from the posted webhook: variables, severity, incident.alert, report', async () => {
    await am.postAlerts([{
      labels: { alertname: 'NodeDiskFull', instance: 'db1.example:9100', job: 'node', severity: 'critical' },
      annotations: { summary: 'Disk / is 97% full on db1', runbook_url: 'vscode://x/incident?runbook=disk-full.runbook.md' },
      generatorURL: 'http://prometheus.example:9090/graph?g0.expr=disk_free',
      startsAt: '2026-11-23T05:10:00Z',
    }]);
    const payload = await webhookFor('NodeDiskFull');
    assert.equal(JSON.parse(payload).version, '4');
    const { code, out, record } = await start(dir, payload);
    assert.equal(code, 0);
    assert.match(out.join('\n'), /from alert NodeDiskFull: severity critical; INSTANCE=db1\.example:9100, Job=node/);
    const fm = parseRunbook(record).frontMatter!;
    assert.deepEqual(fm.errors, []);
    const data = fm.data!;
    assert.equal(data.incident?.severity, 'critical');
    assert.equal(data.variables?.INSTANCE?.default, 'db1.example:9100');
    assert.equal(data.variables?.Job?.default, 'node');
    assert.equal(data.variables?.API_TOKEN?.default, undefined);
    const alert = (data.incident as Record<string, unknown>).alert as Record<string, unknown>;
    assert.deepEqual(alert.labels, { alertname: 'NodeDiskFull', instance: 'db1.example:9100', job: 'node', severity: 'critical' });
    assert.equal((alert.annotations as Record<string, string>).summary, 'Disk / is 97% full on db1');
    assert.equal(alert.startsAt, '2026-11-23T05:10:00Z');
    assert.equal(alert.generatorURL, 'http://prometheus.example:9090/graph?g0.expr=disk_free');
    assert.equal(alert.status, 'firing');

    const recordFile = join(dir, 'record.runbook.md');
    writeFileSync(recordFile, record);
    assert.equal(await incidentCommand(['resolve', recordFile, '--operator', 'alice', '--now', '2026-11-23T06:00:00Z'], () => {}), 0);
    const report = readFileSync(recordFile, 'utf8');
    assert.match(report, /- \*\*Alert\*\*: NodeDiskFull \(firing, since 2026-11-23T05:10:00Z\) · \[source\]\(http:\/\/prometheus\.example:9090\/graph\?g0\.expr=disk_free\)/);
    assert.match(report, / {2}- labels: `alertname=NodeDiskFull` `instance=db1\.example:9100` `job=node` `severity=critical`/);
    assert.match(report, / {2}- summary: Disk \/ is 97% full on db1/);
  });

  it('uses --severity over the alert, and refuses when the alert names no level of the runbook', async () => {
    await am.postAlerts([{ labels: { alertname: 'OddSeverity', instance: 'db2:9100', severity: 'page' }, startsAt: '2026-11-23T05:10:00Z' }]);
    const payload = await webhookFor('OddSeverity');
    await assert.rejects(start(dir, payload), /the alert's severity label \(page\) names none of the runbook's levels: give --severity/);
    const { code, record } = await start(dir, payload, ['--severity', 'warning']);
    assert.equal(code, 0);
    assert.equal(parseRunbook(record).frontMatter!.data!.incident?.severity, 'warning');
  });
});

describe('runbook alert-url', () => {
  it('names this extension, the runbook and the labels that fill its variables (never a secret)', async () => {
    const pkg = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { publisher: string; name: string };
    assert.equal(EXTENSION_ID, `${pkg.publisher}.${pkg.name}`);
    const dir = mkdtempSync(join(tmpdir(), 'rb-alert-url-'));
    try {
      mkdirSync(join(dir, 'runbooks'));
      const file = join(dir, 'runbooks', 'disk full.runbook.md');
      writeFileSync(file, RUNBOOK);
      const out: string[] = [];
      assert.equal(await main(['alert-url', file, '--workspace', dir, '--severity', 'critical'], (s) => out.push(s)), 0);
      assert.deepEqual(out, [`vscode://${EXTENSION_ID}/incident?runbook=runbooks%2Fdisk%20full.runbook.md&severity=critical&instance={{ $labels.instance | urlquery }}&job={{ $labels.job | urlquery }}`]);
      assert.equal(await main(['alert-url', file, '--workspace', join(dir, 'runbooks', 'nested')], () => {}), 2);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('is expanded by a real Prometheus in a rule\'s runbook_url annotation', { skip: requirement(prometheusSkipReason()) }, async () => {
    const template = alertUrlTemplate('runbooks/disk-full.runbook.md', parseRunbook(RUNBOOK).frontMatter?.data, 'critical');
    const rules = [
      'groups:', '  - name: disk', '    rules:', '      - alert: NodeDiskFull', '        expr: label_replace(vector(1), "instance", "db1.example:9100", "", "")',
      '        labels:', '          severity: critical',
      '        annotations:', `          runbook_url: ${JSON.stringify(template)}`, '',
    ].join('\n');
    const prom = await startPrometheus({ rules });
    try {
      let url = '';
      const deadline = Date.now() + 30_000;
      while (!url && Date.now() < deadline) {
        const body = (await (await fetch(`${prom.url}/api/v1/alerts`)).json()) as { data: { alerts: Array<{ annotations: Record<string, string> }> } };
        url = body.data.alerts[0]?.annotations.runbook_url ?? '';
        if (!url) await new Promise((r) => setTimeout(r, 200));
      }
      assert.equal(url, `vscode://${EXTENSION_ID}/incident?runbook=runbooks%2Fdisk-full.runbook.md&severity=critical&instance=db1.example%3A9100&job=`);
    } finally {
      await prom.stop();
    }
  });
});

describe('the alerts sample (samples/alerts/node-disk-full.runbook.md)', () => {
  it('validates, and its rule\'s runbook_url is what runbook alert-url prints for it', async () => {
    const file = join(repoRoot, 'samples', 'alerts', 'node-disk-full.runbook.md');
    const text = readFileSync(file, 'utf8');
    const doc = parseRunbook(text);
    assert.deepEqual(doc.frontMatter?.errors, []);
    assert.equal(doc.frontMatter?.data?.connections?.prom?.driver, 'prometheus');
    assert.ok(doc.cells.filter((c) => c.kind === 'code' && c.language === 'promql').length >= 3);
    const out: string[] = [];
    assert.equal(await main(['alert-url', file, '--workspace', repoRoot, '--severity', 'critical'], (s) => out.push(s)), 0);
    const annotation = /runbook_url: "([^"]+)"/.exec(text)?.[1];
    assert.equal(annotation, out[0]);
  });

  it('README shows the full loop: the rule with that runbook_url, the link in VS Code, the record with a chart', () => {
    const readme = readFileSync(join(repoRoot, 'README.md'), 'utf8');
    const section = readme.slice(readme.indexOf('### From alert to incident record'));
    const sample = readFileSync(join(repoRoot, 'samples', 'alerts', 'node-disk-full.runbook.md'), 'utf8');
    assert.equal(/runbook_url: "([^"]+)"/.exec(section)?.[1], /runbook_url: "([^"]+)"/.exec(sample)?.[1]);
    for (const want of ['- alert: NodeDiskAlmostFull', 'expr: ', 'severity: critical', `vscode://${EXTENSION_ID}/incident?runbook=PATH`,
      'runbook incident start RUNBOOK --alert payload.json', '<!-- runbook:output', '![free-bytes-6h:']) {
      assert.ok(section.includes(want), `README's loop shows ${want}`);
    }
  });
});
