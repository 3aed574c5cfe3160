// Differential test against psql: the same SQL, run by psql (-f) and by a cell, against the throw-away
// PostgreSQL with log_statement=all; the statements the server received must be the same, one for one
// (psql drops leading `--` comments and keeps the `;`: both are normalised away). Covers dollar quotes,
// E'' strings, nested comments, BEGIN ATOMIC bodies, parentheses, standard_conforming_strings; psql
// meta-commands in a cell are refused, naming the line, and never reach the server.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { ExecutionRequest } from '../../src/core/contract/types.js';
import { SqlExecutor } from '../../src/core/sql/index.js';
import { postgresSkipReason, startPostgres, type PostgresServer } from '../harness/postgres.js';
import { requirement } from '../harness/requirement.js';

const skip = postgresSkipReason();
const LOCAL = { name: 'local', kind: 'local' as const, label: 'me@here', user: 'me', host: 'here' };

const CASES: { name: string; sql: string }[] = [
  { name: 'plain statements and comments', sql: "-- leading comment\nSELECT 1;\nSELECT 'a;b' AS x; -- trailing\n/* block; comment */ SELECT 2;\n" },
  { name: 'dollar quotes, tagged and nested', sql: "DO $$ BEGIN RAISE NOTICE 'x;y'; END $$;\nDO $body$ BEGIN PERFORM $q$;$q$; END $body$;\nSELECT $x$it's; fine$x$ AS t;\n" },
  { name: "E'' strings with escaped quotes", sql: "SELECT E'it\\'s; still one' AS a;\nSELECT E'back\\\\' AS b, 'plain;' AS c;\n" },
  { name: 'standard conforming strings: backslash is a character', sql: "SELECT 'C:\\' AS path;\nSELECT 'two' AS t;\n" },
  { name: 'nested block comments', sql: '/* outer /* inner; */ still comment; */ SELECT 3 AS n;\nSELECT /* mid; */ 4;\n' },
  { name: 'quoted identifiers with semicolons', sql: 'CREATE TEMP TABLE "we;ird" ("a;b" int);\nINSERT INTO "we;ird" VALUES (1);\nSELECT "a;b" FROM "we;ird";\n' },
  {
    name: 'BEGIN ATOMIC function body (PostgreSQL 14+)',
    sql: 'CREATE OR REPLACE FUNCTION rb_add(a int, b int) RETURNS int LANGUAGE sql\nBEGIN ATOMIC\n  SELECT a + b;\nEND;\nSELECT rb_add(1, 2);\n',
  },
  {
    name: 'BEGIN ATOMIC procedure with CASE and several statements',
    sql: "CREATE TEMP TABLE rb_log (v text);\nCREATE OR REPLACE PROCEDURE rb_note(x int) LANGUAGE sql\nBEGIN ATOMIC\n  INSERT INTO rb_log VALUES (CASE WHEN x > 0 THEN 'pos' ELSE 'neg' END);\n  INSERT INTO rb_log VALUES ('done;');\nEND;\nCALL rb_note(1);\nSELECT count(*) FROM rb_log;\n",
  },
  { name: 'transaction BEGIN is not a body', sql: 'BEGIN;\nSELECT 5;\nCOMMIT;\n' },
  { name: 'semicolon inside parentheses', sql: "SELECT (SELECT 1) AS a, length('x;') AS b;\nSELECT 6;\n" },
  { name: 'plpgsql function in dollar quotes', sql: "CREATE OR REPLACE FUNCTION rb_f() RETURNS text LANGUAGE plpgsql AS $fn$\nBEGIN\n  RETURN 'a;b';\nEND;\n$fn$;\nSELECT rb_f();\n" },
  { name: 'standard_conforming_strings off changes quoting', sql: "SET standard_conforming_strings = off;\nSELECT 'it\\'s; one' AS a;\nSET standard_conforming_strings = on;\nSELECT 'C:\\' AS b;\n" },
  { name: 'U& strings and casts', sql: "SELECT U&'d\\0061t\\+000061' AS u, '1'::int AS i;\nSELECT ARRAY[1,2]::text;\n" },
  {
    name: 'rule actions in parentheses',
    sql: 'CREATE TEMP TABLE rb_a (v int);\nCREATE TEMP TABLE rb_b (v int);\nCREATE RULE rb_r AS ON INSERT TO rb_a DO ALSO (INSERT INTO rb_b VALUES (NEW.v); INSERT INTO rb_b VALUES (NEW.v + 1));\nINSERT INTO rb_a VALUES (1);\n',
  },
  {
    name: 'SQL-standard RETURN body and CASE outside a routine',
    sql: "CREATE OR REPLACE FUNCTION rb_sq(x int) RETURNS int LANGUAGE sql IMMUTABLE RETURN x * x;\nSELECT CASE WHEN rb_sq(2) = 4 THEN 'four' ELSE 'other' END;\nSELECT 9;\n",
  },
  {
    name: 'BEGIN ATOMIC with nested CASE … END and a comment',
    sql: "CREATE OR REPLACE FUNCTION rb_sign(x int) RETURNS text LANGUAGE sql\nBEGIN ATOMIC\n  -- sign; of x\n  SELECT CASE WHEN x > 0 THEN 'pos' WHEN x < 0 THEN 'neg' ELSE 'zero' END;\nEND;\nSELECT rb_sign(-3);\n",
  },
  { name: 'last statement without a semicolon', sql: 'SELECT 7;\nSELECT 8' },
];

