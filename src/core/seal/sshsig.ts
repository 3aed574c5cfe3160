// OpenSSH's SSHSIG signature format (PROTOCOL.sshsig), the one `ssh-keygen -Y sign` and git's SSH commit
// signing write. A signature covers a small blob: "SSHSIG", the namespace, the hash algorithm and the hash
// of the message; the armored signature carries the public key so it can be checked on its own and then
// matched against an allowed_signers file.
import { createHash, createPublicKey, verify, type KeyObject } from 'node:crypto';

const MAGIC = Buffer.from('SSHSIG');
const BEGIN = '-----BEGIN SSH SIGNATURE-----';
const END = '-----END SSH SIGNATURE-----';
export type HashAlgorithm = 'sha512' | 'sha256';

export interface SshSignature {
  /** The signer's public key in SSH wire format. */
  publicKey: Buffer;
  namespace: string;
  hashAlgorithm: string;
  /** The SSH signature blob: string algorithm, string signature bytes. */
  signature: Buffer;
}

function sshString(data: Buffer | string): Buffer {
  const body = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
  const len = Buffer.alloc(4);
  len.writeUInt32BE(body.length);
  return Buffer.concat([len, body]);
}

/** Reads SSH wire-format strings and integers from a buffer, failing loudly on truncation. */
export class WireReader {
  private pos = 0;
  constructor(private readonly buf: Buffer) {}
  uint32(): number {
    if (this.pos + 4 > this.buf.length) throw new Error('truncated SSH data');
    const v = this.buf.readUInt32BE(this.pos);
    this.pos += 4;
    return v;
  }
  bytes(): Buffer {
    const n = this.uint32();
    if (this.pos + n > this.buf.length) throw new Error('truncated SSH data');
    const v = this.buf.subarray(this.pos, this.pos + n);
    this.pos += n;
    return v;
  }
  string(): string {
    return this.bytes().toString('utf8');
  }
  magic(expected: Buffer): void {
    if (!this.buf.subarray(this.pos, this.pos + expected.length).equals(expected)) throw new Error('not an SSH signature (bad magic)');
    this.pos += expected.length;
  }
  get done(): boolean {
    return this.pos === this.buf.length;
  }
}

/** The bytes a signer signs for `message` in `namespace`. */
export function signedData(message: Buffer | string, namespace: string, hashAlgorithm: HashAlgorithm = 'sha512'): Buffer {
  const digest = createHash(hashAlgorithm).update(message).digest();
  return Buffer.concat([MAGIC, sshString(namespace), sshString(''), sshString(hashAlgorithm), sshString(digest)]);
}

export function encodeSignature(sig: SshSignature): Buffer {
  const version = Buffer.alloc(4);
  version.writeUInt32BE(1);
  return Buffer.concat([MAGIC, version, sshString(sig.publicKey), sshString(sig.namespace), sshString(''),
    sshString(sig.hashAlgorithm), sshString(sig.signature)]);
}

export function decodeSignature(blob: Buffer): SshSignature {
  const r = new WireReader(blob);
  r.magic(MAGIC);
  const version = r.uint32();
  if (version !== 1) throw new Error(`unsupported SSH signature version ${version}`);
  const publicKey = r.bytes();
  const namespace = r.string();
  r.bytes(); // reserved
  const hashAlgorithm = r.string();
  const signature = r.bytes();
  if (!r.done) throw new Error('trailing data after the SSH signature');
  return { publicKey, namespace, hashAlgorithm, signature };
}

/** ASCII armor as ssh-keygen writes it: base64 in lines of 70 characters. */
export function armor(blob: Buffer): string[] {
  const b64 = blob.toString('base64');
  const lines = [BEGIN];
  for (let i = 0; i < b64.length; i += 70) lines.push(b64.slice(i, i + 70));
  lines.push(END);
  return lines;
}

