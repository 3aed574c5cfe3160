// Jump hosts against two real sshd instances: front matter `jump:`, ~/.ssh/config ProxyJump, two hops, the
// jump host's forwarding checked in its own log, and the errors when a hop fails.
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { SshError } from '../../src/core/ssh/errors.js';
import { resolveTarget, hopChain } from '../../src/core/ssh/targets.js';
import { eventually, newPool, recordingAsk, sleep, sshSession, testEnv } from '../harness/sshFixtures.js';
import { Sshd, sshdSkipReason, startSshd } from '../harness/sshd.js';
import { requirement } from '../harness/requirement.js';

const skip = requirement(sshdSkipReason());

describe('jump hosts (two real sshd)', { skip }, () => {
  let jump: Sshd;
  let target: Sshd;
  let knownHosts: string;
  before(async () => {
    [jump, target] = await Promise.all([startSshd({ logLevel: 'DEBUG1' }), startSshd()]);
    knownHosts = join(target.dir, 'known_hosts_both');
    writeFileSync(knownHosts, `${jump.knownHostsLine}\n${target.knownHostsLine}\n`);
  });
  after(() => {
    jump?.dispose();
    target?.dispose();
  });

  /** Forwarding requests the jump sshd served to the target's port. */
  const forwardsToTarget = () => jump.log.filter((l) => /server_request_direct_tcpip: .* target 127\.0\.0\.1 port (\d+)$/.exec(l)?.[1] === String(target.port)).length;
  /** The jump sshd logs on its own schedule: wait for the count to reach `n`. */
  const forwardsReach = (n: number) => eventually(() => forwardsToTarget() >= n, 2000);

  it('front matter jump: runs on the target through the jump host, labelled with the target', async () => {
    const hosts = {
      bastion: { ssh: `rbtest@127.0.0.1`, port: jump.port, identityFile: jump.userKey },
      app: { ssh: `rbtest@127.0.0.1`, port: target.port, identityFile: target.userKey, jump: 'bastion' },
    };
    const t = resolveTarget('app', hosts, undefined, testEnv);
    assert.equal(t.target.label, `rbtest@127.0.0.1:${target.port}`);
    const before = forwardsToTarget();
    const s = sshSession(newPool([knownHosts]), t);
    const r = await s.run('echo via-jump; echo "$SSH_CONNECTION" | cut -d" " -f4');
    assert.equal(r.exitCode, 0, r.message);
    assert.equal(r.stdout, `via-jump\n${target.port}\n`);
    assert.ok(await forwardsReach(before + 1), `the jump sshd forwarded a connection to the target:\n${jump.log.filter((l) => /tcpip/.test(l)).join('\n')}`);
    await sleep(100);
    assert.equal(forwardsToTarget() - before, 1, 'exactly one');
    assert.ok(target.log.some((l) => /Accepted publickey for rbtest/.test(l)));
    await s.run('cd /tmp');
    assert.equal((await s.run('pwd')).stdout, '/tmp\n');
  });

  it('~/.ssh/config ProxyJump, and two hops (jump → target → target)', async () => {
    const config = `
Host bastion
  HostName 127.0.0.1
  Port ${jump.port}
  User rbtest
  IdentityFile ${jump.userKey}
Host app
  HostName 127.0.0.1
  Port ${target.port}
  User rbtest
  IdentityFile ${target.userKey}
  ProxyJump bastion
Host app-2hops
  HostName 127.0.0.1
  Port ${target.port}
  User rbtest
  IdentityFile ${target.userKey}
  ProxyJump bastion,app
`;
    const one = resolveTarget('app', undefined, config, testEnv);
    const two = resolveTarget('app-2hops', undefined, config, testEnv);
    assert.deepEqual(hopChain(two.ssh).map((h) => h.port), [jump.port, target.port, target.port]);
    const pool = newPool([knownHosts]);
    const before = forwardsToTarget();
    const r1 = await sshSession(pool, one).run('echo one-hop');
    assert.equal(r1.stdout, 'one-hop\n', r1.message);
    const r2 = await sshSession(pool, two).run('echo two-hops');
    assert.equal(r2.stdout, 'two-hops\n', r2.message);
    assert.equal(r2.exitCode, 0);
    // The first hop's connection is shared: the two-hop chain reuses the one-hop connection as its second hop.
    assert.equal(pool.get(two.ssh.via!), pool.get(one.ssh));
    assert.ok(await forwardsReach(before + 1));
    await sleep(100);
    assert.equal(forwardsToTarget() - before, 1, 'bastion forwarded once; the 2nd hop forwarded from the target to itself');
  });

  it('an unknown jump host key is asked about too (with the jump host named)', async () => {
    const onlyTarget = join(target.dir, 'known_hosts_target_only');
    writeFileSync(onlyTarget, `${target.knownHostsLine}\n`);
    const ask = recordingAsk({ hostKey: false });
    const hosts = {
      bastion: { ssh: `rbtest@127.0.0.1`, port: jump.port, identityFile: jump.userKey },
      app: { ssh: `rbtest@127.0.0.1`, port: target.port, identityFile: target.userKey, jump: 'bastion' },
    };
    const t = resolveTarget('app', hosts, undefined, testEnv);
    await assert.rejects(newPool([onlyTarget], ask).get(t.ssh).connect(), (e: SshError) => {
      assert.equal(e.kind, 'hostkey-rejected');
      assert.match(e.message, new RegExp(`rbtest@127\\.0\\.0\\.1:${jump.port}.*jump host on the way to rbtest@127\\.0\\.0\\.1:${target.port}`));
      return true;
    });
    assert.equal(ask.hostKeyQuestions[0]?.port, jump.port);
    assert.equal(readFileSync(onlyTarget, 'utf8'), `${target.knownHostsLine}\n`);
  });

  it('a jump host that cannot reach the next hop gives a clear error naming both', async () => {
    const hosts = {
      bastion: { ssh: `rbtest@127.0.0.1`, port: jump.port, identityFile: jump.userKey },
      gone: { ssh: `rbtest@127.0.0.1`, port: 1, identityFile: target.userKey, jump: 'bastion' },
    };
    const r = await sshSession(newPool([knownHosts]), resolveTarget('gone', hosts, undefined, testEnv)).run('true');
    assert.equal(r.exitCode, null);
    assert.match(r.message ?? '', new RegExp(`the jump host rbtest@127\\.0\\.0\\.1:${jump.port} could not reach 127\\.0\\.0\\.1:1 for rbtest@127\\.0\\.0\\.1:1`));
  });

  it('a wrong key for the jump host is reported for the jump host', async () => {
    const hosts = {
      bastion: { ssh: `rbtest@127.0.0.1`, port: jump.port, identityFile: target.userKey },
      app: { ssh: `rbtest@127.0.0.1`, port: target.port, identityFile: target.userKey, jump: 'bastion' },
    };
    await assert.rejects(newPool([knownHosts]).get(resolveTarget('app', hosts, undefined, testEnv).ssh).connect(), (e: SshError) => {
      assert.equal(e.kind, 'auth');
      assert.match(e.message, new RegExp(`^permission denied for rbtest@127\\.0\\.0\\.1:${jump.port} \\(publickey\\)`));
      return true;
    });
  });
});
