// known_hosts read as OpenSSH reads it, with OpenSSH as the oracle: for each known_hosts file (plain,
// hashed, @revoked, @cert-authority, wildcards, negation, [host]:port, comma lists, unknown markers),
// (1) the lines `ssh-keygen -F name` finds are the lines we match, and (2) a real `ssh` to the test sshd
// accepts, refuses as revoked, refuses as changed or finds the key unknown exactly when our check does;
// and our real connection (with the same HostKeyAlias where ssh had one) decides the same way.
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { SshError } from '../../src/core/ssh/errors.js';
import { checkHostKey, entryMatchesHost, parseKnownHosts, type HostKeyStatus } from '../../src/core/ssh/knownHosts.js';
import { resolveTarget } from '../../src/core/ssh/targets.js';
import { newPool, recordingAsk, testEnv } from '../harness/sshFixtures.js';
import { makeKey, Sshd, sshdSkipReason, startSshd } from '../harness/sshd.js';
import { requirement } from '../harness/requirement.js';

const skip = sshdSkipReason();

interface Case {
  name: string;
  /** Lines; K = the server's key, O = another ed25519 key, @SELF@ = [127.0.0.1]:port, H(x) = x hashed. */
  lines: string[];
  /** Host key alias given to ssh (the name looked up on port 22); default: the sshd's own name. */
  alias?: string;
  want: HostKeyStatus;
}

const CASES: Case[] = [
  { name: 'plain [host]:port', lines: ['@SELF@ K'], want: 'match' },
  { name: 'hashed [host]:port', lines: ['H(@SELF@) K'], want: 'match' },
  { name: 'comma list', lines: ['other.example,@SELF@,10.0.0.1 K'], want: 'match' },
  { name: 'wrong port', lines: ['[127.0.0.1]:1 K'], want: 'unknown' },
  { name: 'port wildcard', lines: ['[127.0.0.1]:* K'], want: 'match' },
  { name: 'changed key', lines: ['@SELF@ O'], want: 'changed' },
  { name: 'hashed changed key', lines: ['H(@SELF@) O'], want: 'changed' },
  { name: '@revoked * with the key also trusted', lines: ['@SELF@ K', '@revoked * K'], want: 'revoked' },
  { name: '@revoked before the trusted line', lines: ['@revoked @SELF@ K', '@SELF@ K'], want: 'revoked' },
  { name: '@revoked for another host only', lines: ['@revoked other.example K', '@SELF@ K'], want: 'match' },
  { name: '@revoked of another key', lines: ['@revoked * O', '@SELF@ K'], want: 'match' },
  { name: '@cert-authority is not a trusted host key', lines: ['@cert-authority * K'], want: 'unknown' },
  { name: '@cert-authority beside a changed key', lines: ['@cert-authority @SELF@ K', '@SELF@ O'], want: 'changed' },
  { name: 'unknown marker ignored', lines: ['@bogus @SELF@ K'], want: 'unknown' },
  { name: 'comments and blank lines', lines: ['# comment', '', '   ', '@SELF@ K comment text'], want: 'match' },
  { name: 'wildcard domain', lines: ['*.example.com K'], alias: 'web.example.com', want: 'match' },
  { name: 'wildcard does not match the bare domain', lines: ['*.example.com K'], alias: 'example.com', want: 'unknown' },
  { name: 'negation wins', lines: ['!web.example.com,*.example.com K'], alias: 'web.example.com', want: 'unknown' },
  { name: 'negation spares others', lines: ['!web.example.com,*.example.com K'], alias: 'api.example.com', want: 'match' },
  { name: 'question mark', lines: ['web?.example.com K'], alias: 'web1.example.com', want: 'match' },
  { name: 'question mark is one character', lines: ['web?.example.com K'], alias: 'web12.example.com', want: 'unknown' },
  { name: 'upper-case pattern', lines: ['WEB.Example.COM K'], alias: 'web.example.com', want: 'match' },
  { name: 'hashed alias', lines: ['H(db.internal) K'], alias: 'db.internal', want: 'match' },
  { name: 'negated only', lines: ['!db.internal K'], alias: 'db.internal', want: 'unknown' },
  { name: 'changed under a wildcard', lines: ['*.internal O'], alias: 'db.internal', want: 'changed' },
  { name: 'star matches everything', lines: ['* K'], alias: 'anything.example', want: 'match' },
];

