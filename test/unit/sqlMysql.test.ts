// SQL cells against a real MariaDB (Debian's, started by test/harness/mariadb.ts on a loopback port) with
// the mysql driver: tables, several statements, errors with position, wrong password, server down,
// readonly, and cancel of SLEEP (KILL QUERY: the processlist must not show it afterwards).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { ExecutionRequest } from '../../src/core/contract/types.js';
import { SqlExecutor, type SqlExecutorOptions } from '../../src/core/sql/index.js';
import { mariadbSkipReason, query, startMariadb, type MariadbServer } from '../harness/mariadb.js';
import { freePort } from '../harness/postgres.js';
import { requirement } from '../harness/requirement.js';

const LOCAL = { name: 'local', kind: 'local' as const, label: 'me@here', user: 'me', host: 'here' };
function sqlRequest(source: string, attributes: ExecutionRequest['attributes'] = {}, extra: Partial<ExecutionRequest> = {}): ExecutionRequest {
  return { source, language: 'sql', attributes, cellName: 'cell-1', target: LOCAL, variables: {}, ...extra };
}

describe('MySQL / MariaDB cells', { skip: requirement(mariadbSkipReason()) }, () => {
  let db: MariadbServer;
  const executors: SqlExecutor[] = [];
  const make = (options: Partial<SqlExecutorOptions> = {}, url?: string): SqlExecutor => {
    const e = new SqlExecutor({ connections: { shop: { driver: 'mysql', url: url ?? db.url, passwordVariable: 'DBPW' } }, env: {}, ...options });
    executors.push(e);
    return e;
  };
  const vars = (): Record<string, string> => ({ DBPW: db.password });

  before(async () => {
    db = await startMariadb();
    const r = await make().run(sqlRequest(
      'CREATE TABLE orders (id INT PRIMARY KEY, customer VARCHAR(40), total DECIMAL(10,2), note TEXT, raw VARBINARY(4), placed DATETIME);\n' +
        "INSERT INTO orders VALUES (1, 'alice', 10.50, 'a|b', X'00FF', '2026-11-23 05:12:00'), (2, 'bob', NULL, NULL, NULL, NULL);",
      { db: 'shop' }, { variables: vars() }));
    assert.equal(r.exitCode, 0, r.message);
  });
  after(async () => {
    executors.forEach((e) => e.dispose());
    await db?.stop();
  });

  it('renders a query as a table with values as the server sent them', async () => {
    const r = await make().run(sqlRequest('SELECT id, customer, total, note, raw, placed FROM orders ORDER BY id', { db: 'shop' }, { variables: vars() }));
    assert.equal(r.exitCode, 0, r.message);
    const o = r.outputs[0]!;
    assert.equal(o.meta.rows, 2);
    assert.match(o.text, /^2 rows · /);
    assert.match(o.text, /\| {3}1 \| alice {4}\| 10\.50 \| a\\\|b \| 0x00ff \| 2026-11-23 05:12:00 \|/);
    assert.match(o.text, /\| {3}2 \| bob {6}\| {2}NULL \| NULL/);
  });

  it('gives one output per statement with affected rows', async () => {
    const r = await make().run(sqlRequest("SELECT COUNT(*) AS n FROM orders;\nUPDATE orders SET note = 'x' WHERE id = 2;\nSELECT note FROM orders WHERE id = 2;", { db: 'shop' }, { variables: vars() }));
    assert.equal(r.exitCode, 0, r.message);
    assert.deepEqual(r.outputs.map((o) => [o.meta.statement, o.meta.rows, o.meta.affected]), [[1, 1, undefined], [2, undefined, 1], [3, 1, undefined]]);
  });

  it('reports a syntax error with the server message and its line and column', async () => {
    const r = await make().run(sqlRequest('SELECT 1;\nSELECT id,\n  customer FROMM orders;', { db: 'shop' }, { variables: vars() }));
    assert.equal(r.exitCode, 1);
    const err = r.outputs.at(-1)!;
    assert.equal(err.meta.code, 'ER_PARSE_ERROR');
    assert.deepEqual([err.meta.line, err.meta.col], [3, 18]);
    assert.match(err.text, /^ERROR ER_PARSE_ERROR: You have an error in your SQL syntax;[^\n]*near 'orders' at line 2\nat line 3, column 18 of the cell:/);
  });

  it('explains a wrong password and a server that is down', async () => {
    const wrong = await make().run(sqlRequest('SELECT 1', { db: 'shop' }, { variables: { DBPW: 'wrong-password' } }));
    assert.equal(wrong.exitCode, 1);
    assert.match(wrong.message!, /login refused by MySQL at 127\.0\.0\.1:\d+ \(connection "shop"\): Access denied for user 'rb_test'@'127\.0\.0\.1' \(using password: .*\(the password came from variable DBPW\)/);
    const port = await freePort();
    const down = await make({}, `mysql://rb_test@127.0.0.1:${port}/rb_test`).run(sqlRequest('SELECT 1', { db: 'shop' }, { variables: vars() }));
    assert.match(down.message!, /cannot connect to MySQL at 127\.0\.0\.1:\d+ \(connection "shop"\): connection refused/);
  });

  it('readonly=true runs in a read-only transaction', async () => {
    const r = await make().run(sqlRequest("INSERT INTO orders (id, customer) VALUES (99, 'mallory')", { db: 'shop', readonly: true }, { variables: vars() }));
    assert.equal(r.exitCode, 1);
    assert.match(r.outputs[0]!.text, /ERROR ER_CANT_EXECUTE_IN_READ_ONLY_TRANSACTION: Cannot execute statement in a READ ONLY transaction/);
    const check = await make().run(sqlRequest('SELECT COUNT(*) AS n FROM orders WHERE id = 99', { db: 'shop' }, { variables: vars() }));
    assert.match(check.outputs[0]!.text, /\| +0 \|/);
  });

  it('cancels SLEEP with KILL QUERY and leaves nothing running', async () => {
    const ac = new AbortController();
    const run = make().run(sqlRequest('SELECT SLEEP(30);\nSELECT 2;', { db: 'shop' }, { variables: vars(), signal: ac.signal }));
    await waitFor(async () => (await sleeping(db)) > 0);
    const t0 = Date.now();
    ac.abort();
    const r = await run;
    assert.ok(Date.now() - t0 < 1200, `cancel took ${Date.now() - t0} ms`);
    assert.equal(r.cancelled, true);
    assert.equal(r.exitCode, null);
    assert.match(r.outputs.at(-1)!.text, /^CANCELLED[\s\S]*Statement 1 of 2 was cancelled; statement 2 was not run\./);
    await waitFor(async () => (await sleeping(db)) === 0, 1000);
  });
});

async function sleeping(db: MariadbServer): Promise<number> {
  const c = await db.rootConnection();
  try {
    const rows = (await query(c, "SELECT COUNT(*) AS n FROM information_schema.PROCESSLIST WHERE INFO LIKE 'SELECT SLEEP%'")) as { n: number }[];
    return Number(rows[0]!.n);
  } finally {
    c.destroy();
  }
}

async function waitFor(ok: () => Promise<boolean>, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await ok()) return;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error('condition not reached');
}
