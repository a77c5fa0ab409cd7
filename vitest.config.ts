import { defineConfig } from 'vitest/config';
import { usableCpus } from './src/cores.ts';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    // A folder per run where test/smoke-study.ts runs each smoke study once for every file that reads it.
    globalSetup: ['test/smoke-studies-setup.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // One test file per CPU this process may use (a CI container may show more CPUs than its quota grants).
    maxWorkers: usableCpus(),
    // Name single tests only when slow, so the log is about one line per file.
    slowTestThreshold: 10_000,
  },
});
