// One answer per question (issue 10 §2, §3): the runner, the checks (the language server's), dry run and
// the target picker ask core/runbook the same questions and get the same answers — which ssh hosts exist,
// which variables a cell references, which connection a SQL cell uses — and one factory builds every run
// session. Real bash, real sqlite3, real files for ssh_config Includes.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { after, describe, it } from 'node:test';
import { execFileSync } from 'node:child_process';
import { checkDocument } from '../../src/core/check/index.js';
import { cellTimeoutMs } from '../../src/core/contract/timeout.js';
import { runSecrets, secretVariableNames } from '../../src/core/contract/secrets.js';
import { parseRunbook, readFrontMatter, serializeRunbook, type CodeCell } from '../../src/core/format/index.js';
import { dryRun } from '../../src/core/incident/dryRun.js';
import { startIncident } from '../../src/core/incident/start.js';
import { Fleet } from '../../src/core/fleet/groups.js';
import { cellTargetName } from '../../src/core/run/cellTarget.js';
import { dangersOf } from '../../src/core/run/confirmPolicy.js';
import { runDocument } from '../../src/core/run/documentRunner.js';
import { createRunSession, type RunSession } from '../../src/core/run/session.js';
import { SshRemote } from '../../src/core/run/sshRemote.js';
import { cellConnection, cellDialect } from '../../src/core/runbook/connection.js';
import { operatorName } from '../../src/core/runbook/operator.js';
import { isDrillRecord, isRecord, recordKind } from '../../src/core/runbook/record.js';
import { referencedNames } from '../../src/core/runbook/references.js';
import { knownTargets, sshHostNames, userSshHostNames } from '../../src/core/runbook/targets.js';
import { fsIncludeReader } from '../../src/core/ssh/sshConfig.js';
import type { RunnerUi } from '../../src/core/run/cellRunner.js';
import { requirement, sqliteMissing } from '../harness/requirement.js';
import { startCli } from './cliProcess.js';
import { repoRoot } from './helpers.js';
import { spawn } from 'node:child_process';
import {
  createMessageConnection, DidOpenTextDocumentNotification, ExitNotification, InitializedNotification, InitializeRequest,
  PublishDiagnosticsNotification, ShutdownRequest, StreamMessageReader, StreamMessageWriter, type PublishDiagnosticsParams,
} from 'vscode-languageserver/node';

const tmp = mkdtempSync(join(tmpdir(), 'runbook-facts-'));
const sessions: RunSession[] = [];
after(async () => {
  await Promise.all(sessions.map((s) => s.dispose()));
  rmSync(tmp, { recursive: true, force: true });
});

function ui(asked: string[] = []): RunnerUi {
  return {
    trusted: () => true,
    askVariable: async (v) => { asked.push(v.name); return `answer-${v.name}`; },
    confirm: async () => true,
  };
}

