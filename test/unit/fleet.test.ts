// Fan-out against a real sshd: 12 hosts (ssh-config aliases on 127.0.0.2–13, each its own connection) and
// one unreachable alias on a closed port. Batches, forks, max_fail, cancel, one confirmation, the record.
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { parseRunbook, serializeRunbook } from '../../src/core/format/index.js';
import { verifyRecord } from '../../src/core/log/verifyRecord.js';
import { CellRunner, type CellRunOutcome } from '../../src/core/run/cellRunner.js';
import { runDocument } from '../../src/core/run/documentRunner.js';
import { ShellExecutor } from '../../src/core/run/shellExecutor.js';
import { SshRemote } from '../../src/core/run/sshRemote.js';
import { switchableRedactor } from '../../src/core/run/switchableRedactor.js';
import { targetResolver } from '../../src/core/run/targets.js';
import { repoRoot } from './helpers.js';
import { recordingAsk, testEnv } from '../harness/sshFixtures.js';
import { freePort, sshdSkipReason, startSshd, type Sshd } from '../harness/sshd.js';
import { requirement } from '../harness/requirement.js';

const skip = requirement(sshdSkipReason());
const HOSTS = 12;
const names = Array.from({ length: HOSTS }, (_, i) => `web-${String(i + 1).padStart(2, '0')}`);

