// `runbook verify FILE... [--allowed-signers FILE]`: proves each record whole (log rows, chain, outputs and
// sources against their latest run) and, when asked, checks its seal against an allowed_signers file.
import { readFileSync } from 'node:fs';
import { verifyText } from '../core/seal/verifyText.js';
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
    // A sealed record always has its signature checked; the signer only against an allowed_signers file.
    const report = verifyText(text, signers);
    for (const line of report.lines) out(`${file}: ${line}`);
    if (!report.ok) bad++;
  }
  return bad ? 1 : 0;
}
