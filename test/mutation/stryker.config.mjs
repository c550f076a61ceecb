// StrykerJS settings for one group of `npm run mutate` (test/mutation/mutate.mjs sets
// S2V_MUTATE_GROUP; groups.mjs says what each group mutates and which tests it runs).
import { groupNamed } from './groups.mjs';

const group = groupNamed(process.env.S2V_MUTATE_GROUP ?? '');
process.env.S2V_MUTATE_TESTS = group.tests.join(',');
const reports = `test-artifacts/mutation/${group.name}`;

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  mutate: group.mutate,
  testRunner: 'vitest',
  plugins: ['@stryker-mutator/vitest-runner'],
  // Every listed test file runs in the dry run; after it, a mutant only re-runs the tests
  // that reached it (per-test coverage).
  vitest: { configFile: 'test/mutation/vitest.config.ts', related: false },
  coverageAnalysis: 'perTest',
  // The machine is shared: one sandbox unless S2V_MUTATE_CONCURRENCY says otherwise.
  concurrency: Number(process.env.S2V_MUTATE_CONCURRENCY ?? 1),
  // A mutant that loops forever (a `<` turned `<=` in a frame loop) costs the whole timeout:
  // tests run in well under a second each, so 10 s over 2.5 × their time is plenty here.
  timeoutMS: group.timeoutMS ?? 10_000,
  timeoutFactor: 2.5,
  tempDirName: '.stryker-tmp',
  cleanTempDir: true,
  // Only what the tests read is copied into the sandbox.
  ignorePatterns: ['dist', 'out', 'test-artifacts', '.cache', '.tmp', '.stryker-tmp', 'src/app', 'src/desktop'],
  reporters: ['clear-text', 'json', 'html', 'progress-append-only'],
  clearTextReporter: { allowColor: false, logTests: false, reportTests: false, reportMutants: true, reportScoreTable: true },
  jsonReporter: { fileName: `${reports}/mutation.json` },
  htmlReporter: { fileName: `${reports}/mutation.html` },
  thresholds: { high: group.threshold, low: group.threshold, break: null },
  disableTypeChecks: '{src,nodes,test}/**/*.ts',
  ignoreStatic: group.ignoreStatic ?? false,
};
