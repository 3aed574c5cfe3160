// Benchmarks for SQL and HTTP cells against real local servers started by the test harness, each next to the
// command-line tool an engineer would otherwise use, in the same run:
//   - a 10,000-row PostgreSQL query rendered into a cell (SqlExecutor) vs `psql -c` of it to /dev/null (≤ 2x);
//   - an HTTP cell (HttpExecutor) vs `curl` of the same local endpoint (≤ 1x).
// The executor rows run inside this Node process (as cells do in the extension host), while psql and curl are
// whole processes; so each section also times `runbook run` of one cell as a whole process (node dist/cli.js:
// start Node, load the bundle, read the runbook, run the cell, write the record), like for like.
// Servers are started (and stopped) inside each section; a section that cannot run reports a failed check.
import { spawn, spawnSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HttpExecutor } from '../src/core/http/index.js';
import type { ExecutionRequest } from '../src/core/contract/types.js';
import { SqlExecutor } from '../src/core/sql/index.js';
import { startHttpServer } from '../test/harness/httpServer.js';
import { startPostgres } from '../test/harness/postgres.js';
import { timeAsync as timeLoop, type BenchOptions, type BenchRow, type BenchSection, type SectionResult } from './lib.js';

const QUERY = "SELECT g AS id, md5(g::text) AS hash, timestamptz '2026-11-23 05:12:00+00' + g * interval '1 minute' AS at, g % 7 = 0 AS flagged FROM generate_series(1, 10000) g";
const PSQL = 'psql -c (10,000 rows to /dev/null)';
const SQL_CELL = 'SqlExecutor.run: 10,000 rows rendered (row cap 10,000)';
const CURL = 'curl -s -o /dev/null (GET /json)';
const HTTP_CELL = 'HttpExecutor.run: GET /json cell';
const RUNBOOK_SQL = '`runbook run` of the SQL cell (whole process, CLI row cap 500)';
const RUNBOOK_HTTP = '`runbook run` of the HTTP cell (whole process)';
const REPO = join(__dirname, '..');
let built = false;

/** dist/cli.js, built once per bench run so the process rows time the current code. */
function cli(): string {
  if (!built) {
    const r = spawnSync(process.execPath, [join(REPO, 'scripts', 'build.mjs')], { cwd: REPO, encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`npm run build failed: ${r.stderr}`);
    built = true;
  }
  return join(REPO, 'dist', 'cli.js');
}

/** Times `runbook run FILE --all --out RECORD` of a one-cell runbook as a process (stdout to /dev/null). */
async function runbookRunRow(name: string, bytes: number, runbook: string, env: NodeJS.ProcessEnv, options: BenchOptions, measures: string): Promise<{ row: BenchRow; ok: boolean; detail?: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'rb-bench-cli-'));
  try {
    const file = join(dir, 'one.runbook.md');
    writeFileSync(file, runbook);
    const argv = [process.execPath, cli(), 'run', file, '--all', '--out', join(dir, 'record.runbook.md')];
    // Asynchronously: the HTTP server under test runs in this process and must keep answering.
    const probe = await runQuiet(argv, env).then(() => undefined, (e: Error) => e.message.slice(0, 300));
    const row = await timeAsync(name, bytes, () => runQuiet(argv, env), options, '(like for like)');
    return { row: { ...row, measures }, ok: probe === undefined, detail: probe };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const LOCAL = { name: 'local', kind: 'local' as const, label: 'bench@local', user: 'bench', host: 'local' };

function request(source: string, language: string, attributes: ExecutionRequest['attributes'], variables: Record<string, string> = {}): ExecutionRequest {
  return { source, language, attributes, cellName: 'bench', target: LOCAL, variables };
}

async function timeAsync(name: string, bytes: number, fn: () => Promise<unknown>, options: BenchOptions, note?: string): Promise<BenchRow> {
  const { ms, all } = await timeLoop(fn, options);
  return { name, ms, bytes, all, note };
}

/** Runs a program with stdout to /dev/null; resolves when it exits (rejects on a non-zero status). */
function runQuiet(argv: string[], env: NodeJS.ProcessEnv): Promise<void> {
  return new Promise((resolve, reject) => {
    const devnull = openSync('/dev/null', 'w');
    const child = spawn(argv[0]!, argv.slice(1), { stdio: ['ignore', devnull, 'pipe'], env });
    closeSync(devnull);
    let err = '';
    child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`${argv[0]} exited ${code}: ${err}`))));
  });
}

