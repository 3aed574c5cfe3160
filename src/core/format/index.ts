// The document format (DESIGN §1): the one contract every part of Runbook Notebooks shares.
export * from './model.js';
export { parseRunbook } from './parse.js';
export { serializeRunbook } from './serialize.js';
export { parseInfo, renderInfo, sameAttributes } from './attributes.js';
export { languageIdOf, fenceLangOf, runnerOf } from './languages.js';
export { readFrontMatter, frontMatterSchema, type FrontMatter } from './frontMatter.js';
export { renderOutputBlock, fenceFor } from './outputBlock.js';
export { readLogSection, renderLogRow, renderLogSection, LOG_OPEN, LOG_CLOSE } from './executionLogSection.js';
export { newFence } from './codeCell.js';
