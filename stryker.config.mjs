// Mutation testing of the safety-critical core (`npm run mutate [group...]`, not part of `npm test`).
// One group at a time (MUTATE_GROUP), each with its own mutated files, the unit test files that exercise
// them (coverage is per test file, so a mutant runs only the files that reach it; or one suite file that
// imports them all, one process per mutant, where every file reaches every mutant), and its own incremental
// file, so a re-run only tests mutants whose code or tests changed.
// node:test files run through the tap runner (`node --import tsx FILE` prints TAP when piped).
// Scores and surviving mutants: docs/MUTATION.md.
export const groups = {
  safety: {
    mutate: ['src/core/run/confirmPolicy.ts', 'src/core/safety/destructive.ts', 'src/core/sql/dangers.ts'],
    tests: ['test/unit/destructive.test.ts', 'test/unit/safetyMutants.test.ts', 'test/unit/safetyWhitespace.test.ts'],
    // Every file covers every rule (module-level tables): one process per mutant instead of three.
    suite: 'test/mutation/safety.suite.ts',
    // Test files added after a measured run: beside the suite (not in it), so an incremental re-run reuses the
    // suite's results and tests only the mutants the new files reach.
    extra: ['test/unit/confirmMutants.test.ts'],
  },
  stop: {
    mutate: ['src/core/contract/cellStop.ts', 'src/core/shell/stopCell.ts'],
    tests: ['test/unit/cellStop.test.ts', 'test/unit/cancelTree.test.ts'],
  },
  redact: {
    mutate: ['src/core/redact/**/*.ts'],
    tests: ['test/unit/redact.test.ts', 'test/unit/redactStream.test.ts', 'test/unit/redactForms.test.ts', 'test/unit/redactPatterns.test.ts'],
  },
  log: {
    mutate: ['src/core/log/**/*.ts', 'src/core/util/canonicalJson.ts'],
    tests: ['test/unit/logChain.test.ts', 'test/unit/logMutants.test.ts', 'test/unit/recordDigests.test.ts', 'test/unit/digestPromise.test.ts', 'test/unit/journal.test.ts', 'test/unit/verifyRecord.test.ts', 'test/unit/verifyPlaces.test.ts', 'test/unit/journalMerge.test.ts', 'test/unit/journalFile.test.ts'],
  },
  format: {
    mutate: ['src/core/format/**/*.ts'],
    tests: ['test/unit/formatNearMiss.test.ts', 'test/unit/formatMutants.test.ts', 'test/unit/lineCursorMutants.test.ts', 'test/unit/blockScannerMutants.test.ts', 'test/unit/parse.test.ts', 'test/unit/roundtrip.test.ts', 'test/unit/frontMatter.test.ts',
      'test/unit/logWidth.test.ts', 'test/unit/commonmark.test.ts', 'test/unit/property.test.ts'],
    // Every file reaches the parser and the serializer: one process per mutant instead of seven.
    suite: 'test/mutation/format.suite.ts',
    // The property tests (commonmark, property) run with a fixed seed, so a mutant is killed or not the same way
    // on every run, and with a twentieth of their examples (each keeps its promise; `npm run test:deep` runs more).
    env: { FC_SEED: '20261123', FC_SCALE: '0.05' },
  },
};

const groupName = process.env.MUTATE_GROUP ?? 'safety';
const group = groups[groupName];
if (!group) throw new Error(`MUTATE_GROUP=${groupName}: one of ${Object.keys(groups).join(', ')}`);
for (const [k, v] of Object.entries(group.env ?? {})) process.env[k] ??= v;
// MUTATE_FILES=a.ts,b.ts narrows a group to some of its files (reports and incremental file named after them).
const only = process.env.MUTATE_FILES ? process.env.MUTATE_FILES.split(',').map((f) => f.trim()).filter(Boolean) : undefined;
const name = only ? `${groupName}-${only.map((f) => f.replace(/^.*\//, '').replace(/\.ts$/, '')).join('+')}` : groupName;

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  packageManager: 'npm',
  testRunner: 'tap',
  tap: { testFiles: group.suite ? [group.suite, ...(group.extra ?? [])] : group.tests, nodeArgs: ['--import', 'tsx'], forceBail: true },
  checkers: ['typescript'],
  // The checker type-checks only src/core (the mutated modules and what they import).
  tsconfigFile: 'tsconfig.mutate.json',
  typescriptChecker: { prioritizePerformanceOverAccuracy: true },
  mutate: only ?? group.mutate,
  coverageAnalysis: 'perTest',
  // The machine is shared (2 cores): one test process at a time.
  concurrency: Number(process.env.MUTATE_CONCURRENCY ?? 1),
  incremental: true,
  incrementalFile: `reports/mutation/${name}-incremental.json`,
  // A sandbox copy (never in place: in place, Stryker rewrites every file of the worktree while it runs).
  // The tests find ../shared/seeds through RUNBOOK_SEEDS_DIR (scripts/mutate.sh sets it).
  ignorePatterns: ['.vscode-test', 'dist', 'test-results', 'reports', '.stryker-tmp*'],
  timeoutMS: 15000,
  timeoutFactor: 2,
  reporters: ['clear-text', 'progress', 'json'],
  jsonReporter: { fileName: `reports/mutation/${name}.json` },
  thresholds: { high: 90, low: 85, break: null },
  // One temp folder per group, so two groups can run side by side.
  tempDirName: `.stryker-tmp-${name}`,
  cleanTempDir: 'always',
};
