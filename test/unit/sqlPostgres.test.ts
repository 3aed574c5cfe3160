// SQL cells against a real PostgreSQL (Debian's, started by test/harness/postgres.ts on a loopback port):
// tables, several statements, errors with position, login and connection failures, readonly, cancel and
// timeout (the server must show no running query afterwards), row cap, secrets, and the tunnel hook.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Forward } from '../../src/core/http/tunnel.js';
import type { ExecutionRequest } from '../../src/core/contract/types.js';
import { SqlExecutor, type SqlExecutorOptions } from '../../src/core/sql/index.js';
import { freePort, postgresSkipReason, startPostgres, type PostgresServer } from '../harness/postgres.js';
import { requirement } from '../harness/requirement.js';

const skip = requirement(postgresSkipReason());
const LOCAL = { name: 'local', kind: 'local' as const, label: 'me@here', user: 'me', host: 'here' };
function sqlRequest(source: string, attributes: ExecutionRequest['attributes'] = {}, extra: Partial<ExecutionRequest> = {}): ExecutionRequest {
  return { source, language: 'sql', attributes, cellName: 'cell-1', target: LOCAL, variables: {}, ...extra };
}

describe('PostgreSQL cells', { skip }, () => {
  let pg: PostgresServer;
  const executors: SqlExecutor[] = [];
  const make = (options: Partial<SqlExecutorOptions> = {}, url?: string): SqlExecutor => {
    const e = new SqlExecutor({ connections: { erp: { driver: 'postgres', url: url ?? pg.url, passwordVariable: 'PGPW' } }, env: {}, ...options });
    executors.push(e);
    return e;
  };
  const vars = (): Record<string, string> => ({ PGPW: pg.password });

  before(async () => {
    pg = await startPostgres();
    const setup = make();
    const r = await setup.run(sqlRequest(
      "CREATE TABLE users (id int PRIMARY KEY, name text, balance numeric(10,2), created timestamptz DEFAULT '2026-11-23 05:12:00+00');\n" +
        "INSERT INTO users (id, name, balance) VALUES (1, 'alice', 10.50), (2, 'bob', NULL), (3, 'car|ol', -3);",
      { db: 'erp' }, { variables: vars() }));
    assert.equal(r.exitCode, 0, r.message);
  });
  after(async () => {
    executors.forEach((e) => e.dispose());
    await pg?.stop();
  });

  it('renders a query as a table with psql-like values', async () => {
    const r = await make().run(sqlRequest('SELECT id, name, balance, created FROM users ORDER BY id', { db: 'erp' }, { variables: vars() }));
    assert.equal(r.exitCode, 0, r.message);
    const o = r.outputs[0]!;
    assert.equal(o.lang, 'markdown');
    assert.equal(o.meta.rows, 3);
    assert.match(o.text, /^3 rows · [\d.]+ ms\n\n\| {2}id \| name {4}\| balance \| created {16}\|\n\|----:\|/);
    assert.match(o.text, /\| {3}1 \| alice {3}\| {3}10\.50 \| 2026-11-23 05:12:00\+00 \|/);
    assert.match(o.text, /\| {3}2 \| bob {5}\| {4}NULL \|/);
    assert.match(o.text, /car\\\|ol/);
  });

  it('gives one output per statement, with affected rows and notices', async () => {
    const r = await make().run(sqlRequest(
      "SELECT count(*) FROM users;\nUPDATE users SET name = name WHERE id < 3;\nDO $$ BEGIN RAISE NOTICE 'hello; there'; END $$;\nSELECT 1 AS one WHERE false;",
      { db: 'erp' }, { variables: vars() }));
    assert.equal(r.exitCode, 0, r.message);
    const main = r.outputs.filter((o) => o.meta.kind === 'sql');
    assert.deepEqual(main.map((o) => [o.meta.statement, o.meta.rows, o.meta.affected]), [[1, 1, undefined], [2, undefined, 2], [3, undefined, undefined], [4, 0, undefined]]);
    assert.match(main[1]!.text, /UPDATE: 2 rows affected/);
    const notice = r.outputs.find((o) => o.meta.kind === 'sql-notice');
    assert.equal(notice?.text, 'NOTICE: hello; there');
    assert.match(main[3]!.text, /0 rows[\s\S]*\| one \|/);
  });

  it('reports an error with the server message and its line and column', async () => {
    const r = await make().run(sqlRequest('SELECT 1;\nSELECT id,\n       name\n  FROMM users;', { db: 'erp' }, { variables: vars() }));
    assert.equal(r.exitCode, 1);
    const err = r.outputs.at(-1)!;
    assert.equal(err.meta.code, '42601');
    assert.deepEqual([err.meta.line, err.meta.col], [4, 9]);
    assert.match(err.text, /^ERROR 42601: syntax error at or near "users"\nat line 4, column 9 of the cell:\n {2}4 \| {3}FROMM users;\n {4}\| {9}\^/);
    assert.match(r.message!, /^ERROR 42601 at line 4, column 9: syntax error at or near "users"/);
    const missing = await make().run(sqlRequest('SELECT nope FROM users', { db: 'erp' }, { variables: vars() }));
    assert.match(missing.outputs[0]!.text, /ERROR 42703: column "nope" does not exist\nat line 1, column 8/);
  });

  it('explains a wrong password, a missing password, a server that is down and a bad URL', async () => {
    const wrong = await make().run(sqlRequest('SELECT 1', { db: 'erp' }, { variables: { PGPW: 'wrong-password' } }));
    assert.equal(wrong.exitCode, 1);
    assert.match(wrong.message!, /login refused by PostgreSQL at 127\.0\.0\.1:\d+ \(connection "erp"\): password authentication failed for user "rb_test" \(the password came from variable PGPW\)/);
    assert.doesNotMatch(JSON.stringify(wrong), /wrong-password/);
    const none = await make().run(sqlRequest('SELECT 1', { db: 'erp' }));
    assert.match(none.message!, /needs a password, and no password was given: variable PGPW has no value and PGPASSWORD is not set/);
    const env = await make({ env: { PGPASSWORD: pg.password } }).run(sqlRequest('SELECT 1 AS x', { db: 'erp' }));
    assert.equal(env.exitCode, 0, env.message);
    const port = await freePort();
    const down = await make({}, `postgres://rb_test@127.0.0.1:${port}/rb_test`).run(sqlRequest('SELECT 1', { db: 'erp' }, { variables: vars() }));
    assert.match(down.message!, new RegExp(`cannot connect to PostgreSQL at 127\\.0\\.0\\.1:${port} \\(connection "erp"\\): connection refused`));
    const bad = await make({}, 'postgres://[oops/db').run(sqlRequest('SELECT 1', { db: 'erp' }));
    assert.match(bad.message!, /"postgres:\/\/\[oops\/db" is not a valid URL/);
    const pw = await make({}, `postgres://rb_test:hunter2@127.0.0.1:${pg.port}/rb_test`).run(sqlRequest('SELECT 1', { db: 'erp' }));
    assert.match(pw.message!, /the URL contains a password\. Passwords never go in the runbook/);
  });

  it('readonly=true runs in a read-only transaction', async () => {
    const r = await make().run(sqlRequest("SELECT count(*) FROM users;\nINSERT INTO users (id, name) VALUES (99, 'mallory');", { db: 'erp', readonly: true }, { variables: vars() }));
    assert.equal(r.exitCode, 1);
    assert.match(r.outputs.at(-1)!.text, /ERROR 25006: cannot execute INSERT in a read-only transaction/);
    const check = await make().run(sqlRequest('SELECT count(*) AS n FROM users WHERE id = 99', { db: 'erp' }, { variables: vars() }));
    assert.match(check.outputs[0]!.text, /\| +0 \|/);
    const commit = await make().run(sqlRequest("COMMIT;\nINSERT INTO users (id, name) VALUES (98, 'mallory');", { db: 'erp', readonly: 'true' }, { variables: vars() }));
    assert.equal(commit.exitCode, 1, 'a COMMIT in the cell does not end read-only mode');
  });

  it('cancels pg_sleep within about a second and leaves no running query', async () => {
    const ac = new AbortController();
    const run = make().run(sqlRequest('SELECT 1;\nSELECT pg_sleep(30);\nSELECT 3;', { db: 'erp' }, { variables: vars(), signal: ac.signal }));
    await waitForActive(pg, true);
    const t0 = Date.now();
    ac.abort();
    const r = await run;
    const took = Date.now() - t0;
    assert.ok(took < 1200, `cancel took ${took} ms`);
    assert.equal(r.cancelled, true);
    assert.equal(r.exitCode, null);
    assert.match(r.outputs.at(-1)!.text, /^CANCELLED: cancelled; the running statement was stopped[\s\S]*Statement 2 of 3 was cancelled; statement 3 was not run\./);
    assert.equal(await activeSleeps(pg), 0);
  });

  it('times out and stops the query on the server', async () => {
    const t0 = Date.now();
    const r = await make().run(sqlRequest('SELECT pg_sleep(30)', { db: 'erp', timeout: '1s' }, { variables: vars() }));
    assert.ok(Date.now() - t0 < 2500, `took ${Date.now() - t0} ms`);
    assert.equal(r.timedOut, true);
    assert.match(r.message!, /timed out after 1\.0 s/);
    assert.equal(await activeSleeps(pg), 0);
  });

  it('caps 10,000 rows at the row cap with a marker', async () => {
    const r = await make().run(sqlRequest("SELECT g AS id, md5(g::text) AS hash FROM generate_series(1, 10000) g", { db: 'erp' }, { variables: vars() }));
    const o = r.outputs[0]!;
    assert.equal(o.meta.rows, 10000);
    assert.equal(o.meta.shown, 500);
    assert.match(o.text, /\n\n… 9,500 more rows not shown \(row cap 500\)$/);
    assert.equal(o.text.split('\n').filter((l) => l.startsWith('|')).length, 502);
  });

  it('renders EXPLAIN as text and redacts secrets in results', async () => {
    const plan = await make().run(sqlRequest('EXPLAIN SELECT * FROM users WHERE id = 1', { db: 'erp' }, { variables: vars() }));
    assert.equal(plan.outputs[0]!.lang, 'text');
    assert.match(plan.outputs[0]!.text, /Index Scan|Seq Scan/);
    const r = await make({ secrets: ['API_TOKEN'] }).run(sqlRequest("SELECT '{{API_TOKEN}}' AS token, current_setting('application_name') AS app", { db: 'erp' }, { variables: { ...vars(), API_TOKEN: 'sk-live-abcdef123456' } }));
    assert.match(r.outputs[0]!.text, /\[REDACTED:API_TOKEN\] \| runbook-notebooks/);
    assert.doesNotMatch(JSON.stringify(r), /sk-live-abcdef123456/);
  });

  it('goes through the tunnel hook when the connection names a host', async () => {
    const opened: string[] = [];
    let closed = 0;
    const connect = async (host: string, port: number, via: string): Promise<Forward> => {
      opened.push(`${host}:${port} via ${via}`);
      return { host: '127.0.0.1', port: pg.port, close: () => closed++ };
    };
    const conn = { erp: { driver: 'postgres' as const, url: `postgres://rb_test@db.internal:6543/${pg.database}`, host: 'erp-prod', passwordVariable: 'PGPW' } };
    const r = await make({ connections: conn, connect }).run(sqlRequest('SELECT 42 AS answer', { db: 'erp' }, { variables: vars() }));
    assert.equal(r.exitCode, 0, r.message);
    assert.match(r.outputs[0]!.text, /\| +42 \|/);
    assert.deepEqual(opened, ['db.internal:6543 via erp-prod']);
    assert.equal(closed, 1);
    const without = await make({ connections: conn }).run(sqlRequest('SELECT 1', { db: 'erp' }, { variables: vars() }));
    assert.equal(without.exitCode, 1);
    assert.match(without.message!, /SSH tunnelling needs the SSH transport, which is not available here: connection "erp" goes through host "erp-prod"/);
  });
});

async function activeSleeps(pg: PostgresServer): Promise<number> {
  const c = await pg.superClient();
  try {
    const r = await c.query("SELECT count(*)::int AS n FROM pg_stat_activity WHERE state = 'active' AND query LIKE '%pg_sleep%' AND pid <> pg_backend_pid()");
    return (r.rows[0] as { n: number }).n;
  } finally {
    await c.end();
  }
}

async function waitForActive(pg: PostgresServer, want: boolean): Promise<void> {
  for (let i = 0; i < 100; i++) {
    if ((await activeSleeps(pg) > 0) === want) return;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error('pg_sleep never showed up in pg_stat_activity');
}
