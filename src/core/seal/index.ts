// Sealed records (DESIGN §1 "Seal"): SSHSIG signatures over the record, checked against allowed_signers.
export { sealRecord, signMessage, eolOf } from './seal.js';
export { splitSeal, payloadForSealing, renderSealBlock, NAMESPACE, SEAL_OPEN, SEAL_CLOSE, type SealBlock } from './sealBlock.js';
export { sealState, verifySeal, type SealState } from './verifySeal.js';
export { keyFileSigner, agentSigners, publicKeyOf, PassphraseNeeded, type Signer } from './signer.js';
export { parseAllowedSigners, isAllowed, matchPatternList } from './allowedSigners.js';