describe('which targets exist: the runner, the language server and the target picker agree', () => {
  // ~/.ssh/config with an Include (relative to ~/.ssh, a glob), a Match block, several names per Host line,
  // patterns and negations, a quoted name, `Host=name` and a comment after the names.
  const home = join(tmp, 'home');
  mkdirSync(join(home, '.ssh', 'conf.d'), { recursive: true });
  const config = [
    'Host web-1 web-2 db-* !web-3   # production web',
    '  User deploy',
    'Match host web-2 user deploy',
    '  Port 2222',
    'Host "quoted-box"',
    'Host=eq-host',
    'Include conf.d/*.conf',
    'Host *',
    '  ServerAliveInterval 30',
  ].join('\n');
  writeFileSync(join(home, '.ssh', 'config'), config);
  writeFileSync(join(home, '.ssh', 'conf.d', 'a.conf'), 'Host inc-1 inc-2\n  HostName 10.0.0.9\n');
  writeFileSync(join(home, '.ssh', 'conf.d', 'b.conf'), 'Match all\nHost inc-3\n');
  const env = { homeDir: home, localUser: 'me', readInclude: fsIncludeReader };
  const HOSTS_RUNBOOK = ['```bash {host=inc-3}', 'uptime', '```', '', '```bash {host=quoted-box}', 'uptime', '```', '',
    '```bash {host=comment}', 'uptime', '```', ''].join('\n');
  const expected = ['web-1', 'web-2', 'quoted-box', 'eq-host', 'inc-1', 'inc-2', 'inc-3'];

  it('the ssh config yields the Host names, included files too, never patterns, comments or quotes', () => {
    assert.deepEqual(sshHostNames(config, env), expected);
    assert.deepEqual(userSshHostNames(env), expected, 'the target picker (status bar) reads ~/.ssh/config the same way');
  });

  it("the runner's host groups see the same names as the language server's checks", () => {
    const remote = new SshRemote({ ask: { passphrase: async () => undefined, confirmHostKey: async () => false }, sshConfigText: config, env });
    try {
      assert.deepEqual(remote.aliases(), expected);
      const fm = readFrontMatter('---\ngroups:\n  inc: ["inc-*"]\n  all: ["*-box", eq-host]\n---\n').data!;
      const fleet = new Fleet(fm, { sshAliases: () => remote.aliases() });
      assert.deepEqual(fleet.group('inc')?.members, ['inc-1', 'inc-2', 'inc-3']);
      assert.deepEqual(fleet.group('all')?.members, ['quoted-box', 'eq-host']);
    } finally {
      remote.dispose();
    }
    const doc = parseRunbook(HOSTS_RUNBOOK);
    const unknown = checkDocument(doc, { sshConfig: config, sshEnv: env }).filter((d) => d.code === 'unknown-host').map((d) => d.message);
    assert.equal(unknown.length, 1, unknown.join('\n'));
    assert.match(unknown[0]!, /comment/);
  });

  it('the language server process (HOME pointing at that ssh config) flags only the name that is no Host', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(repoRoot, 'src/lsp/server.ts'), '--stdio'],
      { cwd: repoRoot, env: { ...process.env, HOME: home }, stdio: ['pipe', 'pipe', 'inherit'] });
    const conn = createMessageConnection(new StreamMessageReader(child.stdout!), new StreamMessageWriter(child.stdin!));
    const uri = 'file:///tmp/facts/hosts.runbook.md';
    try {
      const published = new Promise<PublishDiagnosticsParams>((resolve) => conn.onNotification(PublishDiagnosticsNotification.type, (p) => {
        if (p.uri === uri) resolve(p);
      }));
      conn.listen();
      await conn.sendRequest(InitializeRequest.type, { processId: process.pid, rootUri: null, capabilities: {}, workspaceFolders: null });
      await conn.sendNotification(InitializedNotification.type, {});
      await conn.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId: 'markdown', version: 1, text: HOSTS_RUNBOOK } });
      const unknown = (await published).diagnostics.filter((d) => d.code === 'unknown-host');
      assert.equal(unknown.length, 1, JSON.stringify(unknown));
      assert.match(unknown[0]!.message, /comment/);
    } finally {
      await conn.sendRequest(ShutdownRequest.type).catch(() => undefined);
      await conn.sendNotification(ExitNotification.type).catch(() => undefined);
      conn.dispose();
      child.kill();
    }
  });

  it('the picker lists ssh names that are not front-matter hosts', () => {
    const fm = readFrontMatter('---\nhosts:\n  web-1: { ssh: deploy@10.0.0.1 }\n---\n').data;
    assert.deepEqual(knownTargets(fm, expected), { hosts: ['web-1'], sshAliases: expected.slice(1) });
  });
});