async function sqlSection(options: BenchOptions): Promise<SectionResult> {
  const pg = await startPostgres();
  try {
    const psql = join(pg.binDir, 'psql');
    const env = { ...process.env, PGPASSWORD: pg.password, PGCONNECT_TIMEOUT: '10' };
    const psqlArgv = [psql, '-X', '-q', '-h', '127.0.0.1', '-p', String(pg.port), '-U', pg.user, '-d', pg.database, '-c', QUERY];
    const psqlBytes = Buffer.byteLength(spawnSync(psqlArgv[0]!, psqlArgv.slice(1), { env, encoding: 'utf8', maxBuffer: 64 << 20 }).stdout ?? '');
    const connections = { bench: { driver: 'postgres' as const, url: pg.url, passwordVariable: 'PGPW' } };
    const full = new SqlExecutor({ connections, rowCap: 10_000, env: {} });
    const capped = new SqlExecutor({ connections, env: {} });
    const req = request(QUERY, 'sql', { db: 'bench' }, { PGPW: pg.password });
    const sample = await full.run(req);
    const sampleText = sample.outputs[0]?.text ?? '';
    const cappedSample = await capped.run(req);
    const cellBytes = Buffer.byteLength(sampleText);
    const viaCli = await runbookRunRow(RUNBOOK_SQL, Buffer.byteLength(cappedSample.outputs[0]?.text ?? ''),
      `---\nconnections:\n  bench: { driver: postgres, url: "${pg.url}" }\n---\n\n\`\`\`sql {name=q db=bench}\n${QUERY}\n\`\`\`\n`,
      env, options, 'whole process: start Node, load dist/cli.js, read the runbook, connect, authenticate, fetch 10,000 rows, render 500 (the CLI\'s row cap), write the record, exit');
    const rows = [
      { ...await timeAsync(PSQL, psqlBytes, () => runQuiet(psqlArgv, env), options, '(reference: real psql binary, not the perl wrapper)'),
        measures: 'whole process: start psql, connect, authenticate, fetch and print 10,000 aligned rows to /dev/null, exit' },
      { ...await timeAsync(SQL_CELL, cellBytes, () => full.run(req), options),
        measures: 'in-process: one SqlExecutor.run in this Node process: connect, authenticate, fetch 10,000 rows, render them as markdown (no process start)' },
      await timeAsync('SqlExecutor.run: default row cap (500 shown)', Buffer.byteLength(cappedSample.outputs[0]?.text ?? ''), () => capped.run(req), options, '(info)'),
      viaCli.row,
    ];
    full.dispose();
    capped.dispose();
    const dataRows = sampleText.split('\n').filter((l) => l.startsWith('| ')).length - 1;
    return {
      rows,
      reference: PSQL,
      targets: [{ name: '10,000-row query rendered into a cell at most 2x psql -c to /dev/null', row: SQL_CELL, maxRatio: 2 }],
      checks: [
        { name: 'cell ran', ok: sample.exitCode === 0, detail: sample.message },
        { name: 'rendered table holds all 10,000 rows', ok: dataRows === 10_000, detail: `${dataRows} table rows, ${(cellBytes / 1024).toFixed(0)} KiB of markdown` },
        { name: 'default cap shows 500 rows and the marker', ok: /… 9,500 more rows not shown \(row cap 500\)$/.test(cappedSample.outputs[0]?.text ?? '') },
        { name: '`runbook run` ran the SQL cell (exit 0)', ok: viaCli.ok, detail: viaCli.detail },
      ],
      notes: [
        `query: ${QUERY}`,
        `psql output ${(psqlBytes / 1024).toFixed(0)} KiB (aligned format); both connect, authenticate (scram-sha-256) and disconnect on every run`,
        `PostgreSQL ${pg.binDir.split('/').at(-2)} started by test/harness/postgres.ts on 127.0.0.1:${pg.port}; ${options.warmup} warm-up + median of ${options.runs} runs`,
      ],
    };
  } finally {
    await pg.stop();
  }
}

