// The seal block at the very end of a record (DESIGN §1 "Seal"). The signed payload is every byte before
// the block's opening line, so `runbook seal --payload` and `ssh-keygen -Y verify` agree on what was
// signed, and any later edit anywhere above the block breaks the seal. Only blank lines may follow it.
import type { Eol } from '../format/model.js';

export const SEAL_OPEN = '<!-- runbook:seal ';
export const SEAL_CLOSE = '<!-- /runbook:seal -->';
export const NAMESPACE = 'runbook';

export interface SealBlock {
  principal: string;
  /** The armored signature's lines, BEGIN and END included. */
  armor: string[];
}

export interface SplitRecord {
  /** The signed bytes (the whole text when the record is not sealed, after `payloadForSealing`). */
  payload: string;
  seal?: SealBlock;
  /** The block could not be read (named in verify); the payload then is the text before it. */
  problem?: string;
}

/** Splits a record into the payload and its seal block, if it ends with one. */
export function splitSeal(text: string): SplitRecord {
  const start = sealStart(text);
  if (start === -1) return { payload: text };
  const payload = text.slice(0, start);
  const lines = text.slice(start).replace(/[\s]+$/, '').split(/\r?\n/);
  const head = /^<!-- runbook:seal (\{.*\}) -->$/.exec(lines[0]!);
  let principal: unknown;
  try {
    principal = head ? (JSON.parse(head[1]!) as { principal?: unknown }).principal : undefined;
  } catch {
    principal = undefined;
  }
  const begin = lines.indexOf('-----BEGIN SSH SIGNATURE-----');
  const end = lines.indexOf('-----END SSH SIGNATURE-----');
  if (typeof principal !== 'string' || begin === -1 || end < begin) return { payload, problem: 'the seal block is damaged' };
  return { payload, seal: { principal, armor: lines.slice(begin, end + 1) } };
}

/** Offset of the seal block's opening line when only blank lines follow its closing line, else -1. */
function sealStart(text: string): number {
  const start = text.lastIndexOf(`\n${SEAL_OPEN}`);
  if (start === -1) return text.startsWith(SEAL_OPEN) && closedAtEnd(text) ? 0 : -1;
  return closedAtEnd(text.slice(start + 1)) ? start + 1 : -1;
}

function closedAtEnd(block: string): boolean {
  const close = block.lastIndexOf(`\n${SEAL_CLOSE}`);
  return close !== -1 && /^[ \t\r\n]*$/.test(block.slice(close + 1 + SEAL_CLOSE.length));
}

/** The bytes that sealing `text` signs: the record without any old seal, ending with a blank line. */
export function payloadForSealing(text: string, eol: Eol): string {
  const base = splitSeal(text).payload;
  if (base === '') return base;
  if (!base.endsWith('\n')) return base + eol + eol;
  return /\n[ \t]*\r?\n$/.test(base) ? base : base + eol;
}

/** The seal block, without a final line ending. */
export function renderSealBlock(seal: SealBlock, eol: Eol): string {
  if (/[\r\n]/.test(seal.principal)) throw new Error('a principal cannot contain a line break');
  const meta = JSON.stringify({ principal: seal.principal, namespace: NAMESPACE })
    .replace(/[<>&|`]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)
    .replace(/-(?=-)/g, '\\u002d');
  const who = seal.principal.replace(/[&<>|`\\*_[\]]/g, (c) => `&#${c.charCodeAt(0)};`);
  return [
    `${SEAL_OPEN}${meta} -->`,
    `**Sealed** by ${who} with an SSH signature (namespace \`${NAMESPACE}\`). Any change above this block breaks the seal;`
      + ' check it with `runbook verify RECORD --allowed-signers FILE`.',
    '',
    '```text',
    ...seal.armor,
    '```',
    SEAL_CLOSE,
  ].join(eol);
}