describe('known_hosts vs ssh-keygen -F and a real ssh (OpenSSH as the oracle)', { skip: requirement(skip) }, () => {
  let sshd: Sshd;
  let dir: string;
  let self: string;
  let K: string;
  let O: string;
  before(async () => {
    assert.equal(skip, undefined, skip);
    sshd = await startSshd();
    dir = mkdtempSync(join(tmpdir(), 'rb-khdiff-'));
    self = `[127.0.0.1]:${sshd.port}`;
    K = sshd.hostPublicKey;
    const other = makeKey(join(dir, 'other'));
    O = readFileSync(`${other}.pub`, 'utf8').trim().split(/\s+/).slice(0, 2).join(' ');
  });
  after(() => sshd?.dispose());

  /** Writes a case's file; hashes `H(name)` with ssh-keygen -H, as a user would. */
  function write(c: Case, i: number): string {
    const file = join(dir, `kh-${i}`);
    const lines = c.lines.map((l) => l.replaceAll('@SELF@', self).replace(/ K( |$)/, ` ${K}$1`).replace(/ O( |$)/, ` ${O}$1`));
    const plain = lines.map((l) => l.replace(/^H\((.*?)\)/, '$1'));
    writeFileSync(file, `${plain.join('\n')}\n`);
    const hashIdx = lines.map((l, j) => (l.startsWith('H(') ? j : -1)).filter((j) => j >= 0);
    if (hashIdx.length) {
      // Hash the whole file then keep the hashed form only for the H() lines.
      const tmp = join(dir, `kh-${i}-hashed`);
      writeFileSync(tmp, `${plain.join('\n')}\n`);
      execFileSync('ssh-keygen', ['-H', '-f', tmp], { stdio: 'ignore' });
      const hashed = readFileSync(tmp, 'utf8').split('\n');
      const out = plain.map((l, j) => (hashIdx.includes(j) ? hashed.find((h) => h.startsWith('|1|') && h.endsWith(l.split(' ').slice(1).join(' ')))! : l));
      writeFileSync(file, `${out.join('\n')}\n`);
      assert.ok(out.every((l) => l !== undefined), 'hashed');
    }
    return file;
  }

  function keygenLines(file: string, name: string): number[] {
    const r = spawnSync('ssh-keygen', ['-F', name, '-f', file], { encoding: 'utf8' });
    return [...r.stdout.matchAll(/^# Host .* found: line (\d+)/gm)].map((m) => Number(m[1]));
  }

  function sshVerdict(file: string, alias?: string): HostKeyStatus {
    const r = spawnSync('ssh', [
      '-F', 'none', '-i', sshd.userKey, '-o', 'IdentitiesOnly=yes', '-o', 'BatchMode=yes', '-o', 'StrictHostKeyChecking=yes',
      '-o', `UserKnownHostsFile=${file}`, '-o', 'GlobalKnownHostsFile=/dev/null', '-o', 'HostKeyAlgorithms=ssh-ed25519',
      ...(alias ? ['-o', `HostKeyAlias=${alias}`] : []), '-p', String(sshd.port), `${sshd.user}@127.0.0.1`, 'true',
    ], { encoding: 'utf8', timeout: 20_000 });
    if (r.status === 0) return 'match';
    if (/REVOKED|marked as revoked/i.test(r.stderr)) return 'revoked';
    if (/HOST IDENTIFICATION HAS CHANGED/.test(r.stderr)) return 'changed';
    if (/No \S+ host key is known|Host key verification failed/.test(r.stderr)) return 'unknown';
    throw new Error(`ssh failed otherwise: ${r.stderr}`);
  }

  async function ourConnection(file: string, alias?: string): Promise<HostKeyStatus> {
    // Through an ssh config like ssh's, HostKeyAlias included.
    const config = `Host box\n  HostName 127.0.0.1\n  Port ${sshd.port}\n  User ${sshd.user}\n  IdentityFile ${sshd.userKey}\n${alias ? `  HostKeyAlias ${alias}\n` : ''}`;
    const t = resolveTarget('box', undefined, config, testEnv);
    const ask = recordingAsk({ hostKey: false });
    const pool = newPool([file], ask);
    try {
      await pool.get(t.ssh).exec('true');
      return 'match';
    } catch (e) {
      if (!(e instanceof SshError)) throw e;
      if (e.kind === 'hostkey-revoked') return 'revoked';
      if (e.kind === 'hostkey-changed') return 'changed';
      if (e.kind === 'hostkey-rejected' && ask.hostKeyQuestions.length === 1) return 'unknown';
      throw e;
    } finally {
      pool.close();
    }
  }

  CASES.forEach((c, i) => {
    it(`${c.name} → ${c.want}`, async () => {
      const file = write(c, i);
      const name = c.alias ?? self;
      const entries = parseKnownHosts(readFileSync(file, 'utf8'), file);
      const key = Buffer.from(K.split(' ')[1]!, 'base64');
      // 1. Which lines name this host: ssh-keygen -F.
      const ours = entries.filter((e) => (c.alias ? entryMatchesHost(e, c.alias, 22) : entryMatchesHost(e, '127.0.0.1', sshd.port))).map((e) => e.line);
      assert.deepEqual(ours, keygenLines(file, name), 'lines matched (ssh-keygen -F)');
      // 2. The verdict: real ssh, our check.
      const verdict = sshVerdict(file, c.alias);
      const check = c.alias ? checkHostKey(entries, c.alias, 22, key) : checkHostKey(entries, '127.0.0.1', sshd.port, key);
      assert.equal(verdict, c.want, 'ssh agrees with the expectation');
      assert.equal(check.status, verdict, 'our check agrees with ssh');
      // 3. Our real connection (HostKeyAlias for the named cases).
      assert.equal(await ourConnection(file, c.alias), verdict, 'our connection agrees with ssh');
    });
  });
});
