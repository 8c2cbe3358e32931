// The real-OpenClaw suite's own config (run by scripts/test-openclaw.mjs), so `npm test` stays
// fast and never needs the 750 MB gateway.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  root: path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..'),
  test: {
    include: ['tests/openclaw/**/*.interop.ts'],
    fileParallelism: false,
    pool: 'forks',
    // OpenClaw takes 5–15 s to get ready here; every step may wait for a full start.
    testTimeout: 180_000,
    hookTimeout: 180_000,
  },
});