describe("which variables a cell references: '$X' in single quotes is no reference anywhere", () => {
  const runbook = `---
variables:
  SINGLE: { prompt: single }
  DOUBLE: { prompt: double }
  NOTE: { prompt: note }
  BODY: { prompt: body }
---
# Quotes

\`\`\`bash {name=quotes}
echo '$SINGLE' "$DOUBLE" # $NOTE
cat <<'EOF'
$BODY
EOF
\`\`\`
`;

  it('core/runbook reads the cell with the shell lexer', () => {
    assert.deepEqual([...referencedNames("echo '$SINGLE' \"$DOUBLE\" # $NOTE\ncat <<'EOF'\n$BODY\nEOF", 'shellscript')], ['DOUBLE']);
    assert.deepEqual([...referencedNames("SELECT '{{A}}' -- $B", 'sql')], ['A']);
    assert.deepEqual([...referencedNames('rate(x{job="{{JOB}}"}[$WINDOW])', 'promql')].sort(), ['JOB', 'WINDOW']);
  });

  it('the runner asks only for DOUBLE, and bash sees the single-quoted text as written', async () => {
    const asked: string[] = [];
    const session = createRunSession({ defaultTarget: () => 'local', operator: 'alice', ui: ui(asked) });
    sessions.push(session);
    const doc = parseRunbook(runbook);
    const summary = await runDocument(doc, session.runner, { all: true });
    assert.equal(summary.ran, 1);
    assert.deepEqual(asked, ['DOUBLE']);
    const out = (doc.cells.find((c) => c.kind === 'code') as CodeCell).outputs[0]!.text;
    assert.equal(out, '$SINGLE answer-DOUBLE\n$BODY\n');
  });

  it('the checks report only DOUBLE as undefined when the front matter does not declare it', () => {
    const doc = parseRunbook(runbook.replace(/^---[\s\S]*?---\n/, ''));
    const undefinedNames = checkDocument(doc).filter((d) => d.code === 'undefined-variable').map((d) => d.data?.name);
    assert.deepEqual(undefinedNames, ['DOUBLE']);
  });

  it('dry run substitutes DOUBLE only and names only DOUBLE as missing', () => {
    const shown = dryRun(parseRunbook(runbook), 'all', { variables: { SINGLE: 's', NOTE: 'n', BODY: 'b' } }).cells[0]!;
    assert.deepEqual(shown.missing, ['DOUBLE']);
    assert.equal(shown.command.split('\n')[0], 'echo \'$SINGLE\' "$DOUBLE" # $NOTE');
    const given = dryRun(parseRunbook(runbook), 'all', { variables: { DOUBLE: 'd' } }).cells[0]!;
    assert.deepEqual(given.missing, []);
    assert.equal(given.command, "echo '$SINGLE' \"d\" # $NOTE\ncat <<'EOF'\n$BODY\nEOF");
  });
});

describe('which connection a SQL cell uses', () => {
  const fm = readFrontMatter(`---
hosts:
  db-1: { ssh: ops@db }
connections:
  lite: { driver: sqlite, path: /tmp/x.db }
  pg: { driver: postgres, url: "postgres://ops@localhost/erp", host: db-1 }
  prom: { driver: prometheus, url: "http://localhost:9090" }
---
`).data!;
  const cell = (language: string, fenceLanguage: string, attributes = {}) => ({ language, fenceLanguage, attributes });

  it('a dialect fence picks the only connection of its driver; plain sql needs db= or the default', () => {
    assert.equal(cellConnection(cell('sql', 'sqlite'), fm.connections).name, 'lite');
    assert.equal(cellConnection(cell('sql', 'postgresql'), fm.connections).name, 'pg');
    assert.throws(() => cellConnection(cell('sql', 'sql'), fm.connections), /does not say which database to use: add db=NAME .*lite, pg, prom/);
    assert.equal(cellConnection(cell('sql', 'sql'), fm.connections, 'pg').name, 'pg');
    assert.equal(cellConnection(cell('sql', 'sqlite', { db: 'pg' }), fm.connections, 'lite').name, 'pg', 'db= wins over the default');
    assert.throws(() => cellConnection(cell('sql', 'sql'), fm.connections, 'nope'), /the default connection "nope" does not exist/);
    assert.throws(() => cellConnection(cell('sql', 'sql', { db: 'prom' }), fm.connections), /db=prom is a prometheus connection, not a SQL database/);
    assert.equal(cellConnection(cell('promql', 'promql'), fm.connections).name, 'prom', 'PromQL cells see only prometheus connections');
  });

  it('where the cell runs and the dialect its statements are read in follow the same choice', () => {
    assert.equal(cellTargetName({}, 'sql', fm, 'local', { fenceLanguage: 'postgresql' }), 'db-1');
    assert.equal(cellTargetName({}, 'sql', fm, 'local', { fenceLanguage: 'sqlite' }), 'local');
    assert.equal(cellTargetName({}, 'sql', fm, 'local', { fenceLanguage: 'sql', defaultConnection: 'pg' }), 'db-1');
    assert.equal(cellDialect(cell('sql', 'sqlite'), fm), 'sqlite');
    const mysqlFm = readFrontMatter('---\nconnections:\n  my: { driver: mysql, url: "mysql://u@h/d" }\n  pg: { driver: postgres, url: "postgres://u@h/d" }\n---\n').data;
    const hashDrop = 'SELECT 1 # DROP TABLE t';
    assert.deepEqual(dangersOf(hashDrop, 'sql', {}, mysqlFm, { fenceLanguage: 'mysql' }), [], 'a mysql fence: # starts a comment');
    assert.equal(dangersOf(hashDrop, 'sql', {}, mysqlFm, { fenceLanguage: 'postgresql' }).length, 1);
  });

  it('the runner runs a sqlite fence without db= against the sqlite connection, and plain sql against the default', { skip: requirement(sqliteMissing()) }, async () => {
    const db = join(tmp, 'facts.db');
    execFileSync('sqlite3', [db, "CREATE TABLE t(v TEXT); INSERT INTO t VALUES ('from-lite');"]);
    const text = `---
connections:
  lite: { driver: sqlite, path: ${db} }
  pg: { driver: postgres, url: "postgres://ops@127.0.0.1:1/erp" }
---
\`\`\`sqlite {name=dialect}
SELECT v FROM t;
\`\`\`

\`\`\`sql {name=plain}
SELECT v FROM t;
\`\`\`
`;
    const session = createRunSession({ defaultTarget: () => 'local', operator: 'alice', ui: ui(), defaultConnection: () => 'lite' });
    sessions.push(session);
    const doc = parseRunbook(text);
    const summary = await runDocument(doc, session.runner, { all: true });
    const outputs = doc.cells.filter((c): c is CodeCell => c.kind === 'code').map((c) => c.outputs.map((o) => o.text).join(''));
    assert.equal(summary.failed, 0, outputs.join('\n'));
    for (const o of outputs) assert.match(o, /from-lite/);
  });
});

