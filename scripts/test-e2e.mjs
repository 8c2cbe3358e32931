// `npm run test:e2e`: the dashboard in a real browser against the real headless twin.
// Makes sure Debian's chromium is there, builds dist/, then runs the e2e suite with its own
// vitest config (tests/e2e/**/*.e2e.ts), so `npm test` never starts a browser.
// Extra arguments go to vitest (e.g. `-t "restart"`). The exit code is vitest's.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
// The tests launch exactly this binary (tests/e2e/browser.ts), so this is the path to check.
const CHROMIUM = '/usr/bin/chromium';

function run(command, args, options = {}) {
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit', ...options });
  if (result.error) throw new Error(`${command} could not run: ${result.error.message}`);
  return result.status ?? 1;
}

function isExecutable(file) {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function installChromium() {
  if (process.platform !== 'linux' || !isExecutable('/usr/bin/apt-get')) {
    throw new Error(`${CHROMIUM} is missing and there is no apt-get here: install Chromium at that path first.`);
  }
  if (process.getuid?.() !== 0) {
    throw new Error(`${CHROMIUM} is missing: run \`sudo apt-get install -y --no-install-recommends chromium\` (needs root), then try again.`);
  }
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const install = () => run('apt-get', ['install', '-y', '--no-install-recommends', 'chromium'], { env });
  console.log(`test:e2e: ${CHROMIUM} is missing, installing Debian's chromium`);
  // Fresh images have no package lists, and old lists point at removed versions: update only then.
  if (install() !== 0) {
    if (run('apt-get', ['update'], { env }) !== 0 || install() !== 0) throw new Error('apt-get could not install chromium');
  }
  if (!isExecutable(CHROMIUM)) throw new Error(`chromium was installed but ${CHROMIUM} is still missing`);
}

function main() {
  if (!isExecutable(CHROMIUM)) installChromium();

  const started = Date.now();
  if (run(process.execPath, [path.join(root, 'scripts/build.mjs')]) !== 0) {
    console.error('test:e2e: the build failed');
    return 1;
  }
  console.log(`test:e2e: build took ${Date.now() - started} ms`);

  const vitest = path.join(root, 'node_modules/vitest/vitest.mjs');
  return run(process.execPath, [vitest, 'run', '--config', path.join(root, 'tests/e2e/vitest.config.ts'), ...process.argv.slice(2)]);
}

try {
  process.exitCode = main();
} catch (error) {
  console.error(`test:e2e: ${error.message}`);
  process.exitCode = 1;
}
