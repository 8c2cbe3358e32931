// The browser suite's own config (run by scripts/test-e2e.mjs): `npm test` only picks up
// tests/**/*.test.ts, so it never starts Chromium.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  root: path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..'),
  test: {
    include: ['tests/e2e/**/*.e2e.ts'],
    // A browser, the twin and real gateways on a busy 2-core machine: one file at a time, generous bounds.
    fileParallelism: false,
    pool: 'forks',
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
