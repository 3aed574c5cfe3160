// Replaces secret values and credential-shaped text with `[REDACTED:NAME]` before output reaches the
// notebook model, so a secret never lands in the saved record (DESIGN §1).

import { PATTERN_RULES, PRIVATE_KEY_BLOCK, tag } from './patterns.js';

export interface Secret {
  /** Variable name shown in the replacement: `[REDACTED:NAME]`. */
  name: string;
  value: string;
}

export interface Redactor {
  (text: string): string;
  /** Longest text one secret value can span: how much a streaming redactor must hold back. */
  readonly maxSecretLength: number;
  /** Longest secret value containing a line break (0 if none): line-wise holding is not enough for those. */
  readonly maxMultilineSecretLength: number;
  /** Length of the longest end of `text` that is the beginning of a secret value (held back when flushing). */
  partialSecretAtEnd(text: string): number;
}

export interface RedactorOptions {
  /** Also redact common token shapes (default true). */
  patterns?: boolean;
}

/**
 * Values shorter than this are not searched for: replacing every "ab" in the output would make it
 * unreadable while protecting nothing worth protecting.
 */
export const MIN_SECRET_LENGTH = 4;

export function createRedactor(secrets: readonly Secret[], options: RedactorOptions = {}): Redactor {
  const byVariant = new Map<string, string>();
  for (const s of secrets) {
    for (const v of variants(s.value)) {
      if (v.length >= MIN_SECRET_LENGTH && !byVariant.has(v)) byVariant.set(v, s.name);
    }
  }
  // Longest first, so a secret that contains another is replaced whole.
  const values = [...byVariant.keys()].sort((a, b) => b.length - a.length);
  const valueRegex = values.length ? new RegExp(values.map(escapeRegex).join('|'), 'g') : undefined;
  const usePatterns = options.patterns ?? true;

  const redact = (text: string): string => {
    let out = text;
    // Private keys first: a key block may contain text that a narrower rule would only partly cover.
    if (usePatterns && out.includes('PRIVATE KEY')) out = out.replace(PRIVATE_KEY_BLOCK, tag('PRIVATE_KEY'));
    if (valueRegex && values.some((v) => out.includes(v))) {
      out = out.replace(valueRegex, (m) => tag(byVariant.get(m) ?? 'SECRET'));
    }
    if (usePatterns) {
      // One lower-cased copy and a few substring tests per chunk instead of a dozen regex passes.
      const lower = out.toLowerCase();
      for (const rule of PATTERN_RULES) {
        if (rule.hints.some((h) => lower.includes(h))) {
          out = out.replace(rule.regex, rule.replace as (m: string, ...g: string[]) => string);
        }
      }
    }
    return out;
  };
  const partialSecretAtEnd = (text: string): number => {
    let best = 0;
    for (const v of values) {
      for (let k = Math.min(v.length - 1, text.length); k > best; k--) {
        if (text.endsWith(v.slice(0, k))) {
          best = k;
          break;
        }
      }
    }
    return best;
  };
  return Object.assign(redact, {
    partialSecretAtEnd,
    maxSecretLength: values.reduce((n, v) => Math.max(n, v.length), 0),
    maxMultilineSecretLength: values.filter((v) => /[\r\n]/.test(v)).reduce((n, v) => Math.max(n, v.length), 0),
  });
}

/** The forms in which a value commonly shows up in output besides verbatim. */
function variants(value: string): string[] {
  const out = new Set([value, value.trim()]);
  out.add(encodeURIComponent(value)); // query strings, URLs
  out.add(JSON.stringify(value).slice(1, -1)); // JSON-escaped (quotes, backslashes, newlines)
  return [...out];
}

function escapeRegex(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
