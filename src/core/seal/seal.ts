// Sealing a record: sign the payload (the record without any old seal, ending with a blank line) in
// namespace `runbook` and append the seal block.
import type { Eol } from '../format/model.js';
import { NAMESPACE, payloadForSealing, renderSealBlock } from './sealBlock.js';
import type { Signer } from './signer.js';
import { armor, encodeSignature, signedData } from './sshsig.js';

export function eolOf(text: string): Eol {
  const nl = text.indexOf('\n');
  return nl > 0 && text.charCodeAt(nl - 1) === 13 ? '\r\n' : '\n';
}

/** The armored SSHSIG signature of `message` (what `ssh-keygen -Y sign -n runbook` writes). */
export async function signMessage(message: Buffer | string, signer: Signer, namespace = NAMESPACE): Promise<string[]> {
  const signature = await signer.sign(signedData(message, namespace));
  return armor(encodeSignature({ publicKey: signer.publicKey, namespace, hashAlgorithm: 'sha512', signature }));
}

/** The sealed record: payload + seal block + line ending. */
export async function sealRecord(text: string, signer: Signer, principal: string): Promise<string> {
  const eol = eolOf(text);
  const payload = payloadForSealing(text, eol);
  const lines = await signMessage(Buffer.from(payload, 'utf8'), signer);
  return payload + renderSealBlock({ principal, armor: lines }, eol) + eol;
}
