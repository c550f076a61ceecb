import { defineConfig } from 'vitest/config';

/**
 * Vitest config for mutation runs only (test/mutation/stryker.config.mjs). Each group of
 * `npm run mutate` names its own test files in S2V_MUTATE_TESTS, so a mutant in the engine
 * never waits for a Chromium or render test that cannot reach it. No React plugin: the
 * studio UI is not mutated.
 */
const files = (process.env.S2V_MUTATE_TESTS ?? '').split(',').filter(Boolean);
if (!files.length) throw new Error('S2V_MUTATE_TESTS is empty: run mutation through `npm run mutate`');

export default defineConfig({
  test: {
    root: '.',
    include: files,
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
