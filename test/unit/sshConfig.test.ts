// ~/.ssh/config parsing and host resolution (ssh_config(5) semantics), and target resolution from front
// matter hosts + ssh config (jump chains, cycles, labels).
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { fsIncludeReader, parseJumpSpec, parseSshConfig, resolveSshHost, splitArgs } from '../../src/core/ssh/sshConfig.js';
import { hopChain, hopKey, resolveTarget, type TargetEnv } from '../../src/core/ssh/targets.js';

const ctx = { localUser: 'alice', homeDir: '/home/alice', localHost: 'laptop.example.com' };
const env: TargetEnv = { homeDir: '/home/alice', localUser: 'alice', localHost: 'laptop' };

const CONFIG = `
# comment
Host bastion
  HostName bastion.example.com
  User ops
  Port 2200
  IdentityFile ~/.ssh/bastion_%r_%h_%p

Host db-? !db-9
  HostName %h.internal
  ProxyJump bastion

Host web-*
  User deploy
  ProxyJump ops@jump1:2201,[fd00::1]:2202

Host="quoted name"
  HostName=10.1.1.1

Host *.prod
  User produser
  IdentityFile %d/.ssh/prod_%u_%n
  IdentityFile "~/.ssh/with space"
  IdentitiesOnly yes
  UserKnownHostsFile ~/.ssh/known_hosts_prod /etc/ssh/other

Host *
  User fallback
  Port 22
  IdentityFile ~/.ssh/id_default
  ServerAliveInterval 20
`;

