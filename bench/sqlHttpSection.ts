// Benchmarks for SQL and HTTP cells against real local servers started by the test harness, each next to the
// command-line tool an engineer would otherwise use, in the same run:
//   - a 10,000-row PostgreSQL query rendered into a cell (SqlExecutor) vs `psql -c` of it to /dev/null (≤ 2x);
//   - an HTTP cell (HttpExecutor) vs `curl` of the same local endpoint (≤ 1x).
// Servers are started (and stopped) inside each section; a section that cannot run reports a failed check.
import { spawn, spawnSync } from 'node:child_process';
import { openSync, closeSync } from 'node:fs';
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
    const rows = [
      await timeAsync(PSQL, psqlBytes, () => runQuiet(psqlArgv, env), options, '(reference: real psql binary, not the perl wrapper)'),
      await timeAsync(SQL_CELL, cellBytes, () => full.run(req), options),
      await timeAsync('SqlExecutor.run: default row cap (500 shown)', Buffer.byteLength(cappedSample.outputs[0]?.text ?? ''), () => capped.run(req), options, '(info)'),
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
    const rows = [
      await timeAsync(CURL, bodyBytes, () => runQuiet(['curl', '-s', '-o', '/dev/null', '-H', 'Accept: application/json', url], process.env), runs, '(reference)'),
      await timeAsync(HTTP_CELL, bodyBytes, () => exec.run(req), runs),
      await timeAsync('fetch + text() alone', bodyBytes, async () => (await fetch(url)).text(), runs, '(info)'),
    ];
    exec.dispose();
    return {
      rows,
      reference: CURL,
      targets: [{ name: 'HTTP cell no slower than curl', row: HTTP_CELL, maxRatio: 1 }],
      checks: [
        { name: 'cell got 200 with a pretty-printed JSON body', ok: sample.exitCode === 0 && sample.outputs[0]?.meta.status === 200 && /\n {2}"service": "cvd"/.test(sample.outputs[0]?.text ?? '') },
      ],
      notes: [
        `local node:http server (test/harness/httpServer.ts) at ${server.url}; ${runs.warmup} warm-up + median of ${runs.runs} runs`,
        'curl pays a process start per request; the cell runs inside the already running extension host, as in VS Code',
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
