// What `runbook verify` and "Runbook: Verify Record" both report for one record: the whole-record proof
// (log rows, chain, outputs and sources) and the seal (signature always when sealed, signer only against
// an allowed_signers text).
import { verifySeal } from './verifySeal.js';
import { verifyRecord } from '../log/verifyRecord.js';

export interface VerifyReport {
  ok: boolean;
  /** One line per finding, without the file name. */
  lines: string[];
}

export function verifyText(text: string, allowedSigners?: string): VerifyReport {
  const lines: string[] = [];
  const check = verifyRecord(text);
  if (check.ok) lines.push(check.summary);
  else lines.push(...check.problems);
  const seal = verifySeal(text, allowedSigners);
  if (allowedSigners !== undefined || seal.message !== 'not sealed') lines.push(seal.message);
  return { ok: check.ok && seal.ok, lines };
}
