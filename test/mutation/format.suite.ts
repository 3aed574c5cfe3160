// Stryker runs this one file per mutant of the format group (one node process instead of one per test file:
// on a shared machine the process start-up is most of a mutant's cost). The exact and near-miss tests come
// first, the differential and property tests (fixed seed, fewer examples: stryker.config.mjs) last, with a
// flush between them so a mutant the quick tests kill stops the process early (flush.ts). `require`, not
// `import`: imports are hoisted above the flushes.
/* eslint-disable @typescript-eslint/no-require-imports */
import { flush } from './flush.js';

require('../unit/formatNearMiss.test.js');
require('../unit/formatMutants.test.js');
require('../unit/lineCursorMutants.test.js');
require('../unit/blockScannerMutants.test.js');
flush();
require('../unit/parse.test.js');
require('../unit/roundtrip.test.js');
require('../unit/frontMatter.test.js');
require('../unit/logWidth.test.js');
flush();
require('../unit/commonmark.test.js');
flush();
require('../unit/property.test.js');
