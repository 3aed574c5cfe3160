// No process is left (DESIGN §3): cancel and timeout stop everything a cell started, daemons and setsid
// children included (found by the cell's environment cookie); a session that ends hangs up its jobs like a
// terminal: nohup and setsid survive on purpose, plain background jobs do not. Checked in the real process
// table, locally and on the test sshd, through the session API and through the `runbook` CLI.
import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ShellSession } from '../../src/core/shell/session.js';
import { newPool, sshSession, targetFor } from '../harness/sshFixtures.js';
import { killUserProcesses, Sshd, sshdSkipReason, startSshd, userProcesses } from '../harness/sshd.js';
import { killPids, processesRunning, startCli, until } from './cliProcess.js';
import { requirement } from '../harness/requirement.js';

/** Sleep durations unique to this file and process, so parallel tests never see each other's processes. */
const tag = (n: number) => `${600 + n}.${process.pid % 1000}`;
const sleeper = (n: number) => `sleep ${tag(n)}`;

const sessions: ShellSession[] = [];
after(() => sessions.forEach((s) => s.dispose()));
function local(): ShellSession {
  const s = new ShellSession();
  sessions.push(s);
  return s;
}

/** Processes that survive on purpose are killed by the test afterwards. */
const survivors: string[] = [];
after(() => survivors.forEach((cmd) => killPids(processesRunning(cmd))));

describe('cancel and timeout stop daemons too (local)', () => {
  it('a double-forked setsid daemon does not survive its cell\'s timeout', async () => {
    const s = local();
    const r = await s.run(`(setsid ${sleeper(1)} >/dev/null 2>&1 &); echo forked; sleep 30`, { timeoutMs: 1000 });
    assert.equal(r.timedOut, true);
    assert.match(r.message ?? '', /processes were stopped/);
    assert.ok(await until(() => processesRunning(sleeper(1)).length === 0, 3000), 'the daemon is gone');
  });

  it('cancel stops a daemon that closed its streams and left the session', async () => {
    const s = local();
    const ac = new AbortController();
    const running = s.run(`setsid bash -c '${sleeper(2)} </dev/null >/dev/null 2>&1 & disown' ; sleep 30`, { signal: ac.signal });
    assert.ok(await until(() => processesRunning(sleeper(2)).length === 1), 'the daemon runs');
    ac.abort();
    const r = await running;
    assert.equal(r.cancelled, true);
    assert.ok(await until(() => processesRunning(sleeper(2)).length === 0, 3000), 'the daemon is gone');
  });

  it('a later cell\'s cancel spares the daemons of earlier cells', async () => {
    const s = local();
    await s.run(`(setsid ${sleeper(3)} >/dev/null 2>&1 &)`);
    survivors.push(sleeper(3));
    assert.ok(await until(() => processesRunning(sleeper(3)).length === 1));
    const r = await s.run('sleep 30', { timeoutMs: 500 });
    assert.equal(r.timedOut, true);
    assert.equal(processesRunning(sleeper(3)).length, 1, "an earlier cell's daemon is not this cell's");
  });
});

describe('a session that ends hangs up its jobs like a terminal (local)', () => {
  for (const how of ['dispose', 'restart'] as const) {
    it(`${how}: plain background jobs end, nohup and setsid ones survive`, async () => {
      const s = local();
      const n = how === 'dispose' ? 10 : 20;
      await s.run(`${sleeper(n)} & nohup ${sleeper(n + 1)} >/dev/null 2>&1 & setsid ${sleeper(n + 2)} >/dev/null 2>&1 &`);
      survivors.push(sleeper(n + 1), sleeper(n + 2));
      assert.ok(await until(() => [n, n + 1, n + 2].every((i) => processesRunning(sleeper(i)).length === 1)), 'all three run');
      const shell = s.pid!;
      s[how]();
      assert.ok(await until(() => processesRunning(sleeper(n)).length === 0, 3000), 'the plain job was hung up');
      assert.ok(await until(() => !processesRunning('bash --noprofile --norc').includes(shell), 3000), 'the shell is gone');
      assert.equal(processesRunning(sleeper(n + 1)).length, 1, 'nohup survives');
      assert.equal(processesRunning(sleeper(n + 2)).length, 1, 'setsid survives');
    });
  }

  it('a cell running when the session ends is stopped, whatever it ignores', async () => {
    const s = local();
    const running = s.run(`trap '' HUP TERM; ${sleeper(30)}`);
    assert.ok(await until(() => processesRunning(sleeper(30)).length === 1));
    s.dispose();
    const r = await running;
    assert.equal(r.sessionEnded, true);
    assert.ok(await until(() => processesRunning(sleeper(30)).length === 0, 3000), 'the running cell is gone');
  });
});

