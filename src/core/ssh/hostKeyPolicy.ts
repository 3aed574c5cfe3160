// What to do with the key a server presents: known → go on; unknown → ask (showing the SHA256
// fingerprint) and remember a yes in known_hosts; changed or revoked → refuse, naming both fingerprints.
// Nothing is ever trusted without known_hosts or an explicit yes.

import { SshError } from './errors.js';
import {
  appendKnownHost,
  blobKeyType,
  checkHostKey,
  fingerprintSha256,
  knownHostName,
  knownKeyTypes,
  readKnownHostsFiles,
} from './knownHosts.js';

export interface HostKeyQuestion {
  host: string;
  port: number;
  /** `user@host:port` of the connection asking. */
  label: string;
  /** `SHA256:…` as `ssh-keygen -lf` prints it. */
  fingerprint: string;
  keyType: string;
  /** Where a yes is recorded. */
  knownHostsFile: string;
}

export interface HostKeyPolicyInput {
  host: string;
  port: number;
  label: string;
  /** Files read in order; new keys are appended to the first. */
  knownHostsFiles: string[];
  confirm: (q: HostKeyQuestion) => Promise<boolean>;
  /** Hash the names of new entries (HashKnownHosts). */
  hash?: boolean;
}

/** Resolves when the key may be used; rejects with an SshError otherwise. */
export async function acceptHostKey(key: Buffer, p: HostKeyPolicyInput): Promise<void> {
  const entries = readKnownHostsFiles(p.knownHostsFiles);
  const check = checkHostKey(entries, p.host, p.port, key);
  const name = knownHostName(p.host, p.port);
  const keyType = blobKeyType(key) ?? 'unknown';
  const fingerprint = fingerprintSha256(key);
  if (check.status === 'match') return;
  if (check.status === 'revoked') {
    const at = check.entry ? ` (${check.entry.source}:${check.entry.line})` : '';
    throw new SshError('hostkey-revoked', `refusing to connect to ${p.label}: its host key ${keyType} ${fingerprint} is marked @revoked in known_hosts${at}`, p.label);
  }
  if (check.status === 'changed') {
    const known = check.known.map((e) => `${e.keyType} ${fingerprintSha256(e.key)} (${e.source}:${e.line})`).join(', ');
    throw new SshError(
      'hostkey-changed',
      `HOST KEY CHANGED for ${name}: refusing to connect to ${p.label}. known_hosts has ${known}, ` +
        `but the server presented ${keyType} ${fingerprint}. This could be a man-in-the-middle attack, or the host ` +
        `was reinstalled; if the change is expected, remove the old entry (ssh-keygen -R '${name}') and connect again`,
      p.label,
    );
  }
  const file = p.knownHostsFiles[0];
  if (!file) throw new SshError('hostkey-rejected', `the host key of ${p.label} is unknown and no known_hosts file is configured`, p.label);
  let yes: boolean;
  try {
    yes = await p.confirm({ host: p.host, port: p.port, label: p.label, fingerprint, keyType, knownHostsFile: file });
  } catch (e) {
    throw new SshError('hostkey-rejected', `the host key of ${p.label} (${keyType} ${fingerprint}) was not confirmed: ${(e as Error).message}`, p.label);
  }
  if (!yes) {
    throw new SshError('hostkey-rejected', `not connected to ${p.label}: its host key ${keyType} ${fingerprint} is not in known_hosts and was not trusted`, p.label);
  }
  // Re-read: another connection may have recorded it meanwhile.
  if (checkHostKey(readKnownHostsFiles([file]), p.host, p.port, key).status !== 'match') {
    appendKnownHost(file, p.host, p.port, key, { hash: p.hash ?? false });
  }
}

/** Server host key algorithms to offer first: those of the key types known for the host (as OpenSSH does). */
export function preferredHostKeyAlgorithms(host: string, port: number, files: string[]): string[] {
  const out: string[] = [];
  for (const type of knownKeyTypes(readKnownHostsFiles(files), host, port)) {
    if (type === 'ssh-rsa') out.push('rsa-sha2-512', 'rsa-sha2-256', 'ssh-rsa');
    else if (/^(ssh-ed25519|ecdsa-sha2-nistp(256|384|521))$/.test(type)) out.push(type);
  }
  return out;
}
