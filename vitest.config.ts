// Test runner settings: unit, integration and browser tests all run under vitest in Node.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Face analysis and the browser tests are slow on a 2-core machine; none of them is timed.
    testTimeout: 180_000,
    hookTimeout: 180_000,
    // Heavy suites share two cores: run files one after another so worker pools do not starve.
    fileParallelism: false,
    pool: 'forks',
  },
});