describe('ssh config parser', () => {
  const config = parseSshConfig(CONFIG);

  it('first value wins, IdentityFile accumulates, tokens and ~ expand', () => {
    const h = resolveSshHost(config, 'bastion', ctx);
    assert.equal(h.hostName, 'bastion.example.com');
    assert.equal(h.user, 'ops');
    assert.equal(h.port, 2200);
    assert.deepEqual(h.identityFiles, ['/home/alice/.ssh/bastion_ops_bastion.example.com_2200', '/home/alice/.ssh/id_default']);
    assert.equal(h.matched, true);
    assert.equal(h.serverAliveIntervalSeconds, 20);
  });

  it('? and negated patterns; %h in HostName is the alias', () => {
    const db1 = resolveSshHost(config, 'db-1', ctx);
    assert.equal(db1.hostName, 'db-1.internal');
    assert.deepEqual(db1.proxyJump, ['bastion']);
    assert.equal(db1.user, 'fallback');
    const db9 = resolveSshHost(config, 'db-9', ctx);
    assert.equal(db9.hostName, 'db-9');
    assert.equal(db9.proxyJump, undefined);
    assert.equal(resolveSshHost(config, 'db-10', ctx).proxyJump, undefined, '? is one character');
  });

  it('several ProxyJump hops with user@host:port and [v6]:port', () => {
    const w = resolveSshHost(config, 'web-3', ctx);
    assert.deepEqual(w.proxyJump, ['ops@jump1:2201', '[fd00::1]:2202']);
    assert.deepEqual(parseJumpSpec('ops@jump1:2201'), { user: 'ops', host: 'jump1', port: 2201 });
    assert.deepEqual(parseJumpSpec('[fd00::1]:2202'), { host: 'fd00::1', port: 2202 });
    assert.deepEqual(parseJumpSpec('ssh://u@h:7'), { user: 'u', host: 'h', port: 7 });
    assert.deepEqual(parseJumpSpec('plain'), { host: 'plain' });
    assert.throws(() => parseJumpSpec('u@h:99999'), /port/);
    assert.throws(() => parseJumpSpec('@h'), /not a valid host/);
  });

  it('Keyword=value, quoted values, case-insensitive keywords, case-sensitive Host patterns (as OpenSSH)', () => {
    assert.equal(resolveSshHost(config, 'quoted name', ctx).hostName, '10.1.1.1');
    assert.equal(resolveSshHost(config, 'quoted', ctx).hostName, 'quoted', 'a quoted pattern is one word');
    assert.deepEqual(splitArgs('a "b c" \'d e\' f\\ g # comment'), ['a', 'b c', 'd e', 'f g']);
    const c = parseSshConfig('HOST Foo\n  HOSTNAME foo.example\n  port=2022\n');
    const h = resolveSshHost(c, 'Foo', ctx);
    assert.equal(h.hostName, 'foo.example', 'HostName is lower-cased');
    assert.equal(h.port, 2022);
    assert.equal(resolveSshHost(c, 'foo', ctx).hostName, 'foo', 'Host Foo does not match foo');
  });

  it('%d %u %n tokens, quoted paths, IdentitiesOnly, UserKnownHostsFile list', () => {
    const h = resolveSshHost(config, 'api.prod', ctx);
    assert.equal(h.user, 'produser');
    assert.deepEqual(h.identityFiles, ['/home/alice/.ssh/prod_alice_api.prod', '/home/alice/.ssh/with space', '/home/alice/.ssh/id_default']);
    assert.equal(h.identitiesOnly, true);
    assert.deepEqual(h.userKnownHostsFiles, ['/home/alice/.ssh/known_hosts_prod', '/etc/ssh/other']);
  });

  it('unknown names fall back to Host * and are not "matched"', () => {
    const h = resolveSshHost(config, 'random.example', ctx);
    assert.equal(h.hostName, 'random.example');
    assert.equal(h.user, 'fallback');
    assert.equal(h.matched, false);
    const none = resolveSshHost(parseSshConfig(''), 'x', ctx);
    assert.equal(none.user, 'alice');
    assert.equal(none.port, 22);
  });

  it('explicit user and port (command line) win over the config and feed %r/%p', () => {
    const h = resolveSshHost(config, 'bastion', { ...ctx, user: 'root2', port: 9 });
    assert.equal(h.user, 'root2');
    assert.equal(h.port, 9);
    assert.equal(h.identityFiles[0], '/home/alice/.ssh/bastion_root2_bastion.example.com_9');
  });

  it('Match host/originalhost/user/all; Match exec is never run', () => {
    const c = parseSshConfig(
      'Host short\n  HostName short.corp\nMatch host *.corp user alice\n  Port 2022\nMatch exec "touch /tmp/pwned"\n  User evil\nMatch originalhost short !user bob\n  User matched\nMatch all\n  IdentityFile ~/all\n',
    );
    const h = resolveSshHost(c, 'short', ctx);
    assert.equal(h.port, 2022);
    assert.equal(h.user, 'matched');
    assert.deepEqual(h.identityFiles, ['/home/alice/all']);
    assert.ok(c.problems.some((p) => /Match exec is never run/.test(p)));
  });

  it('ProxyJump none, ${VAR} in IdentityFile', () => {
    const c = parseSshConfig('Host a\n  ProxyJump none\n  IdentityFile ${KEYS}/a\nHost *\n  ProxyJump b\n');
    const h = resolveSshHost(c, 'a', { ...ctx, env: { KEYS: '/keys' } });
    assert.deepEqual(h.proxyJump, []);
    assert.deepEqual(h.identityFiles, ['/keys/a']);
  });

  it('Include: relative to ~/.ssh, globs, inside a Host block', () => {
    const home = mkdtempSync(join(tmpdir(), 'rb-sshcfg-'));
    mkdirSync(join(home, '.ssh', 'conf.d'), { recursive: true });
    writeFileSync(join(home, '.ssh', 'conf.d', '10-a.conf'), 'Host inc-a\n  HostName a.included\n');
    writeFileSync(join(home, '.ssh', 'conf.d', '20-b.conf'), 'Host inc-b\n  HostName b.included\n');
    writeFileSync(join(home, '.ssh', 'only-web'), '  User web-user\n');
    const c = parseSshConfig('Include conf.d/*.conf\nHost web\n  Include ~/.ssh/only-web\nHost *\n  User other\n', {
      homeDir: home,
      readInclude: fsIncludeReader,
    });
    const hctx = { ...ctx, homeDir: home };
    assert.equal(resolveSshHost(c, 'inc-a', hctx).hostName, 'a.included');
    assert.equal(resolveSshHost(c, 'inc-b', hctx).hostName, 'b.included');
    assert.equal(resolveSshHost(c, 'web', hctx).user, 'web-user');
    assert.equal(resolveSshHost(c, 'inc-a', hctx).user, 'other', 'the included Host line does not leak into later blocks');
    assert.ok(parseSshConfig('Include x\n').problems.length === 1, 'without a reader, Include is reported');
  });
});

