// known_hosts as OpenSSH writes and reads it (sshd(8) "SSH_KNOWN_HOSTS FILE FORMAT"): `[marker] hosts
// keytype base64 [comment]`, where hosts is a comma list of patterns (`host`, `[host]:port`, `*`, `!neg`)
// or one hashed name `|1|base64(salt)|base64(HMAC-SHA1(salt, name))`. Hosts on port 22 are written bare,
// others as `[host]:port`. `@revoked` keys are refused, `@cert-authority` lines are skipped (no certs here).

import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { appendFileSync, chmodSync, closeSync, existsSync, mkdirSync, openSync, readFileSync, readSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { matchPatternList } from './patterns.js';

export interface KnownHostEntry {
  marker?: 'revoked' | 'cert-authority';
  /** Plain patterns (empty for a hashed entry). */
  patterns: string[];
  hashed?: { salt: Buffer; hash: Buffer };
  keyType: string;
  /** The key blob (SSH wire format), decoded from base64. */
  key: Buffer;
  source: string;
  line: number;
}

export type HostKeyStatus = 'match' | 'unknown' | 'changed' | 'revoked';

export interface HostKeyCheck {
  status: HostKeyStatus;
  /** Entries for this host that are not the presented key (what `changed` compares against). */
  known: KnownHostEntry[];
  /** The entry that matched (status match or revoked). */
  entry?: KnownHostEntry;
}

export function parseKnownHosts(text: string, source = 'known_hosts'): KnownHostEntry[] {
  const out: KnownHostEntry[] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.trim();
    if (!line || line.startsWith('#')) return;
    const fields = line.split(/\s+/);
    let marker: KnownHostEntry['marker'];
    if (fields[0]!.startsWith('@')) {
      const m = fields.shift()!.toLowerCase();
      if (m === '@revoked') marker = 'revoked';
      else if (m === '@cert-authority') marker = 'cert-authority';
      else return; // unknown marker: the line is ignored, as ssh does
    }
    const [hosts, keyType, b64] = fields;
    if (!hosts || !keyType || !b64 || !/^[A-Za-z0-9+/]+=*$/.test(b64)) return;
    const key = Buffer.from(b64, 'base64');
    if (blobKeyType(key) !== keyType) return; // corrupt line
    const entry: KnownHostEntry = { patterns: [], keyType, key, source, line: i + 1 };
    if (marker) entry.marker = marker;
    if (hosts.startsWith('|1|')) {
      const [, , salt, hash] = hosts.split('|');
      if (!salt || !hash) return;
      entry.hashed = { salt: Buffer.from(salt, 'base64'), hash: Buffer.from(hash, 'base64') };
    } else {
      entry.patterns = hosts.split(',');
    }
    out.push(entry);
  });
  return out;
}

/** The name known_hosts uses for a host and port: `host` on 22, `[host]:port` otherwise. */
export function knownHostName(host: string, port = 22): string {
  const h = host.toLowerCase();
  return port === 22 ? h : `[${h}]:${port}`;
}

export function entryMatchesHost(entry: KnownHostEntry, host: string, port = 22): boolean {
  const name = knownHostName(host, port);
  if (entry.hashed) {
    const mac = createHmac('sha1', entry.hashed.salt).update(name).digest();
    return mac.length === entry.hashed.hash.length && timingSafeEqual(mac, entry.hashed.hash);
  }
  return matchPatternList(entry.patterns, name);
}

/** Checks the key a server presented against the entries (from every known_hosts file, in order). */
export function checkHostKey(entries: readonly KnownHostEntry[], host: string, port: number, key: Buffer): HostKeyCheck {
  const known: KnownHostEntry[] = [];
  let matched: KnownHostEntry | undefined;
  for (const e of entries) {
    if (e.marker === 'cert-authority' || !entryMatchesHost(e, host, port)) continue;
    const same = e.key.equals(key);
    if (e.marker === 'revoked') {
      if (same) return { status: 'revoked', known, entry: e };
      continue;
    }
    if (same) matched ??= e;
    else known.push(e);
  }
  // (A key revoked after its host line still returned 'revoked' above: the loop reads every entry.)
  if (matched) return { status: 'match', known, entry: matched };
  // Any known key for the host that is not this one: refuse. (Connections prefer the known key types,
  // so a server that still has its known key presents that one.)
  return { status: known.length ? 'changed' : 'unknown', known };
}

/** Key types known for a host (to prefer them when negotiating, as OpenSSH does). */
export function knownKeyTypes(entries: readonly KnownHostEntry[], host: string, port: number): string[] {
  const types: string[] = [];
  for (const e of entries) {
    if (!e.marker && !types.includes(e.keyType) && entryMatchesHost(e, host, port)) types.push(e.keyType);
  }
  return types;
}

/** OpenSSH's fingerprint: `SHA256:` + base64 of the SHA-256 of the key blob, without padding. */
export function fingerprintSha256(key: Buffer): string {
  return `SHA256:${createHash('sha256').update(key).digest('base64').replace(/=+$/, '')}`;
}

/** The key type written at the start of a key blob (`ssh-ed25519`, `ecdsa-sha2-nistp256`, ...). */
export function blobKeyType(key: Buffer): string | undefined {
  if (key.length < 4) return undefined;
  const len = key.readUInt32BE(0);
  if (len === 0 || len > 64 || 4 + len > key.length) return undefined;
  return key.toString('latin1', 4, 4 + len);
}

/** A known_hosts line for a host (hashed like HashKnownHosts when asked). */
export function knownHostsLine(host: string, port: number, key: Buffer, options: { hash?: boolean } = {}): string {
  const type = blobKeyType(key);
  if (!type) throw new Error('not an SSH public key blob');
  const name = knownHostName(host, port);
  let field = name;
  if (options.hash) {
    const salt = randomBytes(20);
    field = `|1|${salt.toString('base64')}|${createHmac('sha1', salt).update(name).digest('base64')}`;
  }
  return `${field} ${type} ${key.toString('base64')}`;
}

/** Reads and parses known_hosts files; missing files count as empty. */
export function readKnownHostsFiles(files: readonly string[]): KnownHostEntry[] {
  const out: KnownHostEntry[] = [];
  for (const f of files) {
    let text: string;
    try {
      text = readFileSync(f, 'utf8');
    } catch {
      continue;
    }
    out.push(...parseKnownHosts(text, f));
  }
  return out;
}

/** Appends a host's key to a known_hosts file, creating it (and its directory, 0700) when missing. */
export function appendKnownHost(file: string, host: string, port: number, key: Buffer, options: { hash?: boolean } = {}): void {
  const line = knownHostsLine(host, port, key, options);
  const dir = dirname(file);
  if (!existsSync(dir)) mkdirSync(dir, { recursive: true, mode: 0o700 });
  let prefix = '';
  if (existsSync(file) && statSync(file).size > 0) {
    const fd = openSync(file, 'r');
    try {
      const last = Buffer.alloc(1);
      readSync(fd, last, 0, 1, statSync(file).size - 1);
      if (last[0] !== 0x0a) prefix = '\n';
    } finally {
      closeSync(fd);
    }
  }
  const created = !existsSync(file);
  appendFileSync(file, `${prefix}${line}\n`, { mode: 0o600 });
  if (created) chmodSync(file, 0o600);
}
