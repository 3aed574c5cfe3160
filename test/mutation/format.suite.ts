// Stryker runs this one file per mutant of the format group (one node process instead of one per test file:
// on a shared machine the process start-up is most of a mutant's cost). The exact tests come first, the
// differential and property tests (fixed seed, fewer examples: stryker.config.mjs) last.
import '../unit/formatMutants.test.js';
import '../unit/parse.test.js';
import '../unit/roundtrip.test.js';
import '../unit/frontMatter.test.js';
import '../unit/logWidth.test.js';
import '../unit/commonmark.test.js';
import '../unit/property.test.js';
