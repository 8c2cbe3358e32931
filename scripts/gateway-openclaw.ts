// `npm run gateway:openclaw [-- --version X] [-- --dest DIR | --bundle]`: installs a pinned
// openclaw and the Node runtime it needs (from the registry's node-<platform>-<arch> package) into
// a gateway folder as a normal npm tree, verifies it by starting the gateway once offline, and
// writes the manifest the app resolves it by. Idempotent: a folder that already holds the
// requested versions is left alone. Installs for this machine's platform, and its architecture
// or another one (`--arch`, e.g. a mac x64 bundle on an arm64 Mac): then npm fetches the target's
// platform packages, and the result is checked instead of started.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { GATEWAY_MANIFEST } from '../electron/core/gateway/resolve';
import { inspectFolder, manifestFor, removeManifest, runtimeBinary, writeManifest, writePackageJson } from './gateway-openclaw/folder';
import { fileArch, foreignAddons, foreignPackages, platformPackages } from './gateway-openclaw/native';
import { findNpmCli, npmTargetArgs, runNpmInstall, withPathFirst } from './gateway-openclaw/npm';
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

/** Installs a runtime package into `dir` and returns its binary (checked by running it, or by its header for another arch). */
async function installRuntime(
  dir: string,
  runtime: InstallPlan['runtime'],
  npmCli: string,
  target?: { platform: string; arch: string },
): Promise<string> {
  const runtimeDependency = { [runtime.name]: runtime.version };
  if (target) writePackageJson(dir, {}, runtimeDependency);
  else writePackageJson(dir, runtimeDependency);
  await runNpmInstall({ cwd: dir, node: process.execPath, npmCli, env: process.env, extraArgs: npmTargetArgs(target) });
  const binary = path.join(dir, 'node_modules', runtime.name, runtimeBinary(dir, runtime.name));
  if (target) {
    const arch = fileArch(binary);
    if (arch !== target.arch) throw new Error(`${binary} is built for ${arch ?? 'an unknown CPU'}, expected ${target.arch}`);
    return binary;
  }
  const reported = execFileSync(binary, ['--version'], { encoding: 'utf8' }).trim();
  if (reported !== `v${runtime.version}`) throw new Error(`${binary} reports ${reported}, expected v${runtime.version}`);
  return binary;
}

async function install(plan: InstallPlan): Promise<void> {
  const { dest, runtime, openclawVersion, cross } = plan;
  const npmCli = findNpmCli(process.env, process.execPath, process.platform);
  removeManifest(dest);

  const target = cross ? { platform: cross.platform, arch: cross.arch } : undefined;
  const hostDir = cross ? fs.mkdtempSync(path.join(os.tmpdir(), 'pincer-host-node-')) : undefined;
  try {
    const node = await step(
      1,
      `Node runtime ${runtime.name}@${runtime.version}${cross ? ` (for ${cross.arch}; ${cross.hostRuntime.name} runs the install)` : ''}`,
      async () => {
        const binary = await installRuntime(dest, runtime, npmCli, target);
        // The target's runtime cannot run here: this machine's own runs npm and openclaw's install script.
        return cross && hostDir ? installRuntime(hostDir, cross.hostRuntime, npmCli) : binary;
      },
    );

    // With this Node first on PATH (and running npm), openclaw's preinstall accepts the runtime.
    await step(2, `openclaw@${openclawVersion} (about 650 MB; a cold registry takes a while)`, () => {
      if (target) writePackageJson(dest, { openclaw: openclawVersion }, { [runtime.name]: runtime.version });
      else writePackageJson(dest, { [runtime.name]: runtime.version, openclaw: openclawVersion });
      return runNpmInstall({ cwd: dest, node, npmCli, env: withPathFirst(process.env, path.dirname(node)), extraArgs: npmTargetArgs(target) });
    });

    const manifest = manifestFor(plan, runtimeBinary(dest, runtime.name));
    if (target) {
      await step(3, `verify for ${target.platform}-${target.arch}: its binaries cannot run here, so check them`, () => {
        const packages = platformPackages(dest);
        const foreign = foreignPackages(packages, target);
        if (foreign.length > 0) throw new Error(`packages for another platform were installed: ${foreign.map((pkg) => pkg.name).join(', ')}`);
        say(
          `      ${packages.length} platform-specific packages, all for ${target.platform}-${target.arch}; the gateway was NOT started (run pack:check on a ${target.arch} machine for that)`,
        );
        // Unused on the target (its loader picks the target's own addon), so a warning, not a failure.
        const addons = foreignAddons(dest, target);
        if (addons.length > 0)
          say(
            `      warning: ${addons.length} native addon(s) for ${target.platform} but not ${target.arch} (built by an install script on this machine?): ${addons.join(', ')}`,
          );
      });
    } else {
      await step(3, 'verify: start the gateway once offline, wait for /readyz, stop it', async () => {
        const result = await verifyGateway({ node: path.join(dest, manifest.node), entry: path.join(dest, manifest.entry) });
        say(
          `      ready in ${seconds(result.readyMs)} on 127.0.0.1:${result.port}; SIGTERM → exit ${result.exitCode ?? result.signal} in ${seconds(result.stopMs)}; no process left`,
        );
      });
    }

    await step(4, `write ${GATEWAY_MANIFEST}`, () => writeManifest(dest, manifest));
    say(`OpenClaw ${openclawVersion} with Node ${runtime.version} is ready in ${dest} (${Math.round(folderBytes(dest) / 1e6)} MB).`);
  } finally {
    if (hostDir) fs.rmSync(hostDir, { recursive: true, force: true });
  }
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
    process.stderr.write(
      `gateway:openclaw: ${(error as Error).message}\nThe folder's node_modules was removed; run again once the cause is fixed.\n`,
    );
    return 1;
  }
  say(`Total ${seconds(Date.now() - started)}.`);
  return 0;
}

process.exitCode = await main();
