import { defineConfig } from 'vitest/config';

/** Browser flows in Debian's Chromium through playwright-core (test/e2e/*.spec.ts). */
export default defineConfig({
  test: {
    include: ['test/e2e/**/*.spec.ts'],
    testTimeout: 180_000,
    hookTimeout: 180_000,
    fileParallelism: false,
  },
});
