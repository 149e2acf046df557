import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // Crash tests spawn child processes; two workers match the 2-core machines Baton targets.
    maxWorkers: 2,
  },
});