describe('runbook run --db NAME: the connection of SQL cells without db=', { skip: requirement(sqliteMissing()) }, () => {
  it('plain sql cells run against --db, and without it they say which connections there are', async () => {
    const db = join(tmp, 'cli.db');
    execFileSync('sqlite3', [db, "CREATE TABLE t(v TEXT); INSERT INTO t VALUES ('via-cli-db');"]);
    const file = join(tmp, 'cli-db.runbook.md');
    writeFileSync(file, `---\nconnections:\n  a: { driver: sqlite, path: ${db} }\n  b: { driver: sqlite, path: ${db}.other }\n---\n\`\`\`sql {name=q}\nSELECT v FROM t;\n\`\`\`\n`);
    const withDb = startCli(['run', file, '--all', '--db', 'a', '--out', join(tmp, 'with.runbook.md')]);
    assert.equal(await withDb.exited(), 0, withDb.stderr());
    assert.match(readFileSync(join(tmp, 'with.runbook.md'), 'utf8'), /via-cli-db/);
    const without = startCli(['run', file, '--all', '--out', join(tmp, 'without.runbook.md')]);
    assert.equal(await without.exited(), 1);
    assert.match(readFileSync(join(tmp, 'without.runbook.md'), 'utf8'), /does not say which database to use: add db=NAME to its fence \(connections in this runbook: a, b\)/);
  });
});

