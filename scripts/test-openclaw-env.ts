// `npx tsx scripts/test-openclaw-env.ts [--dir GATEWAY_FOLDER]`: runs a prepared OpenClaw once
// with the environment Pincer gives it in portable mode (buildGatewayEnv with the state dir in
// the data dir) and lists every file it wrote outside that data dir. These are the facts behind
// the README's list of what OpenClaw writes elsewhere; rerun after an OpenClaw upgrade or a change
// to the gateway's environment. HOME is a private folder here (reported as $HOME/…), so the
// user's own home is not touched; the temp dir is the real one, as it is for the app.
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { buildGatewayEnv, portableGatewayDirs } from '../electron/core/gateway/env';
import { readGatewayFolder } from '../electron/core/gateway/resolve';
import { gatewayCacheDir } from '../electron/core/paths';
import { OFFLINE_ENV, runGatewayOnce } from './gateway-openclaw/verify';

/** Temp-dir entries that can be OpenClaw's (other programs' files there are left out). */
const OPENCLAW_TEMP_ENTRY = /openclaw|node-compile-cache/i;

function walk(dir: string, into: Map<string, string>): void {
  for (const name of fs.readdirSync(dir, { recursive: true }) as string[]) {
    const file = path.join(dir, name);
    const stat = fs.lstatSync(file, { throwIfNoEntry: false });
    if (stat) into.set(file, stat.isDirectory() ? 'dir' : `${stat.size}:${stat.mtimeMs}`);
  }
}

function snapshot(home: string, tempDirs: readonly string[]): Map<string, string> {
  const entries = new Map<string, string>();
  walk(home, entries);
  for (const temp of tempDirs) {
    for (const name of fs.readdirSync(temp).filter((entry) => OPENCLAW_TEMP_ENTRY.test(entry))) {
      const top = path.join(temp, name);
      entries.set(top, 'top');
      if (fs.lstatSync(top, { throwIfNoEntry: false })?.isDirectory()) walk(top, entries);
    }
  }
  return entries;
}

/** A written path shortened to its place: $HOME/.cache/openclaw, /tmp/openclaw, … */
function place(file: string, home: string): string {
  const relativeToHome = path.relative(home, file);
  const [label, rest] = relativeToHome.startsWith('..') ? ['', file] : ['$HOME', relativeToHome];
  // /tmp/openclaw/x.log → /tmp/openclaw; $HOME/.cache/openclaw/x → $HOME/.cache/openclaw
  const parts = rest.split(path.sep).filter(Boolean).slice(0, 2);
  return label ? [label, ...parts].join('/') : `/${parts.join('/')}`;
}

async function main(): Promise<number> {
  const { values } = parseArgs({ options: { dir: { type: 'string' } }, strict: true, allowPositionals: false });
  const folder = path.resolve(values.dir ?? gatewayCacheDir(process.env, os.homedir()));
  const install = readGatewayFolder(folder, 'cache');
  if (!install?.node) {
    process.stderr.write(`test-openclaw-env: no prepared gateway in ${folder}; run \`npm run gateway:openclaw\` first (or pass --dir)\n`);
    return 1;
  }
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'pincer-openclaw-env-'));
  const home = path.join(root, 'home');
  const dataDir = path.join(root, 'data');
  fs.mkdirSync(home);
  fs.mkdirSync(dataDir);
  const tempDirs = [...new Set([os.tmpdir(), '/tmp'].filter((dir) => fs.existsSync(dir)))];
  try {
    // What the app gives the gateway in portable mode: state, temp files and caches in the data dir.
    const portable = portableGatewayDirs(dataDir);
    for (const dir of Object.values(portable)) fs.mkdirSync(dir, { recursive: true });
    const env = buildGatewayEnv({
      base: { ...process.env, HOME: home, USERPROFILE: home },
      token: crypto.randomBytes(32).toString('base64url'),
      extra: OFFLINE_ENV,
      portable,
    });
    const before = snapshot(home, tempDirs);
    const result = await runGatewayOnce(
      { node: install.node, entry: install.entry },
      { env, cwd: dataDir, readyTimeoutMs: 120_000, stopTimeoutMs: 30_000 },
    );
    const after = snapshot(home, tempDirs);

    const outside = [...after]
      .filter(([file, state]) => before.get(file) !== state)
      .map(([file]) => file)
      // Only the sandbox's HOME counts; its data dir is where writes belong.
      .filter((file) => !file.startsWith(`${root}${path.sep}`) || file.startsWith(`${home}${path.sep}`));
    const written = new Map<string, number>();
    for (const file of outside) {
      // A new folder is counted through what was written into it.
      if (outside.some((other) => other.startsWith(`${file}${path.sep}`))) continue;
      const where = place(file, home);
      written.set(where, (written.get(where) ?? 0) + 1);
    }
    process.stdout.write(`OpenClaw ${install.version} (ready in ${(result.readyMs / 1000).toFixed(1)} s) with the app's portable environment:\n`);
    for (const name of Object.keys(env)
      .filter((key) => /^(OPENCLAW_(?!GATEWAY_TOKEN)|TMPDIR$|TMP$|TEMP$|XDG_|NODE_COMPILE_CACHE$|npm_config_cache$)/.test(key))
      .sort()) {
      process.stdout.write(`  ${name}=${env[name]!.replace(root, '<sandbox>')}\n`);
    }
    if (written.size === 0) process.stdout.write('It wrote nothing outside the data dir.\n');
    else
      process.stdout.write(`Written outside the data dir:\n${[...written].map(([where, count]) => `  ${where}  (${count} entries)`).join('\n')}\n`);
    return 0;
  } finally {
    fs.rmSync(root, { recursive: true, force: true, maxRetries: 3 });
  }
}

process.exitCode = await main().catch((error: Error) => {
  process.stderr.write(`test-openclaw-env: ${error.message}\n`);
  return 1;
});