async function httpSection(options: BenchOptions): Promise<SectionResult> {
  const server = await startHttpServer();
  try {
    const url = `${server.url}/json`;
    const exec = new HttpExecutor();
    const req = request(`GET ${url}\nAccept: application/json`, 'http', {});
    const sample = await exec.run(req);
    const runs = { warmup: options.warmup * 3, runs: options.runs * 5 };
    const bodyBytes = sample.outputs[0]?.meta.bytes as number ?? 0;
    const viaCli = await runbookRunRow(RUNBOOK_HTTP, bodyBytes, `# one\n\n\`\`\`http {name=get}\nGET ${url}\nAccept: application/json\n\`\`\`\n`,
      process.env, options, 'whole process: start Node, load dist/cli.js, read the runbook, GET over a new connection, pretty-print the body, write the record, exit');
    const rows = [
      { ...await timeAsync(CURL, bodyBytes, () => runQuiet(['curl', '-s', '-o', '/dev/null', '-H', 'Accept: application/json', url], process.env), runs, '(reference)'),
        measures: 'whole process: start curl, connect, GET, write the body to /dev/null, exit' },
      { ...await timeAsync(HTTP_CELL, bodyBytes, () => exec.run(req), runs),
        measures: 'in-process: one HttpExecutor.run in this Node process (as in the extension host): GET, format the response (no process start)' },
      await timeAsync('fetch + text() alone', bodyBytes, async () => (await fetch(url)).text(), runs, '(info)'),
      viaCli.row,
    ];
    exec.dispose();
    return {
      rows,
      reference: CURL,
      targets: [{ name: 'HTTP cell no slower than curl', row: HTTP_CELL, maxRatio: 1 }],
      checks: [
        { name: 'cell got 200 with a pretty-printed JSON body', ok: sample.exitCode === 0 && sample.outputs[0]?.meta.status === 200 && /\n {2}"service": "cvd"/.test(sample.outputs[0]?.text ?? '') },
        { name: '`runbook run` ran the HTTP cell (exit 0)', ok: viaCli.ok, detail: viaCli.detail },
      ],
      notes: [
        `local node:http server (test/harness/httpServer.ts) at ${server.url}; ${runs.warmup} warm-up + median of ${runs.runs} runs`,
        'curl pays a process start per request; the cell runs inside the already running extension host, as in VS Code: the target compares an in-process figure with a whole process, the `runbook run` row is the like-for-like one',
      ],
    };
  } finally {
    await server.stop();
  }
}

/** A section that could not run still prints, with a failed check saying why. */
async function guarded(which: string, fn: () => Promise<SectionResult>): Promise<SectionResult> {
  try {
    return await fn();
  } catch (err) {
    return { rows: [], reference: '', targets: [], checks: [{ name: `${which} benchmark ran`, ok: false, detail: (err as Error).message.split('\n')[0] }], notes: [] };
  }
}

export const sqlBenchSection: BenchSection = {
  title: 'SQL cell: 10,000-row PostgreSQL query rendered vs psql -c',
  run: (options) => guarded('SQL', () => sqlSection(options)),
};

export const httpBenchSection: BenchSection = {
  title: 'HTTP cell latency vs curl (local server)',
  run: (options) => guarded('HTTP', () => httpSection(options)),
};