describe('SQL statements vs psql (server log, log_statement=all)', { skip: requirement(skip) }, () => {
  let pg: PostgresServer;
  let log = '';
  before(async () => {
    assert.equal(skip, undefined, skip);
    pg = await startPostgres({ onLog: (s) => (log += s) });
    const c = await pg.superClient();
    await c.query("ALTER SYSTEM SET log_statement = 'all'");
    await c.query("ALTER SYSTEM SET log_line_prefix = '@@%a@@ '");
    await c.query('SELECT pg_reload_conf()');
    await c.end();
    await new Promise((r) => setTimeout(r, 300));
  });
  after(async () => pg?.stop());

  /** Statements the server logged for one application since `from`, normalised as psql sends them. */
  function statements(from: number, app: string): string[] {
    const out: string[] = [];
    const parts = log.slice(from).split(/^@@([^@\n]*)@@ /m);
    for (let i = 1; i < parts.length; i += 2) {
      if (parts[i] !== app) continue;
      const m = /^LOG: {2}(?:statement|execute [^:]*): ([^]*)$/.exec(parts[i + 1]!);
      if (m) out.push(norm(m[1]!));
    }
    return out;
  }
  const norm = (s: string) => s.replace(/^(?:\s*--[^\n]*\n)+/, '').trim().replace(/;\s*$/, '').trim();

  function psql(sql: string): Promise<void> {
    const dir = mkdtempSync(join(tmpdir(), 'rb-psqldiff-'));
    const file = join(dir, 'case.sql');
    writeFileSync(file, sql);
    return new Promise((resolve, reject) => {
      execFile(join(pg.binDir, 'psql'), ['-X', '-q', '-h', pg.host, '-p', String(pg.port), '-U', pg.user, '-d', pg.database, '-v', 'ON_ERROR_STOP=1', '-f', file], {
        env: { ...process.env, PGPASSWORD: pg.password, PGAPPNAME: 'psql-oracle' },
      }, (err, _out, stderr) => (err ? reject(new Error(`psql failed: ${stderr}`)) : resolve()));
    });
  }

  async function cell(sql: string) {
    const ex = new SqlExecutor({ connections: { db: { driver: 'postgres', url: `${pg.url}?application_name=rb-cell`, passwordVariable: 'PW' } }, env: {} });
    const req: ExecutionRequest = { source: sql, language: 'sql', attributes: { db: 'db' }, cellName: 'c', target: LOCAL, variables: { PW: pg.password } };
    try {
      return await ex.run(req);
    } finally {
      ex.dispose();
    }
  }

  const settle = () => new Promise((r) => setTimeout(r, 250));

  for (const c of CASES) {
    it(c.name, async () => {
      const at = log.length;
      await psql(c.sql);
      await settle();
      const theirs = statements(at, 'psql-oracle');
      const at2 = log.length;
      const r = await cell(c.sql);
      assert.equal(r.exitCode, 0, r.message);
      await settle();
      const ours = statements(at2, 'rb-cell');
      assert.ok(theirs.length > 0, 'psql sent statements');
      assert.deepEqual(ours, theirs);
    });
  }

  it('psql meta-commands are refused with their line and never reach the server', async () => {
    for (const [sql, line, cmd] of [
      ['SELECT 1;\n\\echo hello\nSELECT 2;', 2, '\\echo'],
      ["SELECT 'a' AS v \\gset\nSELECT :'v';", 1, '\\gset'],
      ['\\x\nSELECT 1;', 1, '\\x'],
      ["SELECT E'not \\\\a meta';\n  \\timing on", 2, '\\timing'],
    ] as const) {
      const at = log.length;
      const r = await cell(sql);
      assert.equal(r.exitCode, 1, sql);
      assert.match(r.message!, new RegExp(`^line ${line}: \\${cmd} is a psql meta-command, not SQL: .*nothing was sent`), sql);
      await settle();
      assert.deepEqual(statements(at, 'rb-cell'), [], `nothing sent for ${JSON.stringify(sql)}`);
    }
  });
});
