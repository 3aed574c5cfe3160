// Shell, SQL (sqlite3 on the target) and HTTP (through an SSH tunnel) cells on a remote target, end to end
// through the run layer and the headless CLI, against a real sshd on loopback.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync, mkdtempSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { parseRunbook, serializeRunbook, type CodeCell } from '../../src/core/format/index.js';
import { CellRunner } from '../../src/core/run/cellRunner.js';
import { runDocument } from '../../src/core/run/documentRunner.js';
import { httpExecutor, sqlExecutor } from '../../src/core/run/frontMatterExecutors.js';
import { ShellExecutor } from '../../src/core/run/shellExecutor.js';
import { SshRemote } from '../../src/core/run/sshRemote.js';
import { switchableRedactor } from '../../src/core/run/switchableRedactor.js';
import { targetResolver } from '../../src/core/run/targets.js';
import { startHttpServer, type HttpTestServer } from '../harness/httpServer.js';
import { mariadbSkipReason, startMariadb, type MariadbServer } from '../harness/mariadb.js';
import { postgresSkipReason, startPostgres, type PostgresServer } from '../harness/postgres.js';
import { recordingAsk, testEnv } from '../harness/sshFixtures.js';
import { sshdSkipReason, startSshd, type Sshd } from '../harness/sshd.js';
import { repoRoot } from './helpers.js';
import { requirement } from '../harness/requirement.js';

const skip = requirement(sshdSkipReason());

describe('cells on an SSH target', { skip }, () => {
  let sshd: Sshd;
  let web: HttpTestServer;
  let dir: string;
  before(async () => {
    sshd = await startSshd();
    web = await startHttpServer();
    dir = mkdtempSync(join(tmpdir(), 'rb-sshrun-'));
    chmodSync(dir, 0o777); // the remote user writes the sqlite database here
    // The executor opens existing databases only (a typo must not create an empty one).
    spawnSync('sqlite3', [join(dir, 'remote.db'), 'create table t(a integer, b text);']);
    chmodSync(join(dir, 'remote.db'), 0o666);
  });
  after(async () => {
    await web?.stop();
    sshd?.stop();
  });

  const runbook = () => `---
hosts:
  box: { ssh: ${sshd.user}@${sshd.host}, port: ${sshd.port}, identityFile: ${sshd.userKey} }
connections:
  db: { driver: sqlite, path: ${dir}/remote.db, host: box }
variables:
  API_TOKEN: { secret: true }
---
\`\`\`bash {name=where host=box}
export STEP=one
cd /tmp
echo "user=$(whoami) token=$API_TOKEN"
\`\`\`

\`\`\`bash {name=again host=box}
echo "step=$STEP pwd=$(pwd)"
\`\`\`

\`\`\`sql {name=query db=db}
insert into t values (1, 'remote');
select a, b, (select count(*) from t) as n from t;
\`\`\`

\`\`\`http {name=health host=box}
GET http://localhost:${web.port}/health
\`\`\`
`;

  it('runs shell, sqlite and http cells on the host, records the real target and redacts secrets', async () => {
    const remote = new SshRemote({ ask: recordingAsk(), env: testEnv, sshConfigText: '', knownHostsFiles: [sshd.knownHostsFile] });
    const redactor = switchableRedactor();
    const shell = new ShellExecutor({ redact: redactor.redact, transportFor: (t) => remote.transport(t) });
    const sql = sqlExecutor({ connect: remote.connect, commandRunner: (h) => remote.commandRunner(h) });
    const http = httpExecutor({ connect: remote.connect });
    try {
      const runner = new CellRunner({
        executors: { shell, sql, http }, resolveTarget: targetResolver(remote.resolve), defaultTarget: () => 'local',
        operator: 'alice', redactor, variables: { API_TOKEN: 'tok-remote-secret-123' },
        ui: { trusted: () => true, askVariable: async () => undefined, confirm: async () => true },
      });
      const doc = parseRunbook(runbook());
      const summary = await runDocument(doc, runner, { all: true });
      const cells = doc.cells.filter((c): c is CodeCell => c.kind === 'code');
      assert.deepEqual(summary, { ran: 4, failed: 0, skipped: 0 }, JSON.stringify(cells.map((c) => c.outputs.map((o) => o.text))));
      assert.equal(cells[0]!.outputs[0]!.text, `user=${sshd.user} token=[REDACTED:API_TOKEN]\n`);
      assert.equal(cells[0]!.outputs[0]!.meta.host, sshd.label);
      assert.equal(cells[0]!.outputs[0]!.meta.user, sshd.user);
      assert.equal(cells[1]!.outputs[0]!.text, 'step=one pwd=/tmp\n');
      assert.match(cells[2]!.outputs.map((o) => o.text).join(''), /\| +1 \| remote +\| +1 \|/);
      assert.match(cells[3]!.outputs[0]!.text, /^HTTP\/1\.1 200/);
      assert.deepEqual(doc.log!.rows.map((r) => r.target), [sshd.label, sshd.label, sshd.label, sshd.label]);
      assert.ok(!serializeRunbook(doc).includes('tok-remote-secret-123'));
    } finally {
      shell.dispose();
      sql.dispose();
      http.dispose();
      remote.dispose();
    }
  });

  it('runbook run --target runs cells without host= on the host, headless', () => {
    const file = join(dir, 'headless.runbook.md');
    writeFileSync(file, `---\nhosts:\n  box: { ssh: ${sshd.user}@${sshd.host}, port: ${sshd.port}, identityFile: ${sshd.userKey} }\n---\n\`\`\`bash {name=who}\nwhoami\n\`\`\`\n`);
    const r = spawnSync(process.execPath, ['--import', 'tsx', join(repoRoot, 'src/cli/main.ts'), 'run', file, '--all', '--target', 'box',
      '--known-hosts', sshd.knownHostsFile, '--ssh-config', '/dev/null'], { encoding: 'utf8', cwd: repoRoot, env: { ...process.env, SSH_AUTH_SOCK: '' } });
    assert.equal(r.status, 0, r.stderr);
    const doc = parseRunbook(readFileSync(file, 'utf8'));
    const out = (doc.cells[0] as CodeCell).outputs[0]!;
    assert.equal(out.text, `${sshd.user}\n`);
    assert.equal(out.meta.host, sshd.label);
    assert.equal(doc.log!.rows[0]!.target, sshd.label);
  });

  it('refuses an unknown host key when nobody can answer', () => {
    const file = join(dir, 'unknown.runbook.md');
    const empty = join(dir, 'empty_known_hosts');
    writeFileSync(empty, '');
    writeFileSync(file, `---\nhosts:\n  box: { ssh: ${sshd.user}@${sshd.host}, port: ${sshd.port}, identityFile: ${sshd.userKey} }\n---\n\`\`\`bash {name=who host=box}\nwhoami\n\`\`\`\n`);
    const r = spawnSync(process.execPath, ['--import', 'tsx', join(repoRoot, 'src/cli/main.ts'), 'run', file, '--all',
      '--known-hosts', empty, '--ssh-config', '/dev/null'], { encoding: 'utf8', cwd: repoRoot, env: { ...process.env, SSH_AUTH_SOCK: '' } });
    assert.equal(r.status, 1);
    assert.match(r.stderr, /SHA256:[A-Za-z0-9+/]+/);
    assert.equal(readFileSync(empty, 'utf8'), '', 'nothing was trusted');
  });
});

