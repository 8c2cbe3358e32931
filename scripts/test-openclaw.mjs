// `npm run test:openclaw`: Pincer against the real OpenClaw gateway. Installs OpenClaw and its
// Node 24 runtime into the cache outside the repo if needed (idempotent: a second run skips it),
// builds dist/, then runs the interop suite with its own vitest config. Exit code = vitest's.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const run = (command, args) => spawnSync(command, args, { cwd: root, stdio: 'inherit' }).status ?? 1;

if (run(path.join(root, 'node_modules/.bin/tsx'), [path.join(root, 'scripts/gateway-openclaw.ts')]) !== 0) {
  console.error('test:openclaw: installing OpenClaw failed');
  process.exit(1);
}
if (run(process.execPath, [path.join(root, 'scripts/build.mjs')]) !== 0) process.exit(1);
process.exit(
  run(process.execPath, [
    path.join(root, 'node_modules/vitest/vitest.mjs'),
    'run',
    '--config',
    path.join(root, 'tests/openclaw/vitest.config.ts'),
    ...process.argv.slice(2),
  ]),
);
