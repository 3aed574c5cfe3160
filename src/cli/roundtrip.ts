// `runbook roundtrip FILE...`: checks the round-trip law on files, byte for byte.
import { readFileSync } from 'node:fs';
import { parseRunbook, serializeRunbook } from '../core/format/index.js';

/** The first line where two texts differ (1-based), with both versions shown; undefined when equal. */
export function firstDifference(a: string, b: string): string | undefined {
  if (a === b) return undefined;
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  const line = a.slice(0, i).split('\n').length;
  const lineOf = (t: string): string => {
    const start = t.lastIndexOf('\n', i - 1) + 1;
    const end = t.indexOf('\n', i);
    return JSON.stringify(t.slice(start, end === -1 ? t.length : end));
  };
  return `line ${line}: expected ${lineOf(a)}, got ${lineOf(b)}`;
}

export function roundtripCommand(files: string[], out: (s: string) => void): number {
  if (!files.length) throw new UsageError('roundtrip needs at least one FILE');
  let failures = 0;
  for (const file of files) {
    let text: string;
    try {
      text = decodeUtf8(readFileSync(file));
    } catch (e) {
      out(`${file}: error: ${(e as Error).message}`);
      failures++;
      continue;
    }
    const diff = firstDifference(text, serializeRunbook(parseRunbook(text)));
    if (diff) failures++;
    out(`${file}: ${diff ?? 'ok'}`);
  }
  return failures ? 1 : 0;
}

const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

export function decodeUtf8(bytes: Uint8Array): string {
  try {
    return decoder.decode(bytes);
  } catch {
    throw new Error('not valid UTF-8');
  }
}

export class UsageError extends Error {
  override name = 'UsageError';
}

/** By name: each command is its own bundle (dist/cli/*.js) with its own copy of the class. */
export function isUsageError(e: unknown): e is UsageError {
  return e instanceof Error && e.name === 'UsageError';
}
