// git's allowed_signers file (ssh-keygen(1) "ALLOWED SIGNERS"): `principals [options] keytype base64-key
// [comment]` per line. A signer is allowed when a line's principal patterns match the principal (`*`,
// `?`, `!negation`, comma lists), its key is the signing key, its `namespaces=` (if any) match the
// namespace and the time is inside `valid-after=`/`valid-before=`. Certificates (`cert-authority`) are not
// supported: such lines never match a plain key, as in ssh-keygen.

export interface AllowedSigner {
  line: number;
  principals: string;
  certAuthority: boolean;
  namespaces?: string;
  validAfter?: Date;
  validBefore?: Date;
  keyType: string;
  key: Buffer;
}

/** Reads the file; a line that does not parse is an error naming it (ssh-keygen refuses those too). */
export function parseAllowedSigners(text: string): AllowedSigner[] {
  const out: AllowedSigner[] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.trim();
    if (!line || line.startsWith('#')) return;
    const fields = tokens(line);
    const principals = fields.shift();
    if (!principals || !fields.length) throw new Error(`allowed signers line ${i + 1}: expected principals and a key`);
    const entry: Partial<AllowedSigner> = { line: i + 1, principals, certAuthority: false };
    // Options come before the key type when the next field is not a key type.
    if (!isKeyType(fields[0]!)) {
      for (const option of splitOptions(fields.shift()!)) {
        const [name, ...rest] = option.split('=');
        const value = rest.join('=').replace(/^"|"$/g, '');
        const key = name!.toLowerCase();
        if (key === 'cert-authority') entry.certAuthority = true;
        else if (key === 'namespaces') entry.namespaces = value;
        else if (key === 'valid-after') entry.validAfter = parseTime(value, i + 1);
        else if (key === 'valid-before') entry.validBefore = parseTime(value, i + 1);
        else throw new Error(`allowed signers line ${i + 1}: unknown option ${name}`);
      }
    }
    const [keyType, b64] = fields;
    if (!keyType || !b64 || !/^[A-Za-z0-9+/]+={0,2}$/.test(b64)) throw new Error(`allowed signers line ${i + 1}: no key`);
    out.push({ ...entry, keyType, key: Buffer.from(b64, 'base64') } as AllowedSigner);
  });
  return out;
}

function isKeyType(s: string): boolean {
  return /^(ssh-|ecdsa-|sk-)/.test(s);
}

/** Whitespace-separated fields; a double-quoted run (with spaces) stays in one field. */
function tokens(line: string): string[] {
  const out: string[] = [];
  let cur = '';
  let quoted = false;
  for (const ch of line) {
    if (ch === '"') quoted = !quoted;
    if (!quoted && /\s/.test(ch)) {
      if (cur) out.push(cur);
      cur = '';
    } else cur += ch;
  }
  if (cur) out.push(cur);
  return out;
}

function splitOptions(s: string): string[] {
  const out: string[] = [];
  let cur = '';
  let quoted = false;
  for (const ch of s) {
    if (ch === '"') quoted = !quoted;
    if (ch === ',' && !quoted) {
      out.push(cur);
      cur = '';
    } else cur += ch;
  }
  out.push(cur);
  return out.filter(Boolean);
}

/** YYYYMMDD[HHMM[SS]], local time unless it ends in Z (as ssh-keygen reads it). */
function parseTime(value: string, line: number): Date {
  const m = /^(\d{4})(\d{2})(\d{2})(?:(\d{2})(\d{2})(\d{2})?)?(Z)?$/i.exec(value);
  if (!m) throw new Error(`allowed signers line ${line}: bad time "${value}"`);
  const [, y, mo, d, h = '0', mi = '0', s = '0', z] = m;
  const parts = [Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s)] as const;
  return z ? new Date(Date.UTC(...parts)) : new Date(...parts);
}

/** OpenSSH's match_pattern: `*` any run, `?` one character. */
function matchPattern(s: string, pattern: string): boolean {
  const re = new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`, 's');
  return re.test(s);
}

/** OpenSSH's match_pattern_list: 1 on a positive match, -1 on a negated one, 0 on none. */
export function matchPatternList(s: string, list: string): -1 | 0 | 1 {
  let got: 0 | 1 = 0;
  for (const raw of list.split(',')) {
    const negated = raw.startsWith('!');
    const pattern = negated ? raw.slice(1) : raw;
    if (!pattern) continue;
    if (matchPattern(s, pattern)) {
      if (negated) return -1;
      got = 1;
    }
  }
  return got;
}

export type SignerDecision = { allowed: true; line: number } | { allowed: false; reason: string };

/** Whether `principal` may sign with `key` in `namespace` at `now`. */
export function isAllowed(signers: AllowedSigner[], principal: string, key: Buffer, namespace: string, now = new Date()): SignerDecision {
  let reason = `no allowed signer "${principal}" with this key`;
  for (const s of signers) {
    if (matchPatternList(principal, s.principals.replace(/^"|"$/g, '')) !== 1) continue;
    if (s.certAuthority || !s.key.equals(key)) continue;
    if (s.namespaces !== undefined && matchPatternList(namespace, s.namespaces) !== 1) {
      reason = `line ${s.line}: the key may not sign in namespace "${namespace}"`;
      continue;
    }
    if (s.validAfter && now < s.validAfter) {
      reason = `line ${s.line}: the key is not valid yet`;
      continue;
    }
    if (s.validBefore && now > s.validBefore) {
      reason = `line ${s.line}: the key has expired`;
      continue;
    }
    return { allowed: true, line: s.line };
  }
  return { allowed: false, reason };
}
