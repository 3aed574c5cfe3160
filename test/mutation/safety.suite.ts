// Stryker runs this one file per mutant (one node process instead of one per test file: on a shared
// machine the process start-up is most of a mutant's cost). The group's test files, as listed in
// stryker.config.mjs.
import '../unit/destructive.test.js';
import '../unit/safetyMutants.test.js';
import '../unit/safetyWhitespace.test.js';
