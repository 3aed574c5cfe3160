export function verifySeal(_text: string, _signers: string): { ok: boolean; message: string } {
  return { ok: false, message: 'not implemented' };
}
