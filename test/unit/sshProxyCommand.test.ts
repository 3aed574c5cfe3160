// ProxyCommand against a real sshd: OpenSSH's way (`$SHELL -c "exec <command>"`, `%h %p %r` expanded, the
// command's stdio as the transport) through a real `nc` and a real `ssh -W`; a host with a ProxyCommand is
// never connected to directly, and a failing command is named in the error.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { SshError } from '../../src/core/ssh/errors.js';
import { hopKey, resolveTarget } from '../../src/core/ssh/targets.js';
import { freePort } from '../harness/ports.js';
import { eventually, newPool, sshSession, testEnv } from '../harness/sshFixtures.js';
import { Sshd, sshdSkipReason, startSshd } from '../harness/sshd.js';
import { requirement } from '../harness/requirement.js';

const skip = sshdSkipReason() ?? (existsSync('/usr/bin/nc') ? undefined : 'nc is missing: install netcat-openbsd');

describe('ProxyCommand (real nc, real ssh -W, real sshd)', { skip: requirement(skip) }, () => {
  let sshd: Sshd;
  let closedPort: number;
  let dir: string;
  let knownHosts: string;
  before(async () => {
    assert.equal(skip, undefined, skip);
    sshd = await startSshd({ logLevel: 'DEBUG1' });
    closedPort = await freePort(); // nothing listens: a direct connection would be refused
    dir = mkdtempSync(join(tmpdir(), 'rb-proxycmd-'));
    knownHosts = join(dir, 'known_hosts');
    // The host key is looked up under the HostName and Port of the config, as OpenSSH does.
    writeFileSync(knownHosts, `[127.0.0.1]:${closedPort} ${sshd.hostPublicKey}\n${sshd.knownHostsLine}\n`);
  });
  after(() => sshd?.dispose());

  it('runs the command with sh -c and %h %p %r expanded; its stdio is the connection (nc)', async () => {
    const marker = join(dir, 'tokens');
    const config = `Host via-nc
  HostName 127.0.0.1
  Port ${closedPort}
  User ${sshd.user}
  IdentityFile ${sshd.userKey}
  ProxyCommand sh -c 'echo "%h %p %r %n %%" > ${marker}; exec nc 127.0.0.1 ${sshd.port}'
`;
    const t = resolveTarget('via-nc', undefined, config, testEnv);
    assert.equal(t.ssh.proxyCommand, `sh -c 'echo "127.0.0.1 ${closedPort} ${sshd.user} via-nc %" > ${marker}; exec nc 127.0.0.1 ${sshd.port}'`);
    assert.match(hopKey(t.ssh), /ProxyCommand/);
    const r = await sshSession(newPool([knownHosts]), t).run('echo through-proxy');
    assert.equal(r.exitCode, 0, r.message);
    assert.equal(r.stdout, 'through-proxy\n');
    assert.equal(readFileSync(marker, 'utf8'), `127.0.0.1 ${closedPort} ${sshd.user} via-nc %\n`);
    assert.equal(t.target.label, `${sshd.user}@127.0.0.1:${closedPort}`, 'the record names the configured host');
  });

  it('through a real `ssh -W %h:%p` to a bastion (the same sshd)', async () => {
    const sys = `ssh -F none -i ${sshd.userKey} -o BatchMode=yes -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null -p ${sshd.port} -W 127.0.0.1:%p ${sshd.user}@127.0.0.1`;
    const config = `Host via-ssh-w
  HostName 127.0.0.1
  Port ${sshd.port}
  User ${sshd.user}
  IdentityFile ${sshd.userKey}
  ProxyCommand ${sys}
`;
    const t = resolveTarget('via-ssh-w', undefined, config, testEnv);
    const before = sshd.log.filter((l) => /direct-tcpip/.test(l)).length;
    const r = await sshSession(newPool([knownHosts]), t).run('echo "$SSH_CONNECTION" | cut -d" " -f4');
    assert.equal(r.exitCode, 0, r.message);
    assert.equal(r.stdout, `${sshd.port}\n`);
    assert.ok(await eventually(() => sshd.log.filter((l) => /direct-tcpip/.test(l)).length > before), 'the bastion forwarded the connection (ssh -W)');
  });

  it('a failing ProxyCommand fails the connection with its status and stderr; never a direct connection', async () => {
    const config = `Host broken
  HostName 127.0.0.1
  Port ${sshd.port}
  User ${sshd.user}
  IdentityFile ${sshd.userKey}
  ProxyCommand sh -c 'echo "proxy says no to %h" >&2; exit 3'
`;
    const accepted = () => sshd.log.filter((l) => /Accepted publickey/.test(l)).length;
    const before = accepted();
    const t = resolveTarget('broken', undefined, config, testEnv);
    const pool = newPool([knownHosts]);
    await assert.rejects(pool.get(t.ssh).connect(), (e: unknown) => {
      assert.ok(e instanceof SshError);
      assert.match(e.message, /ProxyCommand `sh -c 'echo "proxy says no to 127\.0\.0\.1" >&2; exit 3'` exited with status 3: proxy says no to 127\.0\.0\.1/);
      return true;
    });
    assert.equal(accepted(), before, 'sshd (reachable directly) saw no login');
  });

  it('closing the connection ends the proxy process', async () => {
    const tag = `nc -w 3599 127.0.0.1 ${sshd.port}`; // -w: a unique command line to look for
    const config = `Host owned
  HostName 127.0.0.1
  Port ${closedPort}
  User ${sshd.user}
  IdentityFile ${sshd.userKey}
  ProxyCommand ${tag}
`;
    const t = resolveTarget('owned', undefined, config, testEnv);
    const pool = newPool([knownHosts]);
    const conn = pool.get(t.ssh);
    const r = await conn.exec('echo ok');
    assert.equal(r.stdout.toString(), 'ok\n');
    const running = () => {
      try {
        return execFileSync('pgrep', ['-f', tag], { encoding: 'utf8' }).trim().length > 0;
      } catch {
        return false;
      }
    };
    assert.ok(running(), 'the proxy runs while connected');
    conn.close();
    assert.ok(await eventually(() => !running(), 3000), 'the proxy process ended with the connection');
  });
});
