// SQL cells without a server: statement splitting, destructive-statement detection, result tables, and
// SQLite through the real sqlite3 CLI (tables, several statements, errors with position, readonly, row cap,
// cancel, dot-commands, missing file, remote hosts without the SSH layer).
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { ExecutionRequest } from '../../src/core/contract/types.js';
import { escapeCell, markdownTable, splitStatements, sqlDangers, SqlExecutor, type CommandRunner } from '../../src/core/sql/index.js';
import { parseJsonRow } from '../../src/core/sql/sqlite.js';
import { requirement } from '../harness/requirement.js';

const LOCAL = { name: 'local', kind: 'local' as const, label: 'me@here', user: 'me', host: 'here' };

function sqlRequest(source: string, attributes: ExecutionRequest['attributes'] = {}, extra: Partial<ExecutionRequest> = {}): ExecutionRequest {
  return { source, language: 'sql', attributes, cellName: 'cell-1', target: LOCAL, variables: {}, ...extra };
}

describe('splitStatements', () => {
  it('splits on semicolons outside quotes and comments', () => {
    const src = "SELECT 'a;b', \"x;y\" FROM t; -- c;d\nSELECT 2 /* ; */;\n\n  SELECT 3";
    const parts = splitStatements(src, 'postgres');
    assert.deepEqual(parts.map((p) => p.text), ["SELECT 'a;b', \"x;y\" FROM t", '-- c;d\nSELECT 2 /* ; */', 'SELECT 3']);
    assert.equal(src.slice(parts[2]!.start, parts[2]!.start + 8), 'SELECT 3');
  });

  it('keeps PostgreSQL dollar quotes, E-strings and nested comments whole', () => {
    const src = "CREATE FUNCTION f() RETURNS int AS $body$ BEGIN RETURN 1; END; $body$ LANGUAGE plpgsql;\nSELECT E'it\\'s;', $$a;b$$, $1;\n/* a /* nested ; */ still ; */ SELECT 4;";
    const parts = splitStatements(src, 'postgres');
    assert.equal(parts.length, 3);
    assert.match(parts[0]!.text, /\$body\$ LANGUAGE plpgsql$/);
    assert.equal(parts[1]!.text, "SELECT E'it\\'s;', $$a;b$$, $1");
  });

  it('handles MySQL backslash escapes, backticks and # comments', () => {
    const parts = splitStatements("SELECT 'it\\'s;' AS `a;b`; # x;y\nSELECT \"q\\\";\"", 'mysql');
    assert.deepEqual(parts.map((p) => p.text), ["SELECT 'it\\'s;' AS `a;b`", '# x;y\nSELECT "q\\";"']);
  });

  it('keeps SQLite trigger bodies whole and recognises dot-commands', () => {
    const src = '.tables\nCREATE TRIGGER tr AFTER INSERT ON t BEGIN UPDATE t SET a = 1; DELETE FROM u; END;\nSELECT [a;b] FROM t;';
    const parts = splitStatements(src, 'sqlite');
    assert.deepEqual(parts.map((p) => [p.text, !!p.dot]), [
      ['.tables', true],
      ['CREATE TRIGGER tr AFTER INSERT ON t BEGIN UPDATE t SET a = 1; DELETE FROM u; END', false],
      ['SELECT [a;b] FROM t', false],
    ]);
  });

  it('drops comment-only pieces and blanks literals in code', () => {
    const parts = splitStatements("-- only a comment;\n; SELECT 'DROP TABLE x' -- DROP TABLE y", 'postgres');
    assert.equal(parts.length, 1);
    assert.doesNotMatch(parts[0]!.code, /DROP/);
    assert.equal(parts[0]!.code.length, parts[0]!.text.length);
  });
});