describe('the CLI leaves no process and exits when its work is done (local)', () => {
  it('hangs up plain jobs at exit, keeps nohup/setsid ones, and exits though a daemon holds its stdout', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rb-procs-'));
    const file = join(dir, 'jobs.runbook.md');
    writeFileSync(file, [
      '```bash {name=jobs}',
      `${sleeper(40)} &`,
      `nohup ${sleeper(41)} >/dev/null 2>&1 &`,
      // A double-forked daemon that keeps the session's stdout and stderr open.
      `(setsid ${sleeper(42)} &)`,
      `until pgrep -fx '${sleeper(41)}' >/dev/null && pgrep -fx '${sleeper(42)}' >/dev/null; do sleep 0.05; done`,
      'echo started',
      '```',
      '',
    ].join('\n'));
    survivors.push(sleeper(41), sleeper(42));
    const run = startCli(['run', file, '--all', '--out', join(dir, 'record.md')]);
    const code = await run.exited(30_000);
    assert.equal(code, 0, `the CLI exits (${code}): ${run.stderr()}`);
    assert.ok(await until(() => processesRunning(sleeper(40)).length === 0, 3000), 'the plain background job is gone');
    assert.equal(processesRunning(sleeper(41)).length, 1, 'nohup survives');
    assert.equal(processesRunning(sleeper(42)).length, 1, 'setsid survives');
  });

  it('a cell that ends the shell (exit) hangs up its plain jobs and the CLI still exits though a daemon holds its stdout', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rb-procs-'));
    const file = join(dir, 'exit.runbook.md');
    writeFileSync(file, ['```bash {name=bye}', `${sleeper(43)} &`, `(setsid ${sleeper(44)} &)`,
      // Exit once the daemon runs (setsid execs sleep after its setsid(): a hang-up before would end it, as in a terminal).
      `until pgrep -fx '${sleeper(44)}' >/dev/null; do sleep 0.05; done`,
      'exit 0', '```', ''].join('\n'));
    survivors.push(sleeper(44));
    const run = startCli(['run', file, '--all', '--out', join(dir, 'record.md')]);
    const code = await run.exited(30_000);
    assert.notEqual(code, 'hung', `the CLI exits: ${run.stderr()}`);
    assert.ok(await until(() => processesRunning(sleeper(43)).length === 0, 3000), 'the plain background job is gone');
    assert.equal(processesRunning(sleeper(44)).length, 1, 'setsid survives');
  });
});

const skip = requirement(sshdSkipReason());

describe('no process is left over SSH (real sshd)', { skip }, () => {
  let sshd: Sshd;
  let dir: string;
  before(async () => {
    sshd = await startSshd();
    dir = mkdtempSync(join(tmpdir(), 'rb-procs-ssh-'));
    chmodSync(dir, 0o755);
  });
  after(() => {
    for (let i = 50; i < 80; i++) killUserProcesses(sleeper(i));
    sshd?.dispose();
  });
  const remote = (n: number) => userProcesses(sleeper(n)).length;

  it('a double-forked setsid daemon does not survive its remote cell\'s timeout', async () => {
    const s = sshSession(newPool([sshd.knownHostsFile]), targetFor(sshd));
    const r = await s.run(`(setsid ${sleeper(50)} >/dev/null 2>&1 &); echo forked; sleep 30`, { timeoutMs: 1000 });
    assert.equal(r.timedOut, true);
    assert.ok(await until(() => remote(50) === 0, 3000), 'the remote daemon is gone');
  });

  it('dispose hangs up the remote session: plain jobs end, nohup and setsid survive', async () => {
    const s = sshSession(newPool([sshd.knownHostsFile]), targetFor(sshd));
    await s.run(`${sleeper(55)} & nohup ${sleeper(56)} >/dev/null 2>&1 & setsid ${sleeper(57)} >/dev/null 2>&1 &`);
    assert.ok(await until(() => remote(55) === 1 && remote(56) === 1 && remote(57) === 1), 'all three run');
    await s.close();
    assert.ok(await until(() => remote(55) === 0, 3000), 'the plain job was hung up');
    assert.equal(remote(56), 1, 'nohup survives');
    assert.equal(remote(57), 1, 'setsid survives');
  });

  const hostsFor = () => `---\nhosts:\n  box: { ssh: ${sshd.user}@${sshd.host}, port: ${sshd.port}, identityFile: ${sshd.userKey} }\n---\n`;

  it('`runbook run`: a plain background job over SSH is gone after the run, nohup and setsid ones survive', async () => {
    const file = join(dir, 'remote-jobs.runbook.md');
    writeFileSync(file, `${hostsFor()}\`\`\`bash {name=jobs host=box}\n${sleeper(60)} &\nnohup ${sleeper(61)} >/dev/null 2>&1 &\n(setsid ${sleeper(62)} &)\n` +
      `until pgrep -fx '${sleeper(61)}' >/dev/null && pgrep -fx '${sleeper(62)}' >/dev/null; do sleep 0.05; done\necho started\n\`\`\`\n`);
    const run = startCli(['run', file, '--all', '--out', join(dir, 'remote-jobs.record.md'), '--known-hosts', sshd.knownHostsFile,
      '--ssh-config', '/dev/null']);
    assert.equal(await run.exited(30_000), 0, run.stderr());
    assert.ok(await until(() => remote(60) === 0, 3000), 'the plain background job is gone from the server');
    assert.equal(remote(61), 1, 'nohup survives on the server');
    assert.equal(remote(62), 1, 'a setsid daemon that holds the remote stdout survives, and the CLI exited anyway');
  });

  it('SIGTERM to `runbook run` stops the remote cell and its shell', async () => {
    const file = join(dir, 'remote-term.runbook.md');
    writeFileSync(file, `${hostsFor()}\`\`\`bash {name=long host=box}\necho remote-started; ${sleeper(65)}\n\`\`\`\n`);
    const out = join(dir, 'remote-term.record.md');
    const run = startCli(['run', file, '--all', '--out', out, '--known-hosts', sshd.knownHostsFile, '--ssh-config', '/dev/null']);
    await run.waitForStderr('▶ long');
    assert.ok(await until(() => remote(65) === 1, 10_000), 'the remote cell runs');
    run.child.kill('SIGTERM');
    const code = await run.exited(30_000);
    assert.notEqual(code, 0);
    assert.notEqual(code, 'hung');
    assert.ok(await until(() => remote(65) === 0, 3000), 'the remote command is gone');
    assert.match(readFileSync(out, 'utf8'), /remote-started/, 'the record keeps what the cell printed');
  });
});
