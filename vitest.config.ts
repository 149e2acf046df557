import { defineConfig } from 'vitest/config';

// The store conformance suite imports the engine's test files after selecting Redis (test/support/
// store-kit.ts keeps that choice in a module): those files, and every file that builds its stores
// through the kit, run isolated, each with a fresh module graph.
const STORE_KIT = [
  'test/store/**/*.test.ts',
  'test/engine/**/*.test.ts',
  'test/connectors/gmail/reply-wait.test.ts',
  'test/llm/budget.test.ts',
];

export default defineConfig({
  test: {
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // Crash tests spawn child processes; two workers match the 2-core machines Baton targets.
    maxWorkers: 2,
    projects: [
      { extends: true, test: { name: 'store-kit', include: STORE_KIT, isolate: true } },
      // The rest share a worker's loaded modules from one file to the next (isolate: false): the
      // SDKs and the emulators are imported once per worker instead of once per file, which was
      // about 40 % of the suite's CPU time. Test files keep no state in modules they share.
      {
        extends: true,
        test: { name: 'shared', include: ['test/**/*.test.ts'], exclude: STORE_KIT, isolate: false },
      },
    ],
  },
});