describe('sqlDangers', () => {
  it('flags destructive statements with the line they start on', () => {
    const d = sqlDangers('SELECT 1;\nDROP TABLE users;\nDELETE FROM logs;\nTRUNCATE sessions;\nUPDATE t SET a = 1');
    assert.deepEqual(d.map((x) => [x.what, x.line]), [['DROP TABLE', 2], ['DELETE without WHERE', 3], ['TRUNCATE', 4], ['UPDATE without WHERE', 5]]);
  });

  it('does not flag a WHERE on the next line, literals or comments', () => {
    assert.deepEqual(sqlDangers("DELETE FROM logs\n  WHERE at < now() - interval '30 days';\nUPDATE t\nSET a = 1\nWHERE id = 2;\nSELECT 'DROP TABLE x'; -- TRUNCATE y"), []);
  });

  it('flags server-disrupting statements', () => {
    const d = sqlDangers("SELECT pg_terminate_backend(pid) FROM pg_stat_activity;\nALTER SYSTEM SET max_connections = 500;\nVACUUM FULL;");
    assert.deepEqual(d.map((x) => x.what), ['pg_terminate_backend', 'ALTER SYSTEM', 'VACUUM FULL']);
  });
});

describe('result tables', () => {
  it('escapes pipes, markdown, HTML and line breaks; spells out NULL; cuts long values', () => {
    assert.equal(escapeCell(null), 'NULL');
    assert.equal(escapeCell('a|b'), 'a\\|b');
    assert.equal(escapeCell('**x** <b>\nnext'), '\\*\\*x\\*\\* &lt;b><br>next');
    assert.equal(escapeCell('user_name _x_'), 'user_name \\_x\\_');
    assert.equal(escapeCell('x'.repeat(250), 200), `${'x'.repeat(200)}…(+50 chars)`);
  });

  it('pads columns and right-aligns numbers', () => {
    const t = markdownTable([{ name: 'id', numeric: true }, { name: 'name' }], [['1', 'alice'], ['10', null]]);
    assert.equal(t, '| id | name  |\n|----:|-------|\n|   1 | alice |\n|  10 | NULL  |'.replace('| id |', '|  id |'));
  });

  it('reads sqlite JSON rows with keys in order, duplicates and exact numbers', () => {
    assert.deepEqual(parseJsonRow('{"2":1,"a":"x","a":null,"big":12345678901234567890}'), {
      keys: ['2', 'a', 'a', 'big'], values: ['1', 'x', null, '12345678901234567890'], numeric: [true, false, false, true],
    });
  });
});

