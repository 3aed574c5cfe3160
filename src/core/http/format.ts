// A response as the record shows it: status line, headers (credentials masked), blank line, body —
// JSON pretty-printed without re-parsing numbers (a big id is never rounded), text as is, binary named
// summarised (size, SHA-256, first bytes), everything capped with a visible marker.
import { isUtf8 } from 'node:buffer';
import { createHash } from 'node:crypto';
import { CappedText } from '../shell/cappedText.js';
import type { ReceivedResponse } from './send.js';

/** Header names whose values are credentials. */
const SENSITIVE_HEADER = /^(authorization|proxy-authorization|cookie|set-cookie)$|token|secret|passw|api[-_]?key|session|signature|credential|^x-amz-security/i;

export function isSensitiveHeader(name: string): boolean {
  return SENSITIVE_HEADER.test(name);
}

/** `Bearer abc` → `Bearer [REDACTED]`, `sid=abc; Path=/` → `sid=[REDACTED]; Path=/`, else `[REDACTED]`. */
export function maskHeader(name: string, value: string): string {
  const l = name.toLowerCase();
  if (l === 'set-cookie') return value.replace(/^([^=;]*=)[^;]*/, '$1[REDACTED]');
  if (l === 'cookie') return value.split(/;\s*/).map((c) => c.replace(/^([^=]*=).*$/, '$1[REDACTED]')).join('; ');
  const scheme = /^(Basic|Bearer|Digest|Token|AWS4-HMAC-SHA256|Negotiate|NTLM)\s+/i.exec(value);
  return scheme ? `${scheme[1]} [REDACTED]` : '[REDACTED]';
}

/** The parts of a header value that are secrets (for redacting them wherever else they show up). */
export function headerSecrets(name: string, value: string): string[] {
  if (!isSensitiveHeader(name)) return [];
  const out = [value];
  const scheme = /^\S+\s+(.+)$/.exec(value);
  if (scheme) out.push(scheme[1]!);
  if (/cookie/i.test(name)) for (const c of value.split(/;\s*/)) out.push(c.slice(c.indexOf('=') + 1));
  return out.filter((v) => v.length >= 4);
}

export interface BodyView {
  text: string;
  kind: 'json' | 'text' | 'binary' | 'empty';
}

/**
 * Text is what decodes as UTF-8 without NUL bytes, whatever Content-Type says (servers label JSON
 * application/octet-stream); anything else is summarised: size, type, SHA-256 and the first bytes.
 */
export function isText(body: Buffer, truncated: boolean): boolean {
  if (body.includes(0)) return false;
  if (isUtf8(body)) return true;
  // A read cut off inside a multi-byte character: the bytes before it decide.
  for (let cut = 1; truncated && cut <= 3 && cut < body.length; cut++) if (isUtf8(body.subarray(0, body.length - cut))) return true;
  return false;
}

export function bodyView(res: ReceivedResponse, maxBodyBytes: number): BodyView {
  if (!res.body.length) return { text: '', kind: 'empty' };
  const type = res.headers.find(([k]) => k === 'content-type')?.[1] ?? '';
  if (!isText(res.body, res.truncated)) {
    const head = [...res.body.subarray(0, 16)].map((b) => b.toString(16).padStart(2, '0')).join(' ');
    const sha = createHash('sha256').update(res.body).digest('hex');
    return {
      text: `[binary body not shown: ${res.body.length.toLocaleString('en')}${res.truncated ? '+' : ''} bytes of ${type || 'unlabelled data'}, ` +
        `sha256 ${res.truncated ? 'of those read ' : ''}${sha}, first bytes ${head}]`,
      kind: 'binary',
    };
  }
  const raw = res.body.toString('utf8');
  const looksJson = /json/i.test(type) || /^\s*[[{]/.test(raw);
  const pretty = looksJson && !res.truncated ? prettyJson(raw) : undefined;
  const capped = new CappedText(maxBodyBytes);
  capped.push(pretty ?? raw);
  let text = capped.result().text;
  if (res.truncated) text += `\n… body truncated: only the first ${res.body.length.toLocaleString('en')} bytes were read`;
  return { text, kind: pretty !== undefined ? 'json' : 'text' };
}

export function responseText(res: ReceivedResponse, maxBodyBytes: number): { text: string; kind: BodyView['kind'] } {
  const lines = [`HTTP/${res.httpVersion} ${res.status} ${res.statusText}`.trimEnd()];
  for (const [k, v] of res.headers) lines.push(`${k}: ${isSensitiveHeader(k) ? maskHeader(k, v) : v}`);
  const body = bodyView(res, maxBodyBytes);
  if (body.kind !== 'empty') lines.push('', body.text);
  return { text: lines.join('\n'), kind: body.kind };
}

const TOKEN = /"(?:[^"\\]|\\.)*"|[{}[\],:]|[^\s{}[\],:"]+/g;

/** Re-indents valid JSON token by token (numbers kept exactly as sent); undefined when not JSON. */
export function prettyJson(text: string, indent = '  '): string | undefined {
  try {
    JSON.parse(text);
  } catch {
    return undefined;
  }
  const tokens = text.match(TOKEN) ?? [];
  let out = '';
  let depth = 0;
  const nl = (): string => `\n${indent.repeat(depth)}`;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (t === '{' || t === '[') {
      const close = t === '{' ? '}' : ']';
      if (tokens[i + 1] === close) {
        out += t + close;
        i++;
        continue;
      }
      depth++;
      out += t + nl();
    } else if (t === '}' || t === ']') {
      depth--;
      out += nl() + t;
    } else if (t === ',') out += `,${nl()}`;
    else if (t === ':') out += ': ';
    else out += t;
  }
  return out;
}
