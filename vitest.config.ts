import { defineConfig } from 'vitest/config';

// Files that run isolated, each with a fresh module graph:
// - the store conformance suite imports the engine's test files after selecting Redis (test/support/
//   store-kit.ts keeps that choice in a module), so every file that builds its stores through the kit;
// - the CLI, instance and scale-out tests, which run `main()` in the test process, set process.env and
//   process-wide defaults (shared rate limits, Airtable budgets by workspace) that the next file
//   would otherwise inherit.
const ISOLATED = [
  'test/store/**/*.test.ts',
  'test/engine/**/*.test.ts',
  'test/connectors/gmail/reply-wait.test.ts',
  'test/llm/budget.test.ts',
  'test/cli/**/*.test.ts',
  'test/instances/**/*.test.ts',
  'test/scale/**/*.test.ts',
];

export default defineConfig({
  test: {
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // Crash tests spawn child processes; two workers match the 2-core machines Baton targets.
    maxWorkers: 2,
    projects: [
      { extends: true, test: { name: 'isolated', include: ISOLATED, isolate: true } },
      // The rest share a worker's loaded modules from one file to the next (isolate: false): the
      // SDKs and the emulators are imported once per worker instead of once per file, which was
      // about 40 % of the suite's CPU time. Test files keep no state in modules they share.
      {
        extends: true,
        test: { name: 'shared', include: ['test/**/*.test.ts'], exclude: ISOLATED, isolate: false },
      },
    ],
  },
});
