// PromQL cells against a real Prometheus (Debian's, started by test/harness/prometheus.ts on a loopback port,
// scraping itself): instant tables, range queries with their SVG chart beside the record, variables,
// Prometheus's own error message, an unreachable server, and the tunnel hook.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createServer } from 'node:http';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { readFrontMatter } from '../../src/core/format/frontMatter.js';
import { languageIdOf, runnerOf } from '../../src/core/format/languages.js';
import { PrometheusExecutor, type PrometheusExecutorOptions } from '../../src/core/prometheus/index.js';
import type { ExecutionRequest } from '../../src/core/contract/types.js';
import { parseRunbook, serializeRunbook } from '../../src/core/format/index.js';
import { verifyRecord } from '../../src/core/log/verifyRecord.js';
import { freePort } from '../harness/ports.js';
import { startCli } from './cliProcess.js';
import { requirement } from '../harness/requirement.js';
import { repoRoot } from './helpers.js';
import { prometheusSkipReason, startPrometheus, type PrometheusServer } from '../harness/prometheus.js';

const LOCAL = { name: 'local', kind: 'local' as const, label: 'me@here', user: 'me', host: 'here' };
const req = (source: string, attributes: ExecutionRequest['attributes'] = {}, extra: Partial<ExecutionRequest> = {}): ExecutionRequest =>
  ({ source, language: 'promql', attributes, cellName: 'cell-1', target: LOCAL, variables: {}, ...extra });

describe('promql cells: language and front matter', () => {
  it('maps ```promql to the prometheus runner and accepts driver: prometheus', () => {
    assert.equal(runnerOf(languageIdOf('promql')), 'prometheus');
    const fm = readFrontMatter('---\nconnections:\n  prom:\n    driver: prometheus\n    url: http://127.0.0.1:9090\n    tokenVariable: PROM_TOKEN\n---\n');
    assert.deepEqual(fm.errors, []);
    assert.equal(fm.data?.connections?.prom?.driver, 'prometheus');
  });

  it('contributes the promql language: VS Code runs a cell only in a language it knows (found by the e2e check)', () => {
    const pkg = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { contributes: { languages: { id: string }[] } };
    assert.ok(pkg.contributes.languages.some((l) => l.id === 'promql'));
  });
});

describe('the chart image line of an output (docs/DESIGN-NOTES.md "PromQL charts in the record")', () => {
  const cell = '```promql {name=c db=prom range=1h}\nup\n```\n';
  const meta = '{"cell":"c","exit":0,"kind":"promql","chart":"r.runbook/c.svg"}';
  it('reads a record written before the image line (the link inside the code block) as it was, byte for byte', () => {
    const old = `${cell}\n<!-- runbook:output ${meta} -->\n\`\`\`markdown\n1 series\n\n![c: up](r.runbook/c.svg)\n\`\`\`\n<!-- /runbook:output -->\n`;
    const doc = parseRunbook(old);
    const c = doc.cells[0]!;
    assert.ok(c.kind === 'code' && c.outputs.length === 1);
    assert.equal(c.outputs[0]!.image, undefined);
    assert.match(c.outputs[0]!.text, /!\[c: up\]\(r\.runbook\/c\.svg\)/);
    assert.equal(serializeRunbook(doc), old);
  });

  it('writes a folded output\'s image after </details> (visible while the table is folded) and reads it back', () => {
    const doc = parseRunbook(cell);
    const c = doc.cells[0]!;
    assert.ok(c.kind === 'code');
    const text = Array.from({ length: 30 }, (_, i) => `| s${i} | 1 |`).join('\n') + '\n';
    c.outputs.push({ meta: { cell: 'c', exit: 0, started: '2026-11-23T05:19:00Z', ms: 5 }, text, lang: 'markdown', image: { alt: 'c: up [1h]\nx', src: 'r (1).runbook/c.svg' } });
    const out = serializeRunbook(doc);
    assert.match(out, /\n```\n\n<\/details>\n\n!\[c: up 1h x\]\(r%20%281%29\.runbook\/c\.svg\)\n<!-- \/runbook:output -->\n$/);
    const back = parseRunbook(out).cells[0]!;
    assert.ok(back.kind === 'code');
    assert.deepEqual(back.outputs[0]!.image, { alt: 'c: up 1h x', src: 'r%20%281%29.runbook/c.svg' });
    assert.equal(back.outputs[0]!.text, text);
    assert.equal(serializeRunbook(parseRunbook(out)), out);
  });

  it('leaves a block with two image lines, or prose after the image, as prose (not an output)', () => {
    for (const tail of ['![a](b.svg)\n![a](c.svg)\n', '![a](b.svg)\nprose\n', '![a](b c.svg)\n']) {
      const text = `${cell}\n<!-- runbook:output ${meta} -->\n\`\`\`markdown\nx\n\`\`\`\n${tail}<!-- /runbook:output -->\n`;
      const doc = parseRunbook(text);
      assert.deepEqual(doc.cells[0]!.kind === 'code' && doc.cells[0]!.outputs, [], tail);
      assert.equal(serializeRunbook(doc), text);
    }
  });
});