describe('PostgreSQL and MariaDB cells through an SSH tunnel', { skip: skip || requirement(postgresSkipReason(), mariadbSkipReason()) }, () => {
  let sshd: Sshd;
  let pg: PostgresServer;
  let my: MariadbServer;
  before(async () => {
    [sshd, pg, my] = await Promise.all([startSshd({ logLevel: 'DEBUG1' }), startPostgres(), startMariadb()]);
  });
  after(async () => {
    sshd?.stop();
    await Promise.all([pg?.stop(), my?.stop()]);
  });

  /** Forwarding requests sshd served to `port` (its log line names the target port). */
  const forwardsTo = (port: number) => sshd.log.filter((l) => /server_request_direct_tcpip: .* port (\d+)$/.exec(l)?.[1] === String(port)).length;
  const eventually = async (check: () => boolean) => {
    for (let i = 0; i < 40 && !check(); i++) await new Promise((r) => setTimeout(r, 50));
    return check();
  };

  it('queries both servers through the host named in the connection, passwords from variables', async () => {
    const remote = new SshRemote({ ask: recordingAsk(), env: testEnv, sshConfigText: '', knownHostsFiles: [sshd.knownHostsFile] });
    const redactor = switchableRedactor();
    const sql = sqlExecutor({ connect: remote.connect, commandRunner: (h) => remote.commandRunner(h) });
    try {
      const runner = new CellRunner({
        executors: { sql }, resolveTarget: targetResolver(remote.resolve), defaultTarget: () => 'local', operator: 'alice', redactor,
        variables: { PG_PASSWORD: pg.password, MY_PASSWORD: my.password },
        ui: { trusted: () => true, askVariable: async () => undefined, confirm: async () => true },
      });
      const doc = parseRunbook(`---
hosts:
  db-host: { ssh: ${sshd.user}@${sshd.host}, port: ${sshd.port}, identityFile: ${sshd.userKey} }
connections:
  erp: { driver: postgres, url: "${pg.url}", host: db-host, passwordVariable: PG_PASSWORD }
  shop: { driver: mysql, url: "${my.url}", host: db-host, passwordVariable: MY_PASSWORD }
variables:
  PG_PASSWORD: { secret: true }
  MY_PASSWORD: { secret: true }
---
\`\`\`sql {name=pg db=erp}
select 'through the tunnel' as how, current_user as who;
\`\`\`

\`\`\`sql {name=my db=shop}
select 'through the tunnel' as how, current_user() as who;
\`\`\`
`);
      const before = [forwardsTo(pg.port), forwardsTo(my.port)];
      const summary = await runDocument(doc, runner, { all: true });
      const cells = doc.cells.filter((c): c is CodeCell => c.kind === 'code');
      assert.deepEqual(summary, { ran: 2, failed: 0, skipped: 0 }, JSON.stringify(cells.map((c) => c.outputs.map((o) => o.text))));
      assert.match(cells[0]!.outputs[0]!.text, new RegExp(`through the tunnel \\| ${pg.user}`));
      assert.match(cells[1]!.outputs[0]!.text, new RegExp(`through the tunnel \\| ${my.user}@`));
      assert.deepEqual(doc.log!.rows.map((r) => r.target), [sshd.label, sshd.label], 'the log names the tunnel host');
      assert.ok(await eventually(() => forwardsTo(pg.port) > before[0]! && forwardsTo(my.port) > before[1]!),
        `sshd forwarded connections to both servers:\n${sshd.log.filter((l) => /tcpip/.test(l)).join('\n')}`);
      const saved = serializeRunbook(doc);
      assert.ok(!saved.includes(pg.password) && !saved.includes(my.password), 'no password in the record');
    } finally {
      sql.dispose();
      remote.dispose();
    }
  });
});
