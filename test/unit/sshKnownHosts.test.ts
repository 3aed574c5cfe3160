// known_hosts: plain and hashed entries, [host]:port, comma lists, wildcards and negation, @revoked and
// @cert-authority, fingerprints (checked against ssh-keygen when it is installed), appending.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { requirement } from '../harness/requirement.js';
import {
  appendKnownHost,
  blobKeyType,
  checkHostKey,
  fingerprintSha256,
  knownHostName,
  knownHostsLine,
  knownKeyTypes,
  parseKnownHosts,
} from '../../src/core/ssh/knownHosts.js';

/** A syntactically valid key blob of a type (random body: only equality and types matter here). */
function fakeKey(type: string, seed: number): Buffer {
  const t = Buffer.from(type);
  const body = Buffer.alloc(32, seed);
  const len = (n: number) => {
    const b = Buffer.alloc(4);
    b.writeUInt32BE(n);
    return b;
  };
  return Buffer.concat([len(t.length), t, len(body.length), body]);
}

const K1 = fakeKey('ssh-ed25519', 1);
const K2 = fakeKey('ssh-ed25519', 2);
const R1 = fakeKey('ssh-rsa', 3);
const b64 = (k: Buffer) => k.toString('base64');
const hasKeygen = existsSync('/usr/bin/ssh-keygen');