describe('records, operator, timeout and secrets', () => {
  it('the record kind comes from the parsed incident key', () => {
    const fm = (y: string) => readFrontMatter(`---\n${y}\n---\n`).data;
    assert.equal(recordKind(fm('title: x')), 'runbook');
    assert.equal(recordKind(fm('incident: { id: A-1 }')), 'incident');
    assert.equal(recordKind(fm('incident: { id: A-1, drill: true }')), 'drill');
    assert.equal(isRecord(fm('description: "incident: not a key"')), false, 'a pattern over the YAML would say yes');
    assert.equal(isDrillRecord(fm('incident: { id: A-1 }')), false);
  });

  it('the operator: named, else RUNBOOK_OPERATOR, else the local user', () => {
    assert.equal(operatorName('carol', { RUNBOOK_OPERATOR: 'bob' }), 'carol');
    assert.equal(operatorName('  ', { RUNBOOK_OPERATOR: 'bob' }), 'bob');
    assert.equal(operatorName(undefined, { RUNBOOK_OPERATOR: 'bob' }), 'bob');
  });

  it('the timeout: timeout= wins over the default, 0 is none', () => {
    assert.equal(cellTimeoutMs({ timeout: '30s' }, 5000), 30_000);
    assert.equal(cellTimeoutMs({}, 5000), 5000);
    assert.equal(cellTimeoutMs({ timeout: '0' }, 5000), undefined);
    assert.equal(cellTimeoutMs({}), undefined);
  });

  it("one secret policy: a connection's password variable is redacted from shell output too", async () => {
    const fm = readFrontMatter('---\nvariables:\n  PGPW: { prompt: pw }\n  TOKEN: { secret: true }\nconnections:\n  pg: { driver: postgres, url: "postgres://u@h/d", passwordVariable: PGPW }\n---\n').data;
    assert.deepEqual(secretVariableNames(fm).sort(), ['PGPW', 'TOKEN']);
    assert.deepEqual(runSecrets(fm, { PGPW: 'pw-value-123', TOKEN: '' }, { env: { PGPASSWORD: 'env-pw-456' } }),
      [{ name: 'PGPW', value: 'pw-value-123' }, { name: 'PGPASSWORD', value: 'env-pw-456' }]);
    const session = createRunSession({ defaultTarget: () => 'local', operator: 'alice', ui: ui(), variables: { PGPW: 'pw-value-123' } });
    sessions.push(session);
    const doc = parseRunbook('---\nvariables:\n  PGPW: { prompt: pw }\nconnections:\n  pg: { driver: postgres, url: "postgres://u@h/d", passwordVariable: PGPW }\n---\n```bash {name=leak}\necho "pw=$PGPW"\n```\n');
    await runDocument(doc, session.runner, { all: true });
    const text = serializeRunbook(doc);
    assert.doesNotMatch(text, /pw-value-123/);
    assert.match(text, /pw=\[REDACTED:PGPW\]/);
  });
});

describe('one factory, and core entry points take the model', () => {
  it('a session outside a drill refuses a drill record (its stand-ins are not on PATH)', async () => {
    const session = createRunSession({ defaultTarget: () => 'local', operator: 'alice', ui: ui() });
    sessions.push(session);
    const doc = parseRunbook('---\nincident: { id: DRILL-1, drill: true }\n---\n```bash {name=x}\necho ran\n```\n');
    const summary = await runDocument(doc, session.runner, { all: true });
    assert.equal(summary.failed, 1);
    assert.match(doc.log!.rows[0]!.detail ?? '', /drill record and its drill is not running/);
  });

  it('only core/run/session.ts assembles executors, the SSH pool and the runner', () => {
    const src = join(__dirname, '..', '..', 'src');
    const files = (dir: string): string[] => readdirSync(dir).flatMap((n) => {
      const p = join(dir, n);
      return statSync(p).isDirectory() ? files(p) : p.endsWith('.ts') ? [p] : [];
    });
    const builders = files(src).filter((f) => /new (CellRunner|SshRemote|ShellExecutor)\(|\b(sqlExecutor|httpExecutor|prometheusExecutor)\(/.test(readFileSync(f, 'utf8')))
      .map((f) => relative(src, f)).filter((f) => !f.startsWith('core/run/frontMatterExecutors.ts'));
    assert.deepEqual(builders, ['core/run/session.ts']);
  });

  it('startIncident takes the runbook model and leaves it unchanged', () => {
    const runbook = parseRunbook('---\nseverity: { P1: 1h }\n---\n# Disk\n\n```bash {name=df}\ndf -h\n```\n');
    const before = serializeRunbook(runbook);
    const started = startIncident(runbook, { severity: 'P1', operator: 'alice', now: new Date('2026-11-23T05:12:00Z') });
    assert.equal(serializeRunbook(runbook), before);
    assert.equal(started.text, serializeRunbook(started.doc));
    assert.equal(recordKind(started.doc.frontMatter?.data), 'incident');
  });
});
