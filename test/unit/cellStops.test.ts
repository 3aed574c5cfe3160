// CellStops: the one owner of an executor's running cells' stop signals (SQL, HTTP, PromQL). Unit checks,
// then each executor's dispose() stopping a cell that is still waiting (a real sqlite3, a real loopback
// server that never answers).
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { CellStops } from '../../src/core/contract/cellStops.js';
import type { ExecutionRequest, ExecutionResult } from '../../src/core/contract/types.js';
import { HttpExecutor } from '../../src/core/http/index.js';
import { PrometheusExecutor } from '../../src/core/prometheus/index.js';
import { SqlExecutor } from '../../src/core/sql/index.js';
import { requirement, sqliteMissing } from '../harness/requirement.js';

const LOCAL = { name: 'local', kind: 'local' as const, label: 'me@here', user: 'me', host: 'here' };
const request = (source: string, language: string, attributes: ExecutionRequest['attributes'] = {}): ExecutionRequest =>
  ({ source, language, attributes, cellName: 'cell-1', target: LOCAL, variables: {} });

describe('CellStops', () => {
  it('dispose() stops every running cell as cancelled and forgets them', () => {
    const stops = new CellStops();
    const a = stops.start({ attributes: {} });
    const b = stops.start({ attributes: {} });
    assert.equal(stops.size, 2);
    assert.equal(a.signal.aborted, false);
    stops.dispose();
    assert.deepEqual([a.signal.aborted, a.reason, b.signal.aborted, b.reason], [true, 'cancel', true, 'cancel']);
    assert.equal(stops.size, 0);
  });

  it('a released stop is no longer stopped by dispose() nor by the request it came from', () => {
    const stops = new CellStops();
    const cancel = new AbortController();
    const done = stops.start({ attributes: {}, signal: cancel.signal });
    const running = stops.start({ attributes: {} });
    stops.release(done);
    assert.equal(stops.size, 1);
    cancel.abort();
    stops.dispose();
    assert.equal(done.signal.aborted, false);
    assert.equal(running.reason, 'cancel');
  });

  it('the request signal and the timeout attribute reach the stop', () => {
    const stops = new CellStops();
    const cancel = new AbortController();
    const s = stops.start({ attributes: { timeout: '5m' }, signal: cancel.signal });
    assert.equal(s.timeoutMs, 300_000);
    cancel.abort();
    assert.equal(s.reason, 'cancel');
    stops.release(s);
  });
});

describe("an executor's dispose() stops its running cells", () => {
  let server: Server;
  let url: string;
  let dir: string;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'rb-cellstops-'));
    // Accepts and never answers: the cell can only end by being stopped.
    server = createServer(() => undefined);
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => {
    server.closeAllConnections();
    server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** Runs the cell, disposes the executor once the cell is in flight, returns the result. */
  async function disposedWhileRunning(exec: { run(r: ExecutionRequest): Promise<ExecutionResult>; dispose(): void }, r: ExecutionRequest, inFlight: () => Promise<void>): Promise<ExecutionResult> {
    const result = exec.run(r);
    await inFlight();
    exec.dispose();
    return result;
  }
  const requestArrives = () => new Promise<void>((r) => server.once('request', () => r()));

  it('HTTP', async () => {
    const r = await disposedWhileRunning(new HttpExecutor(), request(`GET ${url}/slow`, 'http'), requestArrives);
    assert.equal(r.cancelled, true);
  });

  it('PromQL', async () => {
    const exec = new PrometheusExecutor({ connections: { prom: { driver: 'prometheus', url } } });
    const r = await disposedWhileRunning(exec, request('up', 'promql', { db: 'prom' }), requestArrives);
    assert.equal(r.cancelled, true);
  });

  it('SQL (sqlite3)', { skip: requirement(sqliteMissing()) }, async () => {
    const db = join(dir, 'x.db');
    execFileSync('sqlite3', [db, 'CREATE TABLE t (a);']);
    const exec = new SqlExecutor({ connections: { x: { driver: 'sqlite', path: db } } });
    const slow = 'WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT count(*) FROM c';
    const started = async () => {
      // The query runs once sqlite3 is up: wait until a sqlite3 process has this database open.
      for (let i = 0; i < 200; i++) {
        const ps = execFileSync('ps', ['-eo', 'args='], { encoding: 'utf8' });
        if (ps.split('\n').some((l) => l.startsWith('sqlite3') && l.includes(db))) return;
        await new Promise((res) => setTimeout(res, 25));
      }
      throw new Error('sqlite3 never started');
    };
    const r = await disposedWhileRunning(exec, request(slow, 'sql', { db: 'x' }), started);
    assert.equal(r.cancelled, true);
    assert.equal(r.exitCode, null);
  });
});
