// Destructive SQL asks before it runs, at run time, against real databases (sqlite3 CLI and the harness's
// PostgreSQL): DROP, TRUNCATE, ALTER, DELETE/UPDATE without WHERE. A declined cell leaves the data as it
// was; an accepted one changes it (so the "unchanged" check can fail). readonly=true cells cannot write.
// Both front ends: the CellRunner the extension uses, and `runbook run` as a process.
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { parseRunbook, type CodeCell } from '../../src/core/format/index.js';
import { CellRunner } from '../../src/core/run/cellRunner.js';
import { runDocument } from '../../src/core/run/documentRunner.js';
import { sqlExecutor } from '../../src/core/run/frontMatterExecutors.js';
import { switchableRedactor } from '../../src/core/run/switchableRedactor.js';
import { targetResolver } from '../../src/core/run/targets.js';
import type { Executor } from '../../src/core/contract/types.js';
import { postgresSkipReason, startPostgres, type PostgresServer } from '../harness/postgres.js';
import { requirement, sqliteMissing } from '../harness/requirement.js';
import { repoRoot } from './helpers.js';

/** A destructive statement, the reason the question must give, and what it does to the 3-row table. */
interface Case { name: string; sql: string; reason: RegExp }
const SHARED: Case[] = [
  { name: 'DROP TABLE', sql: 'DROP TABLE victims;', reason: /DROP TABLE/i },
  { name: 'ALTER TABLE', sql: 'ALTER TABLE victims RENAME TO renamed;', reason: /ALTER TABLE/i },
  { name: 'DELETE without WHERE', sql: 'DELETE FROM victims;', reason: /DELETE without WHERE/ },
  { name: 'UPDATE without WHERE', sql: "UPDATE victims\n   SET name = 'gone';", reason: /UPDATE without WHERE/ },
];
const POSTGRES_ONLY: Case[] = [
  { name: 'TRUNCATE', sql: 'TRUNCATE victims;', reason: /TRUNCATE/ },
  { name: 'lower-case truncate', sql: 'truncate table victims;', reason: /truncate/i },
  { name: 'ALTER ROLE', sql: 'ALTER ROLE rb_victim NOLOGIN;', reason: /ALTER ROLE/ },
];

/** The table every case starts from: three named rows (and, for ALTER ROLE, a role that can log in). */
const SETUP = "DROP TABLE IF EXISTS victims; DROP TABLE IF EXISTS renamed; CREATE TABLE victims(id INTEGER PRIMARY KEY, name TEXT); INSERT INTO victims VALUES (1, 'a'), (2, 'b'), (3, 'c');";

function runner(executor: Executor, answer: boolean) {
  const questions: string[] = [];
  const redactor = switchableRedactor();
  const r = new CellRunner({
    executors: { sql: executor }, resolveTarget: targetResolver(), defaultTarget: () => 'local', operator: 'ci', redactor,
    ui: {
      trusted: () => true,
      askVariable: async () => undefined,
      // The question and its detail lines (the reasons), as the person sees them.
      confirm: async (q, detail) => { questions.push([q, ...detail].join(' | ')); return answer; },
    },
  });
  return { runner: r, questions };
}

function doc(frontMatter: string, sql: string, attrs = '') {
  return parseRunbook(`---\n${frontMatter}---\n\n\`\`\`sql {name=step db=main${attrs}}\n${sql}\n\`\`\`\n`);
}

