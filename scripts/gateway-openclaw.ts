// `npm run gateway:openclaw [-- --version X] [-- --dest DIR | --bundle]`: installs a pinned
// openclaw and the Node runtime it needs (from the registry's node-<platform>-<arch> package) into
// a gateway folder as a normal npm tree, verifies it by starting the gateway once offline, and
// writes the manifest the app resolves it by. Idempotent: a folder that already holds the
// requested versions is left alone. Installs for this machine's platform and architecture.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { GATEWAY_MANIFEST } from '../electron/core/gateway/resolve';
import { inspectFolder, manifestFor, removeManifest, runtimeBinary, writeManifest, writePackageJson } from './gateway-openclaw/folder';
import { findNpmCli, runNpmInstall, withPathFirst } from './gateway-openclaw/npm';
import { parseGatewayArgs, USAGE, type InstallPlan } from './gateway-openclaw/options';
import { verifyGateway } from './gateway-openclaw/verify';

const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const STEPS = 4;

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const say = (line: string) => process.stdout.write(`${line}\n`);

async function step<T>(index: number, title: string, run: () => T | Promise<T>): Promise<T> {
  say(`[${index}/${STEPS}] ${title}`);
  const started = Date.now();
  const result = await run();
  say(`      done in ${seconds(Date.now() - started)}`);
  return result;
}

function folderBytes(dir: string): number {
  let total = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) total += fs.statSync(path.join(entry.parentPath, entry.name)).size;
  }
  return total;
}

async function install(plan: InstallPlan): Promise<void> {
  const { dest, runtime, openclawVersion } = plan;
  const npmCli = findNpmCli(process.env, process.execPath, process.platform);
  removeManifest(dest);

  const node = await step(1, `Node runtime ${runtime.name}@${runtime.version}`, async () => {
    writePackageJson(dest, { [runtime.name]: runtime.version });
    await runNpmInstall({ cwd: dest, node: process.execPath, npmCli, env: process.env });
    const binary = path.join(dest, 'node_modules', runtime.name, runtimeBinary(dest, runtime.name));
    const reported = execFileSync(binary, ['--version'], { encoding: 'utf8' }).trim();
    if (reported !== `v${runtime.version}`) throw new Error(`${binary} reports ${reported}, expected v${runtime.version}`);
    return binary;
  });

  // With this Node first on PATH (and running npm), openclaw's preinstall accepts the runtime.
  await step(2, `openclaw@${openclawVersion} (about 650 MB; a cold registry takes a while)`, () => {
    writePackageJson(dest, { [runtime.name]: runtime.version, openclaw: openclawVersion });
    return runNpmInstall({ cwd: dest, node, npmCli, env: withPathFirst(process.env, path.dirname(node)) });
  });

  const manifest = manifestFor(plan, runtimeBinary(dest, runtime.name));
  await step(3, 'verify: start the gateway once offline, wait for /readyz, stop it', async () => {
    const result = await verifyGateway({ node: path.join(dest, manifest.node), entry: path.join(dest, manifest.entry) });
    say(`      ready in ${seconds(result.readyMs)} on 127.0.0.1:${result.port}; SIGTERM → exit ${result.exitCode ?? result.signal} in ${seconds(result.stopMs)}; no process left`);
  });

  await step(4, `write ${GATEWAY_MANIFEST}`, () => writeManifest(dest, manifest));
  say(`OpenClaw ${openclawVersion} with Node ${runtime.version} is ready in ${dest} (${Math.round(folderBytes(dest) / 1e6)} MB).`);
}

async function main(): Promise<number> {
  const parsed = parseGatewayArgs(process.argv.slice(2), {
    platform: process.platform,
    arch: process.arch,
    cwd: process.env.INIT_CWD ?? process.cwd(),
    projectRoot,
    env: process.env,
    homeDir: os.homedir(),
  });
  if (parsed.kind === 'help') {
    say(USAGE);
    return 0;
  }
  if (parsed.kind === 'error') {
    process.stderr.write(`gateway:openclaw: ${parsed.message}\n\n${USAGE}\n`);
    return 2;
  }
  const { plan } = parsed;
  say(`gateway:openclaw: openclaw ${plan.openclawVersion} + ${plan.runtime.name}@${plan.runtime.version} → ${plan.dest}`);
  const state = inspectFolder(plan.dest, plan);
  if (state.kind === 'current') {
    say(`Already installed and verified (${GATEWAY_MANIFEST} matches, files present): nothing to do.`);
    return 0;
  }
  if (state.kind === 'foreign') {
    process.stderr.write(`gateway:openclaw: ${state.reason}. Choose an empty folder.\n`);
    return 1;
  }
  if (state.kind === 'different') say(`The folder ${state.reason}: installing over it.`);

  const started = Date.now();
  try {
    await install(plan);
  } catch (error) {
    // No manifest was written; remove the tree too, so nothing mistakes it for a usable install.
    fs.rmSync(path.join(plan.dest, 'node_modules'), { recursive: true, force: true, maxRetries: 3 });
    process.stderr.write(`gateway:openclaw: ${(error as Error).message}\nThe folder's node_modules was removed; run again once the cause is fixed.\n`);
    return 1;
  }
  say(`Total ${seconds(Date.now() - started)}.`);
  return 0;
}

process.exitCode = await main();