describe('known_hosts', () => {
  it('names: bare on port 22, [host]:port otherwise, lower case', () => {
    assert.equal(knownHostName('Example.COM', 22), 'example.com');
    assert.equal(knownHostName('127.0.0.1', 2222), '[127.0.0.1]:2222');
  });

  it('plain entries, comma lists, [host]:port, comments and junk', () => {
    const text = [
      '# comment',
      '',
      `web1,web2.example.com,10.0.0.1 ssh-ed25519 ${b64(K1)} alice@laptop`,
      `[127.0.0.1]:2222 ssh-ed25519 ${b64(K2)}`,
      'garbage line',
      `broken ssh-ed25519 !!!notbase64`,
      `typo ssh-rsa ${b64(K1)}`, // type does not match the blob: ignored
    ].join('\n');
    const entries = parseKnownHosts(text, 'kh');
    assert.equal(entries.length, 2);
    assert.equal(checkHostKey(entries, 'web2.example.com', 22, K1).status, 'match');
    assert.equal(checkHostKey(entries, '10.0.0.1', 22, K1).status, 'match');
    assert.equal(checkHostKey(entries, 'web1', 22, K2).status, 'changed');
    assert.equal(checkHostKey(entries, 'web1', 2222, K1).status, 'unknown', 'a different port is a different host');
    assert.equal(checkHostKey(entries, '127.0.0.1', 2222, K2).status, 'match');
    assert.equal(checkHostKey(entries, '127.0.0.1', 22, K2).status, 'unknown');
    const changed = checkHostKey(entries, '127.0.0.1', 2222, K1);
    assert.equal(changed.status, 'changed');
    assert.equal(changed.known[0]!.line, 4);
    assert.equal(changed.known[0]!.source, 'kh');
  });

  it('wildcards and negation', () => {
    const entries = parseKnownHosts(`*.corp,!evil.corp ssh-ed25519 ${b64(K1)}\n`);
    assert.equal(checkHostKey(entries, 'a.corp', 22, K1).status, 'match');
    assert.equal(checkHostKey(entries, 'evil.corp', 22, K1).status, 'unknown');
  });

  it('hashed |1|salt|hash entries (HMAC-SHA1), including [host]:port', () => {
    const line = knownHostsLine('127.0.0.1', 2222, K1, { hash: true });
    assert.match(line, /^\|1\|[A-Za-z0-9+/=]+\|[A-Za-z0-9+/=]+ ssh-ed25519 /);
    const entries = parseKnownHosts(`${line}\n${knownHostsLine('db.example', 22, K2, { hash: true })}\n`);
    assert.equal(checkHostKey(entries, '127.0.0.1', 2222, K1).status, 'match');
    assert.equal(checkHostKey(entries, '127.0.0.1', 2222, K2).status, 'changed');
    assert.equal(checkHostKey(entries, '127.0.0.1', 22, K1).status, 'unknown');
    assert.equal(checkHostKey(entries, 'db.example', 22, K2).status, 'match');
  });

  it('hashed entries written by ssh-keygen -H are read', { skip: requirement(hasKeygen ? undefined : 'ssh-keygen is missing: install openssh-client') }, () => {
    const dir = mkdtempSync(join(tmpdir(), 'rb-kh-'));
    const file = join(dir, 'known_hosts');
    writeFileSync(file, `[10.9.8.7]:2200 ssh-ed25519 ${b64(K1)}\nplain.example ssh-ed25519 ${b64(K2)}\n`);
    execFileSync('ssh-keygen', ['-H', '-f', file], { stdio: 'ignore' });
    const text = readFileSync(file, 'utf8');
    assert.ok(!text.includes('10.9.8.7') && !text.includes('plain.example'), 'hashed by ssh-keygen');
    const entries = parseKnownHosts(text);
    assert.equal(checkHostKey(entries, '10.9.8.7', 2200, K1).status, 'match');
    assert.equal(checkHostKey(entries, 'plain.example', 22, K2).status, 'match');
    assert.equal(checkHostKey(entries, 'plain.example', 22, K1).status, 'changed');
  });

  it('@revoked refuses the key, @cert-authority lines are skipped, unknown markers ignored', () => {
    const text = [
      `host.example ssh-ed25519 ${b64(K1)}`,
      `@revoked * ssh-ed25519 ${b64(K1)}`,
      `@cert-authority *.example ssh-ed25519 ${b64(K2)}`,
      `@future host.example ssh-ed25519 ${b64(K2)}`,
    ].join('\n');
    const entries = parseKnownHosts(text);
    assert.equal(checkHostKey(entries, 'host.example', 22, K1).status, 'revoked', 'revoked after its host line still wins');
    assert.equal(checkHostKey(entries, 'other.example', 22, K2).status, 'unknown', 'a CA key is not a host key');
  });

  it('a host known with another key type is "changed" (and that type is preferred when negotiating)', () => {
    const entries = parseKnownHosts(`h ssh-rsa ${b64(R1)}\n`);
    assert.equal(checkHostKey(entries, 'h', 22, K1).status, 'changed');
    assert.deepEqual(knownKeyTypes(entries, 'h', 22), ['ssh-rsa']);
  });

  it('SHA256 fingerprints in OpenSSH form', { skip: requirement(hasKeygen ? undefined : 'ssh-keygen is missing: install openssh-client') }, () => {
    const dir = mkdtempSync(join(tmpdir(), 'rb-kh-'));
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', join(dir, 'k')]);
    const pub = readFileSync(join(dir, 'k.pub'), 'utf8').split(' ');
    const blob = Buffer.from(pub[1]!, 'base64');
    const expected = execFileSync('ssh-keygen', ['-l', '-E', 'sha256', '-f', join(dir, 'k.pub')], { encoding: 'utf8' }).split(' ')[1];
    assert.equal(fingerprintSha256(blob), expected);
    assert.match(fingerprintSha256(blob), /^SHA256:[A-Za-z0-9+/]{43}$/);
    assert.equal(blobKeyType(blob), 'ssh-ed25519');
  });

  it('appends entries (creating the file 0600, adding a missing final newline)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'rb-kh-'));
    const file = join(dir, 'sub', 'known_hosts');
    appendKnownHost(file, '127.0.0.1', 2222, K1);
    assert.equal(statSync(file).mode & 0o777, 0o600);
    writeFileSync(file, readFileSync(file, 'utf8').trimEnd()); // no final newline
    appendKnownHost(file, 'db', 22, K2);
    const text = readFileSync(file, 'utf8');
    assert.equal(text, `[127.0.0.1]:2222 ssh-ed25519 ${b64(K1)}\ndb ssh-ed25519 ${b64(K2)}\n`);
    const entries = parseKnownHosts(text);
    assert.equal(checkHostKey(entries, '127.0.0.1', 2222, K1).status, 'match');
    assert.equal(checkHostKey(entries, 'db', 22, K2).status, 'match');
  });
});
