// The hash-chained execution log (rows only; the markdown section is rendered by src/core/format).
export { appendRow, chainOf, digestOf, GENESIS, verifyChain, type ChainCheck, type NewLogRow } from './chain.js';
export { canonicalJson } from './canonicalJson.js';
