// Shell cells over SSH against a real OpenSSH server (test/harness/sshd.ts): same semantics as local cells,
// host key trust, auth errors, a server dying mid-cell and the reconnect, keepalive, redaction, exec and
// port forwarding. Needs root and openssh-server (skipped with the reason otherwise).
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { connect, createServer, type AddressInfo, type Server } from 'node:net';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createRedactor } from '../../src/core/redact/index.js';
import { SshError, fingerprintSha256 } from '../../src/core/ssh/index.js';
import { eventually, newPool, recordingAsk, sleep, sshSession, targetFor, within } from '../harness/sshFixtures.js';
import { killUserProcesses, makeKey, Sshd, sshdSkipReason, sshKeygenFingerprint, startSshd, userProcesses } from '../harness/sshd.js';
import { requirement } from '../harness/requirement.js';

const skip = requirement(sshdSkipReason());

describe('shell cells over SSH (real sshd)', { skip }, () => {
  let sshd: Sshd;
  before(async () => {
    sshd = await startSshd();
  });
  after(() => {
    killUserProcesses('sleep 985.5');
    sshd?.dispose();
  });

  it('runs a cell on the remote host; the target label is the real user@host:port', async () => {
    const t = targetFor(sshd);
    assert.equal(t.target.label, `rbtest@127.0.0.1:${sshd.port}`);
    assert.deepEqual({ kind: t.target.kind, user: t.target.user, host: t.target.host, port: t.target.port }, { kind: 'ssh', user: 'rbtest', host: '127.0.0.1', port: sshd.port });
    const s = sshSession(newPool([sshd.knownHostsFile]), t);
    const r = await s.run('echo hi');
    assert.equal(r.exitCode, 0);
    assert.equal(r.stdout, 'hi\n');
    assert.equal(r.stderr, '');
    assert.equal(r.freshSession, true);
    const who = await s.run('id -un; echo $$');
    assert.equal(who.stdout, `rbtest\n${s.pid}\n`, 'runs as the remote user; pid is the remote shell');
  });

  it('carries cd, export, variables and functions from cell to cell', async () => {
    const s = sshSession(newPool([sshd.knownHostsFile]), targetFor(sshd));
    await s.run('cd /tmp\nexport GREETING=bonjour\nCOUNT=41\nf() { echo "f:$1"; }');
    const r = await s.run('echo "$PWD $GREETING $((COUNT + 1))"; f x');
    assert.equal(r.stdout, '/tmp bonjour 42\nf:x\n');
    assert.equal(r.freshSession, false);
  });

  it('reports exit codes and keeps stderr apart', async () => {
    const s = sshSession(newPool([sshd.knownHostsFile]), targetFor(sshd));
    const r = await s.run('echo out; echo err >&2; echo out2; (exit 7)');
    assert.equal(r.exitCode, 7);
    assert.equal(r.stdout, 'out\nout2\n');
    assert.equal(r.stderr, 'err\n');
    const f = await s.run('false');
    assert.equal(f.exitCode, 1);
    assert.equal(f.sessionEnded, false);
    const ended = await s.run('exit 3');
    assert.equal(ended.exitCode, 3);
    assert.equal(ended.sessionEnded, true);
    assert.equal((await s.run('echo again')).stdout, 'again\n');
  });

  it('passes large output and binary-safe UTF-8 through', async () => {
    const s = sshSession(newPool([sshd.knownHostsFile]), targetFor(sshd), { maxOutputBytes: 8 * 1024 * 1024 });
    const r = await s.run("head -c 3000000 /dev/zero | tr '\\0' x; echo; printf 'é漢🙂\\n'");
    assert.equal(r.stdout.length, 3000000 + 1 + 'é漢🙂\n'.length);
    assert.ok(r.stdout.endsWith('\né漢🙂\n'));
  });

  it('redacts secrets in remote stdout and stderr', async () => {
    const redact = createRedactor([{ name: 'API_TOKEN', value: 's3cr3t-tok-42xyz' }]);
    const s = sshSession(newPool([sshd.knownHostsFile]), targetFor(sshd), { redact, variables: { API_TOKEN: 's3cr3t-tok-42xyz' } });
    const live: string[] = [];
    const r = await s.run('echo "token=$API_TOKEN"; echo "again $API_TOKEN" >&2', { onStdout: (c) => live.push(c) });
    assert.equal(r.stdout, 'token=[REDACTED:API_TOKEN]\n');
    assert.equal(r.stderr, 'again [REDACTED:API_TOKEN]\n');
    assert.ok(!live.join('').includes('s3cr3t'), 'live output redacted too');
  });

  it('shares one connection between sessions to the same target', async () => {
    const pool = newPool([sshd.knownHostsFile]);
    const t = targetFor(sshd);
    const before = sshd.log.filter((l) => /Accepted publickey/.test(l)).length;
    const a = sshSession(pool, t);
    const b = sshSession(pool, t);
    await Promise.all([a.run('true'), b.run('true')]);
    await a.run('true');
    assert.equal(pool.get(t.ssh), pool.get(targetFor(sshd).ssh));
    assert.notEqual(a.pid, b.pid, 'two shells');
    assert.equal(sshd.log.filter((l) => /Accepted publickey/.test(l)).length - before, 1, 'one login');
  });

  it('refuses a wrong user key with a clear error', async () => {
    const wrong = makeKey(join(sshd.dir, 'not_authorized'));
    const t = targetFor(sshd, 'box', { identityFile: wrong });
    const s = sshSession(newPool([sshd.knownHostsFile]), t);
    const r = await s.run('echo never');
    assert.equal(r.exitCode, null);
    assert.equal(r.sessionEnded, true);
    assert.match(r.message ?? '', new RegExp(`permission denied for rbtest@127\\.0\\.0\\.1:${sshd.port} \\(publickey\\)`));
    assert.ok(r.message!.includes(wrong), 'names the key that was tried');
    assert.equal(r.stdout, '');
  });

  it('authenticates with ssh-agent (SSH_AUTH_SOCK), falling back to key files', async () => {
    const sock = join(sshd.dir, 'agent.sock');
    const agent = spawn('ssh-agent', ['-D', '-a', sock], { stdio: 'ignore' });
    try {
      assert.ok(await eventually(() => existsSync(sock)), 'agent up');
      execFileSync('ssh-add', ['-q', sshd.userKey], { env: { ...process.env, SSH_AUTH_SOCK: sock }, stdio: 'ignore' });
      const noKeyFile = targetFor(sshd, 'box', { identityFile: join(sshd.dir, 'missing') });
      const saved = process.env.SSH_AUTH_SOCK;
      process.env.SSH_AUTH_SOCK = sock;
      try {
        const s = sshSession(newPool([sshd.knownHostsFile], recordingAsk(), { agent: undefined }), noKeyFile);
        assert.equal((await s.run('echo via-agent')).stdout, 'via-agent\n');
      } finally {
        if (saved === undefined) delete process.env.SSH_AUTH_SOCK;
        else process.env.SSH_AUTH_SOCK = saved;
      }
      // An agent holding only a wrong key: refused there, then the key file works.
      execFileSync('ssh-add', ['-q', '-D'], { env: { ...process.env, SSH_AUTH_SOCK: sock }, stdio: 'ignore' });
      execFileSync('ssh-add', ['-q', makeKey(join(sshd.dir, 'agent_wrong'))], { env: { ...process.env, SSH_AUTH_SOCK: sock }, stdio: 'ignore' });
      const r = await newPool([sshd.knownHostsFile], recordingAsk(), { agent: sock }).get(targetFor(sshd).ssh).exec('echo via-file');
      assert.equal(r.stdout.toString(), 'via-file\n');
      await assert.rejects(newPool([sshd.knownHostsFile], recordingAsk(), { agent: sock }).get(noKeyFile.ssh).connect(), /permission denied for .*\(publickey\): tried ssh-agent/);
    } finally {
      agent.kill('SIGKILL');
    }
  });

  it('asks for the passphrase of an encrypted key once, in memory only', async () => {
    const key = makeKey(join(sshd.dir, 'encrypted'), { passphrase: 'correct horse' });
    sshd.authorize(`${key}.pub`);
    const ask = recordingAsk({ passphrase: 'correct horse' });
    const pool = newPool([sshd.knownHostsFile], ask);
    const t = targetFor(sshd, 'box', { identityFile: key });
    assert.equal((await pool.get(t.ssh).exec('echo ok')).stdout.toString(), 'ok\n');
    // A second connection (another name for the same server) with the same key: not asked again.
    const other = targetFor(sshd, 'box', { identityFile: key, ssh: `rbtest@localhost` });
    writeFileSync(sshd.knownHostsFile, `${readFileSync(sshd.knownHostsFile, 'utf8')}[localhost]:${sshd.port} ${sshd.hostPublicKey}\n`);
    assert.equal((await pool.get(other.ssh).exec('echo ok2')).stdout.toString(), 'ok2\n');
    assert.deepEqual(ask.passphraseQuestions, [key]);

    const wrongAsk = recordingAsk({ passphrase: 'wrong' });
    await assert.rejects(newPool([sshd.knownHostsFile], wrongAsk).get(t.ssh).connect(), (e: SshError) => {
      assert.equal(e.kind, 'auth');
      assert.match(e.message, /permission denied for .*\(wrong passphrase\)/);
      return true;
    });
  });

  it('refuses a changed host key, naming the host and both fingerprints', async () => {
    const other = makeKey(join(sshd.dir, 'impostor'));
    const otherPub = readFileSync(`${other}.pub`, 'utf8').split(' ');
    const kh = join(sshd.dir, 'known_hosts_changed');
    writeFileSync(kh, `[127.0.0.1]:${sshd.port} ${otherPub[0]} ${otherPub[1]}\n`);
    const ask = recordingAsk({ hostKey: true });
    const s = sshSession(newPool([kh], ask), targetFor(sshd));
    const r = await s.run('echo never');
    assert.equal(r.exitCode, null);
    const msg = r.message ?? '';
    assert.match(msg, /HOST KEY CHANGED for \[127\.0\.0\.1\]:\d+/);
    assert.ok(msg.includes(`rbtest@127.0.0.1:${sshd.port}`), msg);
    assert.ok(msg.includes(sshKeygenFingerprint(`${other}.pub`)), 'the known fingerprint');
    assert.ok(msg.includes(sshKeygenFingerprint(`${sshd.hostKey}.pub`)), 'the presented fingerprint');
    assert.equal(ask.hostKeyQuestions.length, 0, 'never asks to trust a changed key');
    assert.equal(readFileSync(kh, 'utf8').split('\n').filter(Boolean).length, 1, 'known_hosts untouched');
  });

  it('asks about an unknown host key with its SHA256 fingerprint: no refuses, yes records it', async () => {
    const kh = join(sshd.dir, 'known_hosts_empty');
    writeFileSync(kh, '');
    const expected = sshKeygenFingerprint(`${sshd.hostKey}.pub`);
    const no = recordingAsk({ hostKey: false });
    await assert.rejects(newPool([kh], no).get(targetFor(sshd).ssh).connect(), (e: SshError) => {
      assert.equal(e.kind, 'hostkey-rejected');
      assert.ok(e.message.includes(expected) && e.message.includes(`rbtest@127.0.0.1:${sshd.port}`), e.message);
      return true;
    });
    assert.equal(no.hostKeyQuestions.length, 1);
    assert.deepEqual(no.hostKeyQuestions[0], { host: '127.0.0.1', port: sshd.port, label: `rbtest@127.0.0.1:${sshd.port}`, fingerprint: expected, keyType: 'ssh-ed25519', knownHostsFile: kh });
    assert.equal(readFileSync(kh, 'utf8'), '', 'nothing recorded after no');

    const yes = recordingAsk({ hostKey: true });
    const s = sshSession(newPool([kh], yes), targetFor(sshd));
    assert.equal((await s.run('echo trusted')).stdout, 'trusted\n');
    assert.equal(yes.hostKeyQuestions.length, 1);
    assert.equal(readFileSync(kh, 'utf8'), `[127.0.0.1]:${sshd.port} ${sshd.hostPublicKey}\n`);
    const again = recordingAsk({ hostKey: false });
    await newPool([kh], again).get(targetFor(sshd).ssh).connect();
    assert.equal(again.hostKeyQuestions.length, 0, 'known now: not asked again');
    assert.equal(fingerprintSha256(Buffer.from(sshd.hostPublicKey.split(' ')[1]!, 'base64')), expected);
  });

  it('configures keepalive (15 s × 3 by default) and detects a frozen server with it', async () => {
    assert.deepEqual(newPool([sshd.knownHostsFile]).get(targetFor(sshd).ssh).keepalive, { intervalMs: 15_000, countMax: 3 });
    const own = await startSshd();
    try {
      const pool = newPool([own.knownHostsFile], recordingAsk(), { keepaliveIntervalMs: 200, keepaliveCountMax: 2 });
      const s = sshSession(pool, targetFor(own));
      assert.equal((await s.run('echo up')).stdout, 'up\n');
      const running = s.run('sleep 987.25');
      await sleep(200);
      const frozen = own.connectionProcesses();
      for (const p of frozen) process.kill(p, 'SIGSTOP');
      // Failure timeout only (the cell sleeps 987 s): the message below says the keepalives detected it.
      const r = await within(running, 60_000, 'the frozen server was not detected');
      for (const p of frozen) process.kill(p, 'SIGCONT');
      assert.equal(r.exitCode, null);
      assert.match(r.message ?? '', new RegExp(`lost the SSH connection to rbtest@127\\.0\\.0\\.1:${own.port} \\(no answer to 2 keepalives\\)`));
    } finally {
      own.dispose();
      killUserProcesses('sleep 987.25');
    }
  });

  it('fails the running cell when sshd dies, then reconnects on the next run (no orphan left)', async () => {
    const own = await startSshd();
    try {
      const s = sshSession(newPool([own.knownHostsFile]), targetFor(own));
      await s.run('cd /tmp; export KEEP=1');
      const running = s.run('echo started; sleep 986.5; echo never');
      await sleep(300);
      assert.equal(userProcesses('sleep 986.5').length, 1);
      own.stop();
      // Failure timeout only (the cell sleeps 986 s): the drop itself must end it.
      const r = await within(running, 60_000, 'the cell did not fail when sshd died');
      assert.equal(r.exitCode, null);
      assert.equal(r.sessionEnded, true);
      assert.equal(r.stdout, 'started\n', 'output before the drop is kept');
      assert.match(r.message ?? '', new RegExp(`lost the SSH connection to rbtest@127\\.0\\.0\\.1:${own.port}`));
      // Still down: a clear error, no hang.
      const down = await s.run('echo down');
      assert.match(down.message ?? '', new RegExp(`could not connect to rbtest@127\\.0\\.0\\.1:${own.port}: (connection refused|the connection was reset)`));
      await own.restart();
      const back = await s.run('echo "back $PWD ${KEEP:-unset}"');
      assert.equal(back.exitCode, 0);
      assert.equal(back.freshSession, true);
      assert.equal(back.stdout, `back /home/rbtest unset\n`, 'a new shell: earlier state is gone, as the result says');
      assert.ok(await eventually(() => userProcesses('sleep 986.5').length === 0), 'the dropped cell\'s process was killed after reconnecting');
    } finally {
      own.dispose();
      killUserProcesses('sleep 986.5');
    }
  });

  it('gives clear errors for a refused port, a silent server, a hang-up and an unknown name', async () => {
    const closed = targetFor(sshd, 'box', { port: 1 });
    await assert.rejects(newPool([sshd.knownHostsFile]).get(closed.ssh).connect(), (e: SshError) => {
      assert.equal(e.kind, 'refused');
      assert.match(e.message, /could not connect to rbtest@127\.0\.0\.1:1: connection refused/);
      return true;
    });
    // A port that accepts TCP but never speaks SSH: the handshake times out (no hang, a clear message).
    const silent = createServer(() => {});
    const closing = createServer((sock) => sock.destroy());
    await Promise.all([silent, closing].map((srv) => new Promise<void>((r) => srv.listen(0, '127.0.0.1', r))));
    const portOf = (srv: Server) => (srv.address() as AddressInfo).port;
    try {
      const mute = targetFor(sshd, 'box', { port: portOf(silent) });
      // The configured 2 s, not the default 15 s, is the deadline: the message names the one it used, and the
      // 14 s failure timeout (not a speed claim) would end the test if the default were used.
      await assert.rejects(within(newPool([sshd.knownHostsFile], recordingAsk(), { connectTimeoutMs: 2000 }).get(mute.ssh).connect(), 14_000, 'the handshake deadline'), (e: SshError) => {
        assert.equal(e.kind, 'timeout');
        assert.match(e.message, new RegExp(`could not connect to rbtest@127\\.0\\.0\\.1:${portOf(silent)}: no SSH handshake within 2 s$`));
        return true;
      });
      const hangup = targetFor(sshd, 'box', { port: portOf(closing) });
      await assert.rejects(newPool([sshd.knownHostsFile]).get(hangup.ssh).connect(), /closed before the SSH handshake/);
    } finally {
      silent.close();
      closing.close();
    }
    const dns = targetFor(sshd, 'box', { ssh: 'rbtest@no-such-host.invalid' });
    await assert.rejects(newPool([sshd.knownHostsFile]).get(dns.ssh).connect(), /unknown host name no-such-host\.invalid|could not connect/);
  });

  it('exec runs a command to completion; forwardLocal tunnels a local port to a remote one', async () => {
    const pool = newPool([sshd.knownHostsFile]);
    const conn = pool.get(targetFor(sshd).ssh);
    const r = await conn.exec('cat; echo err >&2; exit 3', { stdin: 'from stdin\n' });
    assert.deepEqual({ code: r.code, out: r.stdout.toString(), err: r.stderr.toString() }, { code: 3, out: 'from stdin\n', err: 'err\n' });
    // An abortable exec reports its remote pid first (hidden) and an abort kills its whole remote tree.
    const quick = await conn.exec('echo "$1-ok"; exit 4', { signal: new AbortController().signal });
    assert.deepEqual({ code: quick.code, out: quick.stdout.toString() }, { code: 4, out: '-ok\n' });
    const ac = new AbortController();
    const pending = conn.exec('echo started; sleep 985.5 & sleep 985.5; echo never', { signal: ac.signal });
    await sleep(300);
    assert.equal(userProcesses('sleep 985.5').filter((l) => /^\d+ sleep 985\.5$/.test(l)).length, 2);
    ac.abort();
    // Failure timeout only (the command sleeps 985 s): SIGKILL below says the abort ended it.
    const aborted = await within(pending, 60_000, 'the abort did not end the command');
    assert.deepEqual({ code: aborted.code, signal: aborted.signal, out: aborted.stdout.toString() }, { code: null, signal: 'SIGKILL', out: 'started\n' });
    assert.ok(await eventually(() => userProcesses('sleep 985.5').length === 0, 5000), 'no remote process left');
    // The tunnel's far end is the sshd itself (as seen from the server): its banner comes back.
    const fwd = await conn.forwardLocal('127.0.0.1', sshd.port);
    assert.equal(fwd.host, '127.0.0.1');
    const banner = await new Promise<string>((resolve, reject) => {
      const sock = connect(fwd.port, '127.0.0.1');
      sock.once('data', (b) => {
        resolve(b.toString());
        sock.destroy();
      });
      sock.once('error', reject);
    });
    assert.match(banner, /^SSH-2\.0-OpenSSH/);
    await fwd.close();
  });
});