/** Runs the cases through a CellRunner: declined leaves `state()` as it was, accepted changes it. */
function confirmationSuite(o: {
  cases: Case[]; frontMatter: () => string; executor: () => Executor; reset: () => Promise<void>; state: () => Promise<string>;
}) {
  for (const c of o.cases) {
    it(`${c.name}: asks, naming the reason; declined changes nothing, accepted does`, async () => {
      await o.reset();
      const before = await o.state();
      const no = runner(o.executor(), false);
      const d = doc(o.frontMatter(), c.sql);
      const summary = await runDocument(d, no.runner, { all: true });
      assert.equal(no.questions.length, 1, `asked once before running ${c.sql}`);
      assert.match(no.questions[0]!, c.reason);
      assert.deepEqual(d.log!.rows.map((r) => r.event), ['decline']);
      assert.equal(summary.ran, 0);
      assert.equal((d.cells.find((x) => x.kind === 'code') as CodeCell).outputs.length, 0);
      assert.equal(await o.state(), before, 'a declined cell left the data as it was');

      const yes = runner(o.executor(), true);
      const d2 = doc(o.frontMatter(), c.sql);
      await runDocument(d2, yes.runner, { all: true });
      assert.equal(yes.questions.length, 1);
      assert.deepEqual(d2.log!.rows.map((r) => [r.event, r.exit]), [['confirm', null], ['run', 0]]);
      assert.notEqual(await o.state(), before, 'the accepted statement changed the data (the check above can fail)');
    });
  }

  it('readonly=true: a write without a confirmation question fails and changes nothing', async () => {
    await o.reset();
    const before = await o.state();
    const write = 'DELETE FROM victims WHERE id = 2;';
    const ro = runner(o.executor(), true);
    const d = doc(o.frontMatter(), write, ' readonly=true');
    await runDocument(d, ro.runner, { all: true });
    assert.equal(ro.questions.length, 0, 'a DELETE with WHERE asks nothing');
    const row = d.log!.rows.find((r) => r.event === 'run');
    assert.ok(row && row.exit !== 0, `the write failed: ${JSON.stringify(d.log!.rows)}`);
    assert.equal(await o.state(), before, 'readonly=true kept the data');
    const rw = runner(o.executor(), true);
    await runDocument(doc(o.frontMatter(), write), rw.runner, { all: true });
    assert.notEqual(await o.state(), before, 'without readonly=true the same cell writes');
  });
}

function cli(args: string[], env: NodeJS.ProcessEnv = {}) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', join(repoRoot, 'src/cli/main.ts'), ...args],
    { encoding: 'utf8', cwd: repoRoot, env: { ...process.env, ...env }, input: '' });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

describe('destructive SQL asks first: SQLite (sqlite3 CLI)', { skip: requirement(sqliteMissing()) }, () => {
  let dir: string;
  let db: string;
  const executors: Executor[] = [];
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'rb-sqlconfirm-'));
    db = join(dir, 'victims.db');
  });
  after(() => {
    executors.forEach((e) => e.dispose());
    rmSync(dir, { recursive: true, force: true });
  });
  const sqlite = (sql: string): string => execFileSync('sqlite3', [db, sql], { encoding: 'utf8' });
  const state = async (): Promise<string> => {
    const tables = sqlite("SELECT group_concat(name, ',') FROM sqlite_master WHERE type = 'table';");
    return tables + (/\bvictims\b/.test(tables) ? sqlite("SELECT group_concat(id || '=' || name) FROM victims;") : '');
  };
  const frontMatter = () => `connections:\n  main: { driver: sqlite, path: ${JSON.stringify(db)} }\n`;
  const executor = () => {
    const e = sqlExecutor();
    executors.push(e);
    return e;
  };

  confirmationSuite({ cases: SHARED, frontMatter, executor, reset: async () => void sqlite(SETUP), state });

  it('runbook run: refuses a DROP without a terminal or --yes, leaves the table, logs the decline; --yes runs it', async () => {
    sqlite(SETUP);
    const before = await state();
    const file = join(dir, 'drop.runbook.md');
    writeFileSync(file, `---\n${frontMatter()}---\n\n\`\`\`sql {name=wipe db=main}\nDROP TABLE victims;\n\`\`\`\n`);
    const no = cli(['run', file, '--all']);
    assert.notEqual(no.code, 0, no.err);
    assert.match(no.err, /Run "wipe" on [^\n]*\?\n {2}line 1: DROP TABLE victims;\n— no \(not a terminal; pass --yes to confirm\)/);
    assert.equal(await state(), before);
    assert.deepEqual(parseRunbook(readFileSync(file, 'utf8')).log!.rows.map((r) => r.event), ['decline']);
    const yes = cli(['run', file, '--all', '--yes']);
    assert.equal(yes.code, 0, yes.err);
    assert.doesNotMatch(await state(), /victims/);
    assert.deepEqual(parseRunbook(readFileSync(file, 'utf8')).log!.rows.map((r) => r.event), ['decline', 'confirm', 'run']);
  });
});

