// Checking a record's seal: the signature must verify over the payload with the key it carries (so any
// edit shows as "seal broken"), and, with an allowed_signers file, that key must belong to the principal.
import { isAllowed, parseAllowedSigners } from './allowedSigners.js';
import { NAMESPACE, splitSeal } from './sealBlock.js';
import { checkSignature, decodeSignature, dearmor, fingerprint } from './sshsig.js';

export type SealState =
  | { state: 'unsealed' }
  | { state: 'intact'; principal: string; fingerprint: string }
  | { state: 'broken'; principal?: string; reason: string };

/** What the seal says without deciding whom to trust (the notebook's status, `ssh-keygen -Y check-novalidate`). */
export function sealState(text: string): SealState {
  const split = splitSeal(text);
  if (split.problem) return { state: 'broken', reason: split.problem };
  if (!split.seal) return { state: 'unsealed' };
  const { principal } = split.seal;
  try {
    const sig = decodeSignature(dearmor(split.seal.armor.join('\n')));
    if (sig.namespace !== NAMESPACE) return { state: 'broken', principal, reason: `signed for namespace "${sig.namespace}", not "${NAMESPACE}"` };
    if (!checkSignature(sig, Buffer.from(split.payload, 'utf8'))) {
      return { state: 'broken', principal, reason: 'the record was changed after it was sealed (signature does not match)' };
    }
    return { state: 'intact', principal, fingerprint: fingerprint(sig.publicKey) };
  } catch (e) {
    return { state: 'broken', principal, reason: (e as Error).message };
  }
}

export function verifySeal(text: string, allowedSigners?: string, now = new Date()): { ok: boolean; message: string } {
  const state = sealState(text);
  if (state.state === 'unsealed') return { ok: allowedSigners === undefined, message: 'not sealed' };
  if (state.state === 'broken') return { ok: false, message: `seal broken: ${state.reason}` };
  if (allowedSigners === undefined) {
    return { ok: true, message: `sealed by ${state.principal} (${state.fingerprint}), signature intact; signer not checked (give --allowed-signers FILE)` };
  }
  const sig = decodeSignature(dearmor(splitSeal(text).seal!.armor.join('\n')));
  let decision;
  try {
    decision = isAllowed(parseAllowedSigners(allowedSigners), state.principal, sig.publicKey, NAMESPACE, now);
  } catch (e) {
    return { ok: false, message: `seal not checked: ${(e as Error).message}` };
  }
  if (!decision.allowed) return { ok: false, message: `seal not trusted: ${decision.reason} (${state.fingerprint})` };
  return { ok: true, message: `sealed by ${state.principal} (${state.fingerprint}), seal intact and signer allowed` };
}