describe('resolveTarget', () => {
  const sshConfig = `
Host bastion
  HostName bastion.example.com
  User ops
  IdentityFile ~/.ssh/ops
Host db-1
  HostName 10.0.0.7
  User postgres
  ProxyJump bastion
Host loop-a
  ProxyJump loop-b
Host loop-b
  ProxyJump loop-a
Host chain
  HostName chain.internal
  ProxyJump bastion,edge:2222
Host edge
  HostName edge.example.com
  ProxyJump should-be-ignored
`;

  it('front matter user@host with port and identity; label is the real user@host:port', () => {
    const r = resolveTarget('cvd-prod', { 'cvd-prod': { ssh: 'deploy@10.0.0.5', port: 2222, identityFile: '~/.ssh/cvd' } }, undefined, env);
    assert.deepEqual(r.target, { name: 'cvd-prod', kind: 'ssh', label: 'deploy@10.0.0.5:2222', user: 'deploy', host: '10.0.0.5', port: 2222 });
    assert.deepEqual(r.ssh.identityFiles, ['/home/alice/.ssh/cvd']);
    assert.equal(r.ssh.via, undefined);
  });

  it('front matter alias of ~/.ssh/config: HostName, User and ProxyJump come from the config', () => {
    const r = resolveTarget('db', { db: { ssh: 'db-1' } }, sshConfig, env);
    assert.equal(r.target.label, 'postgres@10.0.0.7:22');
    assert.equal(r.ssh.via?.label, 'ops@bastion.example.com:22');
    assert.deepEqual(r.ssh.via?.identityFiles, ['/home/alice/.ssh/ops']);
    assert.deepEqual(hopChain(r.ssh).map((h) => h.label), ['ops@bastion.example.com:22', 'postgres@10.0.0.7:22']);
    assert.equal(hopKey(r.ssh), 'ops@bastion.example.com:22 → postgres@10.0.0.7:22');
  });

  it('front matter jump names front matter hosts (recursively), overriding the config ProxyJump', () => {
    const hosts = {
      edge: { ssh: 'gw@edge.example.com', port: 2022 },
      bastion2: { ssh: 'ops@10.0.0.2', jump: 'edge' },
      target: { ssh: 'db-1', jump: 'bastion2' },
    };
    const r = resolveTarget('target', hosts, sshConfig, env);
    assert.deepEqual(hopChain(r.ssh).map((h) => h.label), ['gw@edge.example.com:2022', 'ops@10.0.0.2:22', 'postgres@10.0.0.7:22']);
  });

  it('jump lists: the first hop keeps its own jumps, later hops go through the previous one', () => {
    const r = resolveTarget('chain', undefined, sshConfig, env);
    assert.deepEqual(hopChain(r.ssh).map((h) => h.label), ['ops@bastion.example.com:22', 'alice@edge.example.com:2222', 'alice@chain.internal:22']);
    const fm = resolveTarget('t', { t: { ssh: 'me@t', jump: ['bastion', 'edge'] } }, sshConfig, env);
    assert.deepEqual(hopChain(fm.ssh).map((h) => h.label), ['ops@bastion.example.com:22', 'alice@edge.example.com:22', 'me@t:22']);
  });

  it('literal user@host:port names and ssh defaults', () => {
    const r = resolveTarget('root@192.0.2.1:2200', undefined, undefined, env);
    assert.equal(r.target.label, 'root@192.0.2.1:2200');
    assert.deepEqual(r.ssh.identityFiles, ['/home/alice/.ssh/id_ed25519', '/home/alice/.ssh/id_ecdsa', '/home/alice/.ssh/id_rsa']);
    assert.equal(resolveTarget('plainhost', undefined, undefined, env).target.label, 'alice@plainhost:22');
  });

  it('refuses jump cycles, in the config and in front matter', () => {
    assert.throws(() => resolveTarget('loop-a', undefined, sshConfig, env), /loop: loop-a → loop-b → loop-a/);
    assert.throws(
      () => resolveTarget('a', { a: { ssh: 'x@a', jump: 'b' }, b: { ssh: 'x@b', jump: 'a' } }, undefined, env),
      /loop: a → b → a/,
    );
    assert.throws(() => resolveTarget('s', { s: { ssh: 'x@s', jump: 's' } }, undefined, env), /loop/);
  });

  it('a bad ssh value is reported with the host name', () => {
    assert.throws(() => resolveTarget('bad', { bad: { ssh: 'u@h:0' } }, undefined, env), /host "bad": not a valid port/);
  });
});

describe('ssh config aliases', () => {
  it('lists plain Host names, not patterns or negations', async () => {
    const { sshHostNames } = await import('../../src/core/runbook/targets.js');
    assert.deepEqual(sshHostNames('Host web-1 db-*\n  HostName 10.0.0.1\nhost "bastion" !nope\nHost *\n  User x\nMatch host foo\n'), ['web-1', 'bastion']);
    assert.deepEqual(sshHostNames(undefined), []);
  });
});
