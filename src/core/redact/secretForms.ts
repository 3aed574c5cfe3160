// The forms in which a declared secret shows up in output, as one regular expression: verbatim and
// percent-encoded in any mix (what URL parsers, curl and form encoders make of it), JSON-escaped (also
// with \u escapes and \/), base64 and base64url at each of the three byte alignments (a secret inside a
// larger encoded value, such as Basic credentials), CRLF line endings (a pty), and each line of a
// multi-line secret on its own.
import type { Secret } from './redactor.js';

interface Form {
  source: string;
  name: string;
  /** Longest text the form can match. */
  span: number;
}

export interface SecretForms {
  regex?: RegExp;
  /** Verbatim forms, for holding back a possible secret start in a stream. */
  literals: string[];
  maxLength: number;
  nameOf(match: string): string;
}

/** Lines of a multi-line secret shorter than this are not searched on their own ("}" would match everywhere). */
const MIN_LINE = 4;
/** Base64 fragments shorter than this are not searched (too likely in unrelated base64 text). */
const MIN_BASE64 = 6;

export function secretForms(secrets: readonly Secret[]): SecretForms {
  const forms: Form[] = [];
  const literals = new Set<string>();
  const seen = new Set<string>();
  const add = (source: string, name: string, span: number): void => {
    if (seen.has(source)) return;
    seen.add(source);
    forms.push({ source, name, span });
  };
  for (const { name, value } of secrets) {
    if (!value) continue;
    const bases = new Set([value, value.trim(), value.replace(/\r?\n/g, '\r\n'), value.replace(/\r\n/g, '\n')]);
    if (/[\r\n]/.test(value.trim())) {
      for (const line of value.split(/\r?\n/)) if (line.trim().length >= MIN_LINE) bases.add(line.trim());
    }
    bases.delete('');
    for (const base of bases) {
      literals.add(base);
      add(flexiblePercent(base), name, [...base].reduce((n, c) => n + Math.max(c.length, 3 * Buffer.byteLength(c)), 0));
      for (const json of jsonForms(base)) {
        if (json === base) continue;
        literals.add(json);
        add(escapeRegex(json), name, json.length);
      }
    }
    for (const b64 of base64Forms(value.trim() || value)) {
      literals.add(b64);
      add(escapeRegex(b64), name, b64.length);
    }
  }
  if (!forms.length) return { literals: [], maxLength: 0, nameOf: () => 'SECRET' };
  // Longest first, so a secret that contains another is replaced whole.
  forms.sort((a, b) => b.span - a.span);
  const regex = new RegExp(forms.map((f) => `(${f.source})`).join('|'), 'g');
  const single = forms.map((f) => new RegExp(`^(?:${f.source})$`));
  return {
    regex,
    literals: [...literals],
    maxLength: forms.reduce((n, f) => Math.max(n, f.span), 0),
    nameOf: (match) => forms[single.findIndex((r) => r.test(match))]?.name ?? 'SECRET',
  };
}

const hexClass = (n: number): string => {
  const h = n.toString(16);
  return /[a-f]/.test(h) ? `[${h}${h.toUpperCase()}]` : h;
};

/** Each character verbatim or as its percent-encoded UTF-8 bytes (either hex case); a space also as "+". */
function flexiblePercent(text: string): string {
  return [...text].map((c) => {
    const pct = [...Buffer.from(c, 'utf8')].map((b) => `%${hexClass(b >> 4)}${hexClass(b & 15)}`).join('');
    const alternatives = [escapeRegex(c), pct];
    if (c === ' ') alternatives.push('\\+');
    return `(?:${alternatives.join('|')})`;
  }).join('');
}

function jsonForms(text: string): string[] {
  const plain = JSON.stringify(text).slice(1, -1);
  const ascii = plain.replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  return [...new Set([plain, ascii, plain.replace(/\//g, '\\/'), ascii.replace(/\//g, '\\/')])];
}

/** The base64 and base64url characters that depend on the secret alone, for each alignment in the data. */
function base64Forms(text: string): string[] {
  const bytes = Buffer.from(text, 'utf8');
  const out = new Set<string>();
  for (let offset = 0; offset < 3; offset++) {
    const data = Buffer.concat([Buffer.alloc(offset), bytes]);
    const from = Math.ceil((8 * offset) / 6);
    const to = Math.floor((8 * (offset + bytes.length)) / 6);
    for (const encoding of ['base64', 'base64url'] as const) {
      const core = data.toString(encoding).replace(/=+$/, '').slice(from, to);
      if (core.length >= MIN_BASE64) out.add(core);
    }
  }
  return [...out];
}

function escapeRegex(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
