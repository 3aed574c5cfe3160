// Signing keys for seals: an OpenSSH private key file (asked for its passphrase when encrypted) or a key
// held by ssh-agent. ssh2 parses the key formats; node:crypto signs. Each signer returns an SSH signature
// blob (string algorithm, string signature) as SSHSIG carries it.
import { createPrivateKey, sign } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { ParsedKey } from 'ssh2';
import { ssh2 } from '../util/lazy.js';
import { sshString, WireReader } from './sshsig.js';

export interface Signer {
  /** Public key, SSH wire format. */
  publicKey: Buffer;
  type: string;
  /** Where the key came from, for messages ("~/.ssh/id_ed25519", "ssh-agent"). */
  source: string;
  sign(data: Buffer): Promise<Buffer>;
}

export class PassphraseNeeded extends Error {}

/** The private key in `file`; throws PassphraseNeeded when it is encrypted and no passphrase was given. */
export function keyFileSigner(file: string, passphrase?: string): Signer {
  const parsed = ssh2().utils.parseKey(readFileSync(file), passphrase);
  if (parsed instanceof Error) {
    if (/passphrase/i.test(parsed.message) && !passphrase) throw new PassphraseNeeded(`${file} is protected by a passphrase`);
    throw new Error(`cannot read the key ${file}: ${parsed.message.replace(/decrypt.*|bad decrypt/i, 'wrong passphrase?')}`);
  }
  const key = Array.isArray(parsed) ? parsed[0] as ParsedKey : parsed;
  if (!key.isPrivateKey()) throw new Error(`${file} is a public key: give the private key, or load it into ssh-agent`);
  const privateKey = createPrivateKey(key.getPrivatePEM());
  const publicKey = key.getPublicSSH();
  const type = new WireReader(publicKey).string();
  return {
    publicKey, type, source: file,
    sign: async (data) => {
      if (type === 'ssh-ed25519') return Buffer.concat([sshString(type), sshString(sign(null, data, privateKey))]);
      if (type === 'ssh-rsa') return Buffer.concat([sshString('rsa-sha2-512'), sshString(sign('sha512', data, privateKey))]);
      const ec = /^ecdsa-sha2-nistp(256|384|521)$/.exec(type);
      if (ec) {
        const hash = ec[1] === '256' ? 'sha256' : ec[1] === '384' ? 'sha384' : 'sha512';
        const raw = sign(hash, data, { key: privateKey, dsaEncoding: 'ieee-p1363' });
        const half = raw.length / 2;
        const inner = Buffer.concat([sshString(mpint(raw.subarray(0, half))), sshString(mpint(raw.subarray(half)))]);
        return Buffer.concat([sshString(type), sshString(inner)]);
      }
      throw new Error(`cannot sign with a ${type} key`);
    },
  };
}

function mpint(unsigned: Buffer): Buffer {
  let i = 0;
  while (i < unsigned.length - 1 && unsigned[i] === 0) i++;
  const v = unsigned.subarray(i);
  return v[0]! & 0x80 ? Buffer.concat([Buffer.from([0]), v]) : v;
}

/** The keys ssh-agent holds (SSH_AUTH_SOCK), each as a signer. */
export async function agentSigners(socket = process.env.SSH_AUTH_SOCK): Promise<Signer[]> {
  if (!socket) return [];
  const agent = new (ssh2().OpenSSHAgent)(socket);
  const keys = await new Promise<ParsedKey[]>((resolve, reject) =>
    agent.getIdentities((err, k) => (err ? reject(new Error(`ssh-agent: ${err.message}`)) : resolve((k ?? []) as ParsedKey[]))));
  return keys.map((key) => {
    const publicKey = key.getPublicSSH();
    const type = new WireReader(publicKey).string();
    return {
      publicKey, type, source: `ssh-agent (${key.comment || type})`,
      sign: (data) => new Promise<Buffer>((resolve, reject) => {
        agent.sign(key, data, { hash: 'sha512' }, (err, sig) => {
          if (err || !sig) return reject(new Error(`ssh-agent refused to sign: ${err?.message ?? 'no signature'}`));
          // ssh2 hands back the signature bytes without their algorithm name.
          resolve(Buffer.concat([sshString(type === 'ssh-rsa' ? 'rsa-sha2-512' : type), sshString(sig)]));
        });
      }),
    };
  });
}

/** The public key in `file` (an OpenSSH `.pub` line or a private key), SSH wire format. */
export function publicKeyOf(file: string): Buffer | undefined {
  const text = readFileSync(file, 'utf8');
  const line = /^\s*(\S+)\s+([A-Za-z0-9+/=]+)/m.exec(text);
  if (line && !text.includes('PRIVATE KEY')) return Buffer.from(line[2]!, 'base64');
  const parsed = ssh2().utils.parseKey(text);
  return parsed instanceof Error ? undefined : (Array.isArray(parsed) ? parsed[0] as ParsedKey : parsed).getPublicSSH();
}