describe('promql cells against a real Prometheus', { skip: requirement(prometheusSkipReason()) }, () => {
  let prom: PrometheusServer;
  let dir: string;
  const executors: PrometheusExecutor[] = [];
  const make = (o: Partial<PrometheusExecutorOptions> = {}, url?: string): PrometheusExecutor => {
    const e = new PrometheusExecutor({ connections: { prom: { driver: 'prometheus', url: url ?? prom.url } }, ...o });
    executors.push(e);
    return e;
  };

  before(async () => {
    prom = await startPrometheus();
    dir = mkdtempSync(join(tmpdir(), 'rb-promql-'));
  });
  after(async () => {
    executors.forEach((e) => e.dispose());
    await prom?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('renders an instant query as a table of series with the time and a digest of the data', async () => {
    const r = await make().run(req('up{job="prometheus"}', { db: 'prom' }));
    assert.equal(r.exitCode, 0, r.message);
    const o = r.outputs[0]!;
    assert.equal(o.lang, 'markdown');
    assert.equal(o.meta.kind, 'promql');
    assert.equal(o.meta.series, 1);
    assert.match(String(o.meta.time), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/);
    assert.match(String(o.meta.data), /^sha256:[0-9a-f]{64}$/);
    assert.match(o.text, /^1 series · at \d{4}-.*Z · \d+ ms\n\n\| metric +\| instance +\| job +\| value \|/);
    assert.match(o.text, /\| up +\| 127\.0\.0\.1:\d+ \| prometheus \| +1 \|/);
    assert.match(r.command, /^up\{job="prometheus"\} @ \d{4}-/);
  });

  it('substitutes {{NAME}}, ${NAME} and $NAME and records the query that was sent', async () => {
    const r = await make().run(req('count(up{job="{{JOB}}", instance=~"$INSTANCE|${INSTANCE}"})', {}, { variables: { JOB: 'prometheus', INSTANCE: `127.0.0.1:${prom.port}` } }));
    assert.equal(r.exitCode, 0, r.message);
    assert.equal(r.outputs[0]!.meta.query, `count(up{job="prometheus", instance=~"127.0.0.1:${prom.port}|127.0.0.1:${prom.port}"})`);
    assert.match(r.outputs[0]!.text, /\| \{\} +\| +1 \|/);
  });

  it('runs a range query and writes an SVG chart beside the record, linked relatively', async () => {
    const record = join(dir, 'incident-42.runbook.md');
    const r = await make({ recordPath: () => record }).run(req('up', { range: '30s', step: '1s' }, { cellName: 'up-now' }));
    assert.equal(r.exitCode, 0, r.message);
    const o = r.outputs[0]!;
    assert.equal(o.meta.step, 1);
    assert.equal(o.meta.chart, 'incident-42.runbook/up-now.svg');
    assert.match(o.text, /\| metric +\| instance +\| job +\| samples \| min \| max \| last \|/);
    // The image goes after the code block (where GitHub shows it), not inside the output's text.
    assert.doesNotMatch(o.text, /!\[/);
    assert.deepEqual(o.image, { alt: 'up-now: up', src: 'incident-42.runbook/up-now.svg' });
    const svg = readFileSync(join(dir, 'incident-42.runbook', 'up-now.svg'), 'utf8');
    assert.equal(o.svg, svg, 'the notebook shows the same chart as the file beside the record');
    assert.match(svg, /^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
    assert.match(svg, /<polyline [^>]*points="[\d.]+,[\d.]+ [\d.]+,[\d.]+/);
    assert.match(svg, /up\{instance=&quot;127\.0\.0\.1:\d+&quot;, job=&quot;prometheus&quot;\}/);
  });

  it('writes no chart without a record file, and none for an instant query', async () => {
    const record = join(dir, 'other.runbook.md');
    const r = await make({ recordPath: () => record }).run(req('up'));
    assert.equal(r.exitCode, 0, r.message);
    assert.equal(existsSync(join(dir, 'other.runbook')), false);
    const r2 = await make().run(req('up', { range: '10s' }));
    assert.equal(r2.exitCode, 0, r2.message);
    assert.equal(r2.outputs[0]!.meta.chart, undefined);
  });

  it("shows Prometheus's own message for a bad query", async () => {
    const r = await make().run(req('sum(rate(up[5m])', { db: 'prom' }));
    assert.equal(r.exitCode, 1);
    assert.match(r.message!, /^Prometheus "prom" refused the query \(bad_data\): .*parse error/);
    assert.equal(r.outputs[0]!.meta.stream, 'stderr');
    assert.match(r.outputs[0]!.text, /^ERROR: Prometheus "prom" refused the query/);
  });

  it('says clearly when the server cannot be reached', async () => {
    const port = await freePort();
    const r = await make({}, `http://127.0.0.1:${port}`).run(req('up'));
    assert.equal(r.exitCode, 1);
    assert.match(r.message!, new RegExp(`^cannot reach Prometheus "prom" at http://127\\.0\\.0\\.1:${port}: .*ECONNREFUSED`));
  });

  it('goes through the tunnel hook for a connection with host:, and fails clearly without it', async () => {
    const calls: string[] = [];
    const e = new PrometheusExecutor({
      connections: { prom: { driver: 'prometheus', url: 'http://prometheus.internal:9090', host: 'bastion' } },
      connect: async (host, port, via) => {
        calls.push(`${via}->${host}:${port}`);
        return { host: '127.0.0.1', port: prom.port, close: () => calls.push('closed') };
      },
    });
    executors.push(e);
    const r = await e.run(req('up'));
    assert.equal(r.exitCode, 0, r.message);
    assert.deepEqual(calls, ['bastion->prometheus.internal:9090', 'closed']);
    const bare = new PrometheusExecutor({ connections: { prom: { driver: 'prometheus', url: 'http://prometheus.internal:9090', host: 'bastion' } } });
    const r2 = await bare.run(req('up'));
    assert.equal(r2.exitCode, 1);
    assert.match(r2.message!, /SSH tunnelling needs the SSH transport.*through host "bastion"/);
  });

  it('needs the token variable when one is named, and never shows the token', async () => {
    const e = make({ secrets: [] }, undefined);
    const conns = { prom: { driver: 'prometheus', url: prom.url, tokenVariable: 'PROM_TOKEN' } };
    const withToken = new PrometheusExecutor({ connections: conns });
    executors.push(e, withToken);
    const missing = await withToken.run(req('up'));
    assert.equal(missing.exitCode, 1);
    assert.match(missing.message!, /variable PROM_TOKEN, which has no value/);
    const token = 'tok-5ecret-value-123';
    const r = await withToken.run(req('label_replace(up, "t", "$PROM_TOKEN", "", "")', {}, { variables: { PROM_TOKEN: token } }));
    assert.equal(r.exitCode, 0, r.message);
    assert.doesNotMatch(JSON.stringify(r), /tok-5ecret-value-123/);
    // The token reaches the server as a bearer token (a loopback server standing in for an auth proxy).
    const seen: string[] = [];
    const proxy = createServer((q, res) => {
      seen.push(String(q.headers.authorization));
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ status: 'success', data: { resultType: 'scalar', result: [1, '42'] } }));
    });
    await new Promise<void>((ok) => proxy.listen(0, '127.0.0.1', ok));
    try {
      const viaProxy = new PrometheusExecutor({ connections: { prom: { ...conns.prom, url: `http://127.0.0.1:${(proxy.address() as { port: number }).port}/prom` } } });
      const r3 = await viaProxy.run(req('vector(42)', {}, { variables: { PROM_TOKEN: token } }));
      assert.equal(r3.exitCode, 0, r3.message);
      assert.deepEqual(seen, [`Bearer ${token}`]);
      assert.match(r3.outputs[0]!.text, /\| \{\} +\| +42 \|/);
    } finally {
      await new Promise((ok) => proxy.close(ok));
    }
  });

  it('runbook run: a promql cell writes its table, its chart beside the record and a log row', async () => {
    const file = join(dir, 'metrics.runbook.md');
    writeFileSync(file, [
      '---', 'connections:', '  prom:', '    driver: prometheus', `    url: ${prom.url}`, 'variables:', '  JOB:', '    default: prometheus', '---', '',
      '```promql {name=targets-up db=prom range=20s step=2s}', 'up{job="$JOB"}', '```', '',
    ].join('\n'));
    const out = join(dir, 'INC-1-metrics.runbook.md');
    const run = startCli(['run', file, '--all', '--out', out]);
    assert.equal(await run.exited(), 0, run.stderr());
    const record = readFileSync(out, 'utf8');
    assert.match(record, /<!-- runbook:output \{"cell":"targets-up",.*"kind":"promql".*"chart":"INC-1-metrics\.runbook\/targets-up\.svg"/);
    // After the output's code block, inside its block: ```, a blank line, the image line, the closing comment.
    assert.match(record, /\n```\n\n!\[targets-up: up\{job="prometheus"\}\]\(INC-1-metrics\.runbook\/targets-up\.svg\)\n<!-- \/runbook:output -->\n/);
    assert.match(readFileSync(join(dir, 'INC-1-metrics.runbook', 'targets-up.svg'), 'utf8'), /<polyline /);
    const doc = parseRunbook(record);
    assert.equal(doc.log?.rows.length, 1);
    assert.equal(doc.log?.rows[0]!.event, 'run');
    assert.equal(doc.log?.rows[0]!.exit, 0);
    const cell = doc.cells.find((c) => c.kind === 'code');
    assert.deepEqual(cell?.kind === 'code' && cell.outputs[0]!.image, { alt: 'targets-up: up{job="prometheus"}', src: 'INC-1-metrics.runbook/targets-up.svg' });
    assert.deepEqual(verifyRecord(record).problems, []);
    // The log row's digest covers the image line: another picture, or none, is an edited record.
    const swapped = record.replace('](INC-1-metrics.runbook/targets-up.svg)', '](INC-1-metrics.runbook/other.svg)');
    assert.notEqual(swapped, record);
    assert.match(verifyRecord(swapped).problems.join('\n'), /targets-up/);
    const dropped = record.replace(/\n\n!\[targets-up[^\n]*\n/, '\n');
    assert.notEqual(dropped, record);
    assert.match(verifyRecord(dropped).problems.join('\n'), /targets-up/);
  });
});