describe('fan-out on a group of hosts', { skip }, () => {
  let sshd: Sshd;
  let dir: string;
  let sshConfig: string;
  let knownHosts: string;
  const disposers: (() => void)[] = [];

  before(async () => {
    sshd = await startSshd({ config: names.map((_, i) => `ListenAddress 127.0.0.${i + 2}`) });
    dir = mkdtempSync(join(tmpdir(), 'rb-fleet-'));
    chmodSync(dir, 0o777); // the remote user writes its marks here
    const closed = await freePort();
    knownHosts = join(dir, 'known_hosts');
    writeFileSync(knownHosts, names.map((_, i) => `[127.0.0.${i + 2}]:${sshd.port} ${sshd.hostPublicKey}\n`).join(''));
    sshConfig = [
      ...names.map((n, i) => `Host ${n}\n  HostName 127.0.0.${i + 2}\n`),
      `Host dead\n  HostName 127.0.0.1\n  Port ${closed}\n`,
      `Host *\n  Port ${sshd.port}\n  User ${sshd.user}\n  IdentityFile ${sshd.userKey}\n  IdentitiesOnly yes\n`,
    ].join('');
  });
  after(() => {
    for (const d of disposers) d();
    sshd?.stop();
  });

  function setup(confirmAnswer = true) {
    const questions: string[] = [];
    const remote = new SshRemote({ ask: recordingAsk(), env: testEnv, sshConfigText: sshConfig, knownHostsFiles: [knownHosts] });
    const redactor = switchableRedactor();
    const shell = new ShellExecutor({ redact: redactor.redact, transportFor: (t) => remote.transport(t) });
    disposers.push(() => {
      shell.dispose();
      remote.dispose();
    });
    const runner = new CellRunner({
      executors: { shell }, resolveTarget: targetResolver(remote.resolve), defaultTarget: () => 'local', operator: 'tester',
      redactor, fleet: { baseDir: dir, sshAliases: () => remote.aliases() },
      ui: {
        askVariable: async () => undefined, trusted: () => true,
        confirm: async (q) => {
          questions.push(q);
          return confirmAnswer;
        },
      },
    });
    return { runner, questions };
  }

  const front = `---\ngroups:\n  web: ["web-*"]\n  fleet: [web, dead]\n---\n`;

  it('runs on every host, each in its own session with $RUNBOOK_TARGET; the unreachable host fails alone; the record verifies', async () => {
    const { runner } = setup();
    const doc = parseRunbook(`${front}
\`\`\`bash {name=mark host=fleet}
export MARK="seen-$RUNBOOK_TARGET"
echo same everywhere
\`\`\`

\`\`\`bash {name=who host=fleet}
echo "$MARK on $(hostname -I 2>/dev/null | tr -d ' ' || true)$RUNBOOK_TARGET"
\`\`\`
`);
    const events: CellRunOutcome[] = [];
    const summary = await runDocument(doc, runner, { all: true, onCell: (e) => e.outcome && events.push(e.outcome) });
    assert.equal(summary.ran, 2);
    const [mark, who] = events as [CellRunOutcome, CellRunOutcome];
    assert.equal(mark.ok, false, 'the unreachable host makes the group run fail');
    // The status table: every web host ok, dead failed with the reason.
    const status = mark.outputs![0]!;
    assert.equal(status.meta.kind, 'fleet-status');
    for (const n of names) assert.match(status.text, new RegExp(`^${n} +ok +0 `, 'm'));
    assert.match(status.text, /^dead +failed +- .*connection refused/m);
    // Identical outputs once, with the folded host list.
    const same = mark.outputs!.filter((o) => o.text.includes('same everywhere'));
    assert.equal(same.length, 1);
    assert.equal(same[0]!.meta.on, 'web-[01-12]');
    assert.match(same[0]!.text, /^-+\nweb-\[01-12\] \(12\)\n-+\nsame everywhere\n$/);
    // State carried per host: each host printed its own mark, so each output is its own block.
    const perHost = who.outputs!.filter((o) => o.meta.kind !== 'fleet-status' && o.meta.stream === 'stdout');
    assert.equal(perHost.length, HOSTS);
    for (const n of names) assert.ok(perHost.some((o) => o.meta.on === n && o.text.includes(`seen-${n} on`)), n);
    // One log row per host and one for the group; the record verifies.
    const rows = doc.log!.rows;
    for (const n of names) assert.ok(rows.some((r) => r.cell === 'who' && r.event === 'run' && r.target.includes('127.0.0.')), n);
    assert.equal(rows.filter((r) => r.cell === 'who').length, HOSTS + 2);
    assert.ok(rows.some((r) => r.cell === 'who' && r.target === 'group fleet (13 hosts)' && r.out));
    const record = serializeRunbook(doc);
    const check = verifyRecord(record);
    assert.equal(check.ok, true, check.problems.join('\n'));
    const edited = record.replace('same everywhere', 'same elsewhere');
    assert.equal(verifyRecord(edited).ok, false);
  });

  it('rolls in batches of serial=N and never runs more than forks=N at once', async () => {
    const { runner } = setup();
    const marks = mkdtempSync(join(dir, 'serial-'));
    chmodSync(marks, 0o777);
    const cell = (attrs: string) => ({
      source: `echo "start $(date +%s%N)" > ${marks}/$RUNBOOK_TARGET.${attrs.replace(/\W/g, '')}\nsleep 0.2\necho "end $(date +%s%N)" >> ${marks}/$RUNBOOK_TARGET.${attrs.replace(/\W/g, '')}`,
      language: 'shellscript', attributes: Object.fromEntries(attrs.split(' ').map((kv) => kv.split('=') as [string, string])), cellName: 'roll',
    });
    const fm = parseRunbook(front).frontMatter!.data;
    const times = (suffix: string) => names.map((n) => {
      const [s, e] = readFileSync(join(marks, `${n}.${suffix}`), 'utf8').trim().split('\n').map((l) => BigInt(l.split(' ')[1]!));
      return { n, s: s!, e: e! };
    });
    const serial = await runner.run(cell('host=web serial=25%'), fm);
    assert.equal(serial.ok, true, serial.message);
    const t = times('hostwebserial25');
    for (let b = 1; b < 4; b++) {
      const prevEnd = t.slice((b - 1) * 3, b * 3).reduce((m, x) => (x.e > m ? x.e : m), 0n);
      for (const x of t.slice(b * 3, b * 3 + 3)) assert.ok(x.s > prevEnd, `${x.n} started before batch ${b} ended`);
    }
    const forks = await runner.run(cell('host=web forks=2'), fm);
    assert.equal(forks.ok, true, forks.message);
    const f = times('hostwebforks2');
    for (const x of f) {
      const overlapping = f.filter((y) => y.s <= x.s && y.e >= x.s).length;
      assert.ok(overlapping <= 2, `${overlapping} hosts ran at once with forks=2`);
    }
  });

  it('stops further batches once max_fail is passed', async () => {
    const { runner } = setup();
    const fm = parseRunbook(front).frontMatter!.data;
    const outcome = await runner.run({
      source: 'case "$RUNBOOK_TARGET" in web-01|web-02) echo broken >&2; exit 3;; esac\necho fine',
      language: 'shellscript', attributes: { host: 'web', serial: 3, max_fail: 1 }, cellName: 'fragile',
    }, fm);
    assert.equal(outcome.ok, false);
    const table = outcome.outputs![0]!.text;
    assert.match(table, /^web-01 +failed +3 /m);
    assert.match(table, /^web-03 +ok +0 /m);
    for (const n of names.slice(3)) assert.match(table, new RegExp(`^${n} +not run +- +- +2 hosts failed, more than max_fail allows \\(1\\)`, 'm'));
    assert.equal(outcome.rows.filter((r) => r.event === 'skip').length, HOSTS - 3);
    assert.match(outcome.message!, /later batches not run/);
    const stderr = outcome.outputs!.find((o) => o.meta.stream === 'stderr' && o.meta.on === 'web-[01-02]');
    assert.ok(stderr, 'the two failed hosts’ stderr is gathered once');
    // A whole failed batch stops the rest even without max_fail (as Ansible does).
    const all = await runner.run({ source: 'exit 1', language: 'shellscript', attributes: { host: 'web', serial: 4 }, cellName: 'down' }, fm);
    assert.equal(all.rows.filter((r) => r.event === 'skip').length, 8);
  });

  it('confirms a destructive step once, naming the group and its size', async () => {
    const no = setup(false);
    const fm = parseRunbook(front).frontMatter!.data;
    const target = join(dir, 'victim');
    const declined = await no.runner.run({ source: `rm -rf ${target}/$RUNBOOK_TARGET`, language: 'shellscript', attributes: { host: 'web' }, cellName: 'wipe' }, fm);
    assert.equal(declined.status, 'declined');
    assert.equal(no.questions.length, 1);
    assert.match(no.questions[0]!, /on group web \(12 hosts\)/);
    const yes = setup(true);
    const ran = await yes.runner.run({ source: `rm -rf ${target}/$RUNBOOK_TARGET && echo gone`, language: 'shellscript', attributes: { host: 'web' }, cellName: 'wipe' }, fm);
    assert.equal(yes.questions.length, 1);
    assert.equal(ran.ok, true, ran.message);
  });

  it('cancel mid-batch stops every host and leaves no process behind', async () => {
    const { runner } = setup();
    const fm = parseRunbook(front).frontMatter!.data;
    const marks = mkdtempSync(join(dir, 'cancel-'));
    chmodSync(marks, 0o777);
    const abort = new AbortController();
    const running = runner.run({
      source: `touch ${marks}/$RUNBOOK_TARGET\nsleep 97.31`, language: 'shellscript', attributes: { host: 'web', serial: 6, forks: 6 }, cellName: 'hang',
    }, fm, { signal: abort.signal });
    for (let i = 0; i < 300 && readdirSync(marks).length < 6; i++) await new Promise((r) => setTimeout(r, 50));
    assert.equal(readdirSync(marks).length, 6, 'the first batch started');
    abort.abort();
    const outcome = await running;
    const table = outcome.outputs![0]!.text;
    for (const n of names.slice(0, 6)) assert.match(table, new RegExp(`^${n} +cancelled `, 'm'));
    for (const n of names.slice(6)) assert.match(table, new RegExp(`^${n} +not run .*cancelled`, 'm'));
    for (const n of names.slice(6)) assert.equal(existsSync(join(marks, n)), false, `${n} never started`);
    let left = '';
    for (let i = 0; i < 100; i++) {
      left = execFileSync('ps', ['-u', sshd.user, '-o', 'pid=,args='], { encoding: 'utf8' }).split('\n').filter((l) => l.includes('sleep 97.31')).join('\n');
      if (!left) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    assert.equal(left, '', `processes left on the hosts:\n${left}`);
  });

  it('runbook run --target GROUP fans out to an Ansible inventory group, and runbook verify accepts the record', () => {
    const sub = mkdtempSync(join(dir, 'cli-'));
    writeFileSync(join(sub, 'hosts.ini'), [
      '[api]', ...[2, 3, 4, 5].map((a, i) => `api${i + 1} ansible_host=127.0.0.${a}`),
      '[api:vars]', `ansible_port=${sshd.port}`, `ansible_user=${sshd.user}`, `ansible_ssh_private_key_file=${sshd.userKey}`, '',
    ].join('\n'));
    const file = join(sub, 'api.runbook.md');
    writeFileSync(file, '---\ninventory: hosts.ini\n---\n```bash {name=up}\ncase $RUNBOOK_TARGET in api?) echo up;; *) echo no target;; esac\n```\n');
    const cli = (...args: string[]) => spawnSync(process.execPath, ['--import', 'tsx', join(repoRoot, 'src/cli/main.ts'), ...args],
      { encoding: 'utf8', cwd: repoRoot, env: { ...process.env, SSH_AUTH_SOCK: '' } });
    const r = cli('run', file, '--all', '--target', 'api', '--known-hosts', knownHosts, '--ssh-config', '/dev/null');
    assert.equal(r.status, 0, r.stderr);
    const text = readFileSync(file, 'utf8');
    assert.match(text, /^api1 +ok +0 /m);
    assert.match(text, /^api\[1-4\] \(4\)\n-+\nup$/m, 'one block for the four identical outputs');
    assert.match(text, /rbtest@127\.0\.0\.5:/, 'the inventory’s ansible_host, user and port were used');
    const v = cli('verify', file);
    assert.equal(v.status, 0, v.stdout + v.stderr);
  });
});
