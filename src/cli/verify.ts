// `runbook verify FILE... [--allowed-signers FILE]`: proves each record whole (log rows, chain, outputs and
// sources against their latest run) and, when asked, checks its seal against an allowed_signers file.
import { readFileSync } from 'node:fs';
import { verifyRecord } from '../core/log/verifyRecord.js';
import { verifySeal } from '../core/seal/verifySeal.js';
import { decodeUtf8, UsageError } from './roundtrip.js';

export function verifyCommand(args: string[], out: (s: string) => void): number {
  const files: string[] = [];
  let allowedSigners: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '--allowed-signers') {
      allowedSigners = args[++i];
      if (!allowedSigners) throw new UsageError('--allowed-signers needs a FILE');
    } else if (a.startsWith('--allowed-signers=')) allowedSigners = a.slice('--allowed-signers='.length);
    else if (a.startsWith('-')) throw new UsageError(`unknown option ${a}`);
    else files.push(a);
  }
  if (!files.length) throw new UsageError('verify needs at least one FILE');
  const signers = allowedSigners === undefined ? undefined : readFileSync(allowedSigners, 'utf8');
  let bad = 0;
  for (const file of files) {
    const text = decodeUtf8(readFileSync(file));
    const check = verifyRecord(text);
    if (check.ok) out(`${file}: ${check.summary}`);
    else {
      bad++;
      for (const problem of check.problems) out(`${file}: ${problem}`);
    }
    // A sealed record always has its signature checked; the signer only against an allowed_signers file.
    const seal = verifySeal(text, signers);
    if (signers !== undefined || seal.message !== 'not sealed') out(`${file}: ${seal.message}`);
    if (!seal.ok) bad++;
  }
  return bad ? 1 : 0;
}