const haveSqlite = (() => {
  try {
    execFileSync('sqlite3', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

describe('SQLite through the sqlite3 CLI', { skip: requirement(haveSqlite ? undefined : 'sqlite3 is not installed (apt-get install sqlite3)') }, () => {
  let dir: string;
  let db: string;
  let exec: SqlExecutor;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'rb-sqlite-'));
    db = join(dir, 'cvd.db');
    execFileSync('sqlite3', [db], {
      input: "CREATE TABLE users(id INTEGER PRIMARY KEY, name TEXT, note TEXT);\n" +
        "INSERT INTO users VALUES (1, 'alice', 'a|b'), (2, 'bob', NULL), (3, 'carol', 'line1\nline2');\n" +
        'CREATE TABLE n(i INTEGER);\nWITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 1200) INSERT INTO n SELECT x FROM c;\n',
    });
    exec = new SqlExecutor({ connections: { cvd: { driver: 'sqlite', path: db }, remote: { driver: 'sqlite', path: '/x.db', host: 'cvd-prod' } } });
  });
  after(() => {
    exec.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  it('renders a query as a markdown table with the row count', async () => {
    const r = await exec.run(sqlRequest('SELECT id, name, note FROM users ORDER BY id', { db: 'cvd' }));
    assert.equal(r.exitCode, 0, r.message);
    assert.equal(r.outputs.length, 1);
    const o = r.outputs[0]!;
    assert.equal(o.lang, 'markdown');
    assert.equal(o.meta.rows, 3);
    assert.equal(o.meta.kind, 'sql');
    assert.equal(typeof o.meta.durationMs, 'number');
    assert.match(o.text, /^3 rows · /);
    assert.match(o.text, /\| {2}id \| name {2}\| note {11}\|\n\|----:\|-------\|/);
    assert.match(o.text, /\| {3}1 \| alice \| a\\\|b/);
    assert.match(o.text, /\| {3}2 \| bob {3}\| NULL/);
    assert.match(o.text, /line1<br>line2/);
    assert.equal(r.command, 'SELECT id, name, note FROM users ORDER BY id');
  });

  it('gives one output per statement with affected rows', async () => {
    const r = await exec.run(sqlRequest("SELECT count(*) AS n FROM users;\nUPDATE users SET note = 'x' WHERE id = 2;\nSELECT name FROM users WHERE id = 2;\nSELECT 1 WHERE 0;", { db: 'cvd' }));
    assert.equal(r.exitCode, 0, r.message);
    assert.deepEqual(r.outputs.map((o) => [o.meta.statement, o.meta.rows, o.meta.affected]), [[1, 1, undefined], [2, undefined, 1], [3, 1, undefined], [4, 0, undefined]]);
    assert.match(r.outputs[0]!.text, /^\*\*Statement 1 of 4\*\* · `SELECT count\(\*\) AS n FROM users` · 1 row · /);
    assert.match(r.outputs[1]!.text, /UPDATE: 1 row affected/);
    assert.match(r.outputs[3]!.text, /0 rows/);
  });

  it('reports a syntax error with the message and its line and column in the cell', async () => {
    const r = await exec.run(sqlRequest('SELECT 1;\nSELECT id,\n  name FROMM users;\nSELECT 3;', { db: 'cvd' }));
    assert.equal(r.exitCode, 1);
    const err = r.outputs.at(-1)!;
    assert.equal(err.meta.kind, 'sql-error');
    assert.equal(err.meta.statement, 2);
    assert.equal(err.meta.line, 3);
    assert.match(err.text, /near "users": syntax error/);
    assert.match(err.text, /at line 3, column 14 of the cell:\n {2}3 \| {3}name FROMM users;\n {4}\| {14}\^/);
    assert.match(err.text, /Statement 2 of 3 failed; statement 3 was not run\./);
    assert.equal(r.outputs.length, 2, 'the first statement keeps its result');
    assert.match(r.message!, /at line 3, column 14: near "users": syntax error/);
  });

  it('readonly=true refuses a write', async () => {
    const r = await exec.run(sqlRequest("UPDATE users SET name = 'mallory' WHERE id = 1", { db: 'cvd', readonly: true }));
    assert.equal(r.exitCode, 1);
    assert.match(r.outputs[0]!.text, /SQLITE_READONLY: attempt to write a readonly database/);
    assert.equal(execFileSync('sqlite3', [db, 'SELECT name FROM users WHERE id = 1'], { encoding: 'utf8' }).trim(), 'alice');
    const again = await exec.run(sqlRequest('PRAGMA query_only = 0; DELETE FROM users', { db: 'cvd', readonly: 'true' }));
    assert.equal(again.exitCode, 1);
    assert.match(again.message!, /may not change PRAGMA query_only/);
  });

  it('caps rows with a visible marker', async () => {
    const r = await exec.run(sqlRequest('SELECT i FROM n ORDER BY i', { db: 'cvd' }));
    const o = r.outputs[0]!;
    assert.equal(o.meta.rows, 1200);
    assert.equal(o.meta.shown, 500);
    assert.match(o.text, /\| 500 \|\n\n… 700 more rows not shown \(row cap 500\)$/);
    assert.doesNotMatch(o.text, /\| 501 \|/);
    const small = new SqlExecutor({ connections: { cvd: { driver: 'sqlite', path: db } }, rowCap: 10 });
    const s = await small.run(sqlRequest('SELECT i FROM n', { db: 'cvd' }));
    assert.match(s.outputs[0]!.text, /… 1,190 more rows not shown \(row cap 10\)/);
  });

  it('runs safe dot-commands and refuses others', async () => {
    const r = await exec.run(sqlRequest('.tables', { db: 'cvd' }));
    assert.equal(r.exitCode, 0, r.message);
    assert.match(r.outputs[0]!.text, /n\s+users/);
    const bad = await exec.run(sqlRequest('.shell touch /tmp/x', { db: 'cvd' }));
    assert.equal(bad.exitCode, 1);
    assert.match(bad.message!, /\.shell is not allowed/);
  });

  it('does not create a missing database file', async () => {
    const missing = join(dir, 'nope.db');
    const e = new SqlExecutor({ connections: { m: { driver: 'sqlite', path: missing } } });
    const r = await e.run(sqlRequest('SELECT 1', { db: 'm' }));
    assert.equal(r.exitCode, 1);
    assert.match(r.message!, /cannot open the SQLite database .*nope\.db on this machine/);
    assert.equal(existsSync(missing), false);
  });

  it('cancels a long query by killing sqlite3', async () => {
    const ac = new AbortController();
    const slow = 'WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT count(*) FROM c';
    const t0 = Date.now();
    setTimeout(() => ac.abort(), 300);
    const r = await exec.run(sqlRequest(slow, { db: 'cvd' }, { signal: ac.signal }));
    assert.ok(Date.now() - t0 < 2000, `returned after ${Date.now() - t0} ms`);
    assert.equal(r.cancelled, true);
    assert.equal(r.exitCode, null);
    assert.match(r.outputs.at(-1)!.text, /^CANCELLED/);
  });

  it('times out', async () => {
    const r = await exec.run(sqlRequest('WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT count(*) FROM c', { db: 'cvd', timeout: '300ms' }));
    assert.equal(r.timedOut, true);
    assert.match(r.message!, /timed out after 300 ms/);
  });

  it('substitutes {{variables}} and redacts secret values', async () => {
    const e = new SqlExecutor({ connections: { cvd: { driver: 'sqlite', path: db } }, secrets: ['TOKEN'] });
    const r = await e.run(sqlRequest("SELECT '{{TOKEN}}' AS t, name FROM users WHERE name = '{{WHO}}'", { db: 'cvd' }, { variables: { TOKEN: 'tok-very-secret-1', WHO: 'bob' } }));
    assert.equal(r.exitCode, 0, r.message);
    assert.match(r.outputs[0]!.text, /\[REDACTED:TOKEN\] \| bob/);
    assert.doesNotMatch(JSON.stringify(r), /tok-very-secret-1/);
    const missing = await e.run(sqlRequest("SELECT '{{NOPE}}'", { db: 'cvd' }));
    assert.equal(missing.exitCode, 1);
    assert.match(missing.message!, /\{\{NOPE\}\} has no value/);
  });

  it('explains connection choice problems', async () => {
    const r = await exec.run(sqlRequest('SELECT 1'));
    assert.match(r.message!, /add db=NAME to its fence \(connections in this runbook: cvd, remote\)/);
    const r2 = await exec.run(sqlRequest('SELECT 1', { db: 'nope' }));
    assert.match(r2.message!, /db=nope: no such connection/);
  });

  it('runs sqlite3 on a remote host only through a command runner', async () => {
    const r = await exec.run(sqlRequest('SELECT 1', { db: 'remote' }));
    assert.equal(r.exitCode, 1);
    assert.match(r.message!, /running sqlite3 on host "cvd-prod" needs the SSH transport/);
    const calls: string[] = [];
    const runner: CommandRunner = {
      async run(argv, stdin) {
        calls.push(argv.join(' '));
        // Pretend to be the remote host: run the local CLI on the local file.
        const out = execFileSync('sqlite3', [...argv.slice(1, -1), `file:${db}?mode=rw`], { input: stdin, encoding: 'utf8' });
        return { stdout: out, stderr: '', exitCode: 0 };
      },
    };
    const e = new SqlExecutor({ connections: { remote: { driver: 'sqlite', path: '/opt/cvd/data/cvd.db', host: 'cvd-prod' } }, commandRunner: (h) => (h === 'cvd-prod' ? runner : undefined) });
    const ok = await e.run(sqlRequest('SELECT count(*) AS users FROM users', { db: 'remote' }));
    assert.equal(ok.exitCode, 0, ok.message);
    assert.match(ok.outputs[0]!.text, /\| users \|/);
    assert.deepEqual(calls, ['sqlite3 -init /dev/null -batch -json -bail file:/opt/cvd/data/cvd.db?mode=rw']);
  });
});
