// Replaces secret values and credential-shaped text with `[REDACTED:NAME]` before output reaches the
// notebook model, so a secret never lands in the saved record (DESIGN §1, §3).
//
// Redaction runs on the text that is stored: terminal escape sequences and control characters are removed
// first, so colour codes cannot split a secret past it. A declared secret of any length is found verbatim
// and in the forms a shell or a request makes of it: percent-encoded (any characters, either hex case,
// space as %20 or +), JSON-escaped, base64 and base64url (at each byte alignment), with CRLF line endings,
// and, for a multi-line secret, each of its lines.

import { PATTERN_RULES, PRIVATE_KEY_BLOCK, tag } from './patterns.js';
import { secretForms } from './secretForms.js';
import { stripTerminalControls } from './terminalControls.js';

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

/** Kept for callers that showed the old limit: every declared secret is redacted now, whatever its length. */
export const MIN_SECRET_LENGTH = 1;

export function createRedactor(secrets: readonly Secret[], options: RedactorOptions = {}): Redactor {
  const forms = secretForms(secrets);
  const valueRegex = forms.regex;
  const values = forms.literals;
  const usePatterns = options.patterns ?? true;

  const redact = (text: string): string => {
    let out = stripTerminalControls(text);
    // Private keys first: a key block may contain text that a narrower rule would only partly cover.
    if (usePatterns && out.includes('PRIVATE KEY')) out = out.replace(PRIVATE_KEY_BLOCK, tag('PRIVATE_KEY'));
    if (valueRegex) out = out.replace(valueRegex, (m) => tag(forms.nameOf(m)));
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
    maxSecretLength: forms.maxLength,
    maxMultilineSecretLength: values.filter((v) => /[\r\n]/.test(v)).reduce((n, v) => Math.max(n, v.length * 2), 0),
  });
}