export function dearmor(text: string): Buffer {
  const lines = text.split(/\r?\n/).map((l) => l.trim()).filter(Boolean);
  const begin = lines.indexOf(BEGIN);
  const end = lines.indexOf(END);
  if (begin === -1 || end < begin) throw new Error('no SSH SIGNATURE armor');
  const b64 = lines.slice(begin + 1, end).join('');
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(b64)) throw new Error('the SSH signature armor is not base64');
  return Buffer.from(b64, 'base64');
}

/** A node:crypto key for an SSH wire-format public key (ed25519, RSA, ECDSA). */
export function publicKeyObject(wire: Buffer): { type: string; key: KeyObject } {
  const r = new WireReader(wire);
  const type = r.string();
  const b64u = (b: Buffer): string => b.toString('base64url');
  const unsigned = (b: Buffer): Buffer => (b.length > 1 && b[0] === 0 ? b.subarray(1) : b);
  if (type === 'ssh-ed25519') {
    return { type, key: createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: b64u(r.bytes()) }, format: 'jwk' }) };
  }
  if (type === 'ssh-rsa') {
    const e = unsigned(r.bytes());
    const n = unsigned(r.bytes());
    return { type, key: createPublicKey({ key: { kty: 'RSA', e: b64u(e), n: b64u(n) }, format: 'jwk' }) };
  }
  const curve = /^ecdsa-sha2-nistp(256|384|521)$/.exec(type);
  if (curve) {
    r.string();
    const q = r.bytes();
    const size = (q.length - 1) / 2;
    const crv = `P-${curve[1]}`;
    return { type, key: createPublicKey({ key: { kty: 'EC', crv, x: b64u(q.subarray(1, 1 + size)), y: b64u(q.subarray(1 + size)) }, format: 'jwk' }) };
  }
  throw new Error(`unsupported key type ${type}`);
}

const EC_HASH: Record<string, string> = { 'ecdsa-sha2-nistp256': 'sha256', 'ecdsa-sha2-nistp384': 'sha384', 'ecdsa-sha2-nistp521': 'sha512' };

/** Whether `sig` is a valid signature of `message` by the key it carries (no trust decision). */
export function checkSignature(sig: SshSignature, message: Buffer | string): boolean {
  if (sig.hashAlgorithm !== 'sha512' && sig.hashAlgorithm !== 'sha256') throw new Error(`unsupported hash ${sig.hashAlgorithm}`);
  const data = signedData(message, sig.namespace, sig.hashAlgorithm);
  const { type, key } = publicKeyObject(sig.publicKey);
  const r = new WireReader(sig.signature);
  const algorithm = r.string();
  const bytes = r.bytes();
  if (type === 'ssh-ed25519' && algorithm === 'ssh-ed25519') return verify(null, data, key, bytes);
  if (type === 'ssh-rsa') {
    // SSHSIG forbids SHA-1 RSA signatures.
    const hash = algorithm === 'rsa-sha2-512' ? 'sha512' : algorithm === 'rsa-sha2-256' ? 'sha256' : undefined;
    return hash !== undefined && verify(hash, data, key, bytes);
  }
  if (EC_HASH[type] && algorithm === type) {
    const rs = new WireReader(bytes);
    const size = Math.ceil(Number(type.slice(-3)) / 8);
    const fixed = (b: Buffer): Buffer => {
      const u = b.length > size ? b.subarray(b.length - size) : b;
      return Buffer.concat([Buffer.alloc(size - u.length), u]);
    };
    const raw = Buffer.concat([fixed(rs.bytes()), fixed(rs.bytes())]);
    return verify(EC_HASH[type]!, data, { key, dsaEncoding: 'ieee-p1363' }, raw);
  }
  return false;
}

/** SHA256 fingerprint as ssh-keygen prints it. */
export function fingerprint(wire: Buffer): string {
  return `SHA256:${createHash('sha256').update(wire).digest('base64').replace(/=+$/, '')}`;
}

export { sshString };