describe('destructive SQL asks first: PostgreSQL', { skip: requirement(postgresSkipReason()) }, () => {
  let pg: PostgresServer;
  const executors: Executor[] = [];
  const admin = async (sql: string): Promise<string> => {
    const c = await pg.superClient();
    try {
      await c.query(`SET search_path TO public`);
      const r = await c.query(sql);
      const last = Array.isArray(r) ? r[r.length - 1] : r;
      return JSON.stringify(last?.rows ?? []);
    } finally {
      await c.end();
    }
  };
  before(async () => {
    pg = await startPostgres();
  });
  after(async () => {
    executors.forEach((e) => e.dispose());
    await pg?.stop();
  });
  const inDb = async (sql: string): Promise<string> => {
    const { Client } = await import('pg');
    const c = new Client({ host: pg.host, port: pg.port, user: pg.user, password: pg.password, database: pg.database });
    await c.connect();
    try {
      const r = await c.query(sql);
      const last = Array.isArray(r) ? r[r.length - 1] : r;
      return JSON.stringify(last?.rows ?? []);
    } finally {
      await c.end();
    }
  };
  const reset = async (): Promise<void> => {
    await admin("DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'rb_victim') THEN CREATE ROLE rb_victim LOGIN; END IF; END $$; ALTER ROLE rb_victim LOGIN;");
    await admin(`GRANT rb_victim TO ${pg.user} WITH ADMIN OPTION`).catch(() => undefined);
    await admin(`ALTER ROLE ${pg.user} CREATEROLE`);
    await inDb(SETUP);
  };
  const state = async (): Promise<string> => {
    const tables = await inDb("SELECT string_agg(tablename, ',' ORDER BY tablename) AS t FROM pg_tables WHERE schemaname = 'public'");
    const rows = /\bvictims\b/.test(tables) ? await inDb("SELECT string_agg(id || '=' || name, ',' ORDER BY id) AS v FROM victims") : '';
    return tables + rows + await inDb("SELECT rolcanlogin FROM pg_roles WHERE rolname = 'rb_victim'");
  };
  const frontMatter = () => `connections:\n  main: { driver: postgres, url: "${pg.url}" }\n`;
  const executor = () => {
    const e = sqlExecutor({ env: { PGPASSWORD: pg.password } });
    executors.push(e);
    return e;
  };

  confirmationSuite({ cases: [...SHARED, ...POSTGRES_ONLY], frontMatter, executor, reset, state });

  it('runbook run: refuses a TRUNCATE without a terminal or --yes and leaves the rows; --yes runs it', async () => {
    await reset();
    const before = await state();
    const dir = mkdtempSync(join(tmpdir(), 'rb-sqlconfirm-pg-'));
    try {
      const file = join(dir, 'truncate.runbook.md');
      writeFileSync(file, `---\n${frontMatter()}---\n\n\`\`\`sql {name=empty db=main}\nTRUNCATE victims;\n\`\`\`\n`);
      const no = cli(['run', file, '--all'], { PGPASSWORD: pg.password });
      assert.notEqual(no.code, 0, no.err);
      assert.match(no.err, /Run "empty" on [^\n]*\?\n {2}line 1: TRUNCATE victims;\n— no \(not a terminal/);
      assert.equal(await state(), before);
      const yes = cli(['run', file, '--all', '--yes'], { PGPASSWORD: pg.password });
      assert.equal(yes.code, 0, yes.err);
      assert.notEqual(await state(), before);
      assert.deepEqual(parseRunbook(readFileSync(file, 'utf8')).log!.rows.map((r) => r.event), ['decline', 'confirm', 'run']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
