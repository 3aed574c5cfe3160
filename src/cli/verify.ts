// `runbook verify FILE`: checks the hash chain of the execution log and names the first bad row.
import { readFileSync } from 'node:fs';
import { parseRunbook } from '../core/format/index.js';
import { verifyChain } from '../core/log/chain.js';
import { decodeUtf8, UsageError } from './roundtrip.js';

export function verifyCommand(files: string[], out: (s: string) => void): number {
  if (!files.length) throw new UsageError('verify needs at least one FILE');
  let bad = 0;
  for (const file of files) {
    const doc = parseRunbook(decodeUtf8(readFileSync(file)));
    const rows = doc.log?.rows ?? [];
    if (!rows.length) {
      out(`${file}: no execution log`);
      continue;
    }
    const check = verifyChain(rows);
    if (check.ok) out(`${file}: ok (${rows.length} rows, chain intact)`);
    else {
      bad++;
      out(`${file}: row ${check.badRow}: ${check.reason}`);
    }
  }
  return bad ? 1 : 0;
}
