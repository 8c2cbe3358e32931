// `npm run pack:check`: checks the packaged app's layout offline, in seconds.
//   1. builds dist/ (scripts/build.mjs);
//   2. runs electron-builder `--linux dir` (through scripts/electron-builder.mjs, with a test update
//      feed) with electronDist pointing at a STUB Electron (build/electron-stub: one placeholder
//      file named `electron` that carries Electron's fuse wire with its default values). The stub
//      only lets electron-builder lay out resources/ and flip the fuses exactly as the installers
//      would; the result is NOT a runnable app. Real installers need `npm run dist` on a networked
//      builder;
//   3. asserts the configuration (fuses, appId, architectures, icons, publish) and the layout:
//      app.asar holds exactly the app (main, preload, dashboard, window and tray icons,
//      package.json; no node_modules, tests, sources or maps), its bundles need nothing but Node
//      and Electron, the fuses electron-builder flipped in the executable, resources/app-update.yml
//      names the feed, resources/gateway holds the reference gateway, and the app's own code
//      (appLayout, resolveGateway) finds the gateway there;
//   4. runs the packaged reference gateway once with plain Node until /readyz answers 200 (and,
//      when an OpenClaw bundle was prepared, checks its copy is whole and runs it the same way).
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import { createRequire, isBuiltin } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { tsImport } from 'tsx/esm/api';
import { buildAll } from './build.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const stubDir = path.join(root, 'build', 'electron-stub');
const outDir = path.join(root, 'build', 'pack-check');
const require = createRequire(import.meta.url);
// electron-builder's own asar library (a dependency of app-builder-lib), so no extra install.
const builderRequire = createRequire(require.resolve('app-builder-lib/package.json'));
const asar = builderRequire('@electron/asar');
const yaml = builderRequire('js-yaml');
const fuses = builderRequire('@electron/fuses');
/** Any feed URL will do: pack:check only checks it reaches resources/app-update.yml. */
const TEST_FEED = 'https://updates.pincer.invalid/feed/';

const STUB_NOTICE =
  'NOTE: electron-builder runs with a stub Electron (build/electron-stub): this checks the packaged layout only; it is not a runnable app.';
/** Everything app.asar may hold (paths inside the archive). */
const ASAR_ALLOWED = [
  /^\/package\.json$/,
  /^\/dist\/(main|preload)\.cjs$/,
  /^\/dist\/renderer\/.+/,
  /^\/resources\/icons\/app\/256x256\.png$/,
  /^\/resources\/icons\/tray\/(mac|win|linux)\/[^/]+\.(png|ico)$/,
];
const ASAR_REQUIRED = ['/package.json', '/dist/main.cjs', '/dist/preload.cjs', '/dist/renderer/index.html'];
/** ws loads these native accelerators inside try/catch; without them it uses plain JS. */
const OPTIONAL_REQUIRES = new Set([
  'bufferutil',
  'utf-8-validate',
  // ajv (under conf / electron-store) writes these into the source text of standalone validators
  // it can generate; the bundle holds the functions themselves, and Pincer gives conf no schema.
  'ajv/dist/runtime/validation_error',
  'ajv/dist/runtime/uri',
  'ajv/dist/runtime/ucs2length',
  'ajv/dist/runtime/equal',
  'ajv-formats/dist/formats',
]);

const failures = [];
const check = (ok, message) => {
  if (!ok) failures.push(message);
  return ok;
};
const say = (line) => process.stdout.write(`${line}\n`);
const seconds = (ms) => `${(ms / 1000).toFixed(1)} s`;

/** Runs a step and reports it done with its time, unless it returned false (a recorded failure). */
async function timed(title, run) {
  const started = Date.now();
  const result = await run();
  if (result !== false) say(`pack:check: ${title} (${seconds(Date.now() - started)})`);
  return result;
}

/** A fuse's byte in the wire: ASCII '1' (on) or '0' (off) — @electron/fuses' FuseState. */
const FUSE = { on: 0x31, off: 0x30 };
const FUSE_SENTINEL = 'dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX';
/** Electron's fuses as its binaries ship them (FuseV1Options order): what electronFuses must change. */
const ELECTRON_DEFAULT_FUSES = [1, 0, 1, 1, 0, 0, 0, 1];
/** What electron-builder.yml must ask for (FuseV1Options name → on). */
const EXPECTED_FUSES = {
  RunAsNode: false,
  EnableCookieEncryption: true,
  EnableNodeOptionsEnvironmentVariable: false,
  EnableNodeCliInspectArguments: false,
  EnableEmbeddedAsarIntegrityValidation: true,
  OnlyLoadAppFromAsar: true,
  GrantFileProtocolExtraPrivileges: false,
};

/**
 * A placeholder for the Electron binary: electron-builder copies and renames it, nothing runs it.
 * It carries a fuse wire laid out as Electron's (sentinel, version 1, length, one byte per fuse),
 * so electron-builder's electronFuses step runs on it as on the real binary.
 */
function writeStub() {
  fs.rmSync(stubDir, { recursive: true, force: true });
  fs.mkdirSync(stubDir, { recursive: true });
  const wire = Buffer.from([1, ELECTRON_DEFAULT_FUSES.length, ...ELECTRON_DEFAULT_FUSES.map((on) => (on ? FUSE.on : FUSE.off))]);
  const script = '#!/bin/sh\necho "Pincer pack:check stub, not Electron: this build is not runnable" >&2\nexit 1\n# fuse wire: ';
  fs.writeFileSync(path.join(stubDir, 'electron'), Buffer.concat([Buffer.from(script), Buffer.from(FUSE_SENTINEL), wire, Buffer.from('\n')]), {
    mode: 0o755,
  });
}

/** The builder configuration itself: what a stub build cannot show (other platforms, arches). */
async function checkConfig() {
  const config = yaml.load(fs.readFileSync(path.join(root, 'electron-builder.yml'), 'utf8'));
  const { APP_ID } = await tsImport('../electron/app-id.ts', import.meta.url);
  check(config.appId === APP_ID, `electron-builder.yml appId ${config.appId} differs from the app's AppUserModelID ${APP_ID} (electron/app-id.ts)`);
  for (const [name, on] of Object.entries(EXPECTED_FUSES)) {
    const key = name[0].toLowerCase() + name.slice(1);
    check(config.electronFuses?.[key] === on, `electronFuses.${key} must be ${on}, is ${config.electronFuses?.[key]}`);
  }
  const arches = (platform, target) => config[platform]?.target?.find((entry) => entry.target === target)?.arch ?? [];
  for (const [platform, target, wanted] of [
    ['mac', 'dmg', ['x64', 'arm64']],
    ['mac', 'zip', ['x64', 'arm64']],
    ['linux', 'AppImage', ['x64', 'arm64']],
    ['linux', 'deb', ['x64', 'arm64']],
    ['win', 'nsis', ['x64']],
  ]) {
    check(
      wanted.every((arch) => arches(platform, target).includes(arch)),
      `${platform} ${target} builds ${arches(platform, target).join(', ')}; expected ${wanted.join(', ')}`,
    );
  }
  check(
    config.publish?.provider === 'generic' && config.publish?.url === '${env.PINCER_UPDATE_FEED}',
    'publish must be the generic provider with url ${env.PINCER_UPDATE_FEED}',
  );
  check(
    config.beforePack === './scripts/bundle-check.mjs',
    'beforePack must be ./scripts/bundle-check.mjs (fails a build missing an expected OpenClaw bundle)',
  );
  for (const [platform, icon] of [
    ['win', 'resources/icons/app/icon.ico'],
    ['mac', 'resources/icons/app/icon.icns'],
    ['linux', 'resources/icons/app'],
  ]) {
    check(config[platform]?.icon === icon && fs.existsSync(path.join(root, icon)), `${platform}.icon must be ${icon}, which must exist`);
  }
}

/** The fuses electron-builder flipped in the packaged executable (the stub's wire). */
async function checkFuses(executable) {
  const wire = await fuses.getCurrentFuseWire(executable);
  for (const [name, on] of Object.entries(EXPECTED_FUSES)) {
    const state = wire[fuses.FuseV1Options[name]];
    check(state === (on ? FUSE.on : FUSE.off), `the packaged executable's fuse ${name} is ${String.fromCharCode(state)}, expected ${on ? 1 : 0}`);
  }
}

function checkUpdateFeed(resourcesPath) {
  const file = path.join(resourcesPath, 'app-update.yml');
  const written = fs.existsSync(file) ? yaml.load(fs.readFileSync(file, 'utf8')) : undefined;
  check(
    written?.provider === 'generic' && written?.url === TEST_FEED,
    `resources/app-update.yml should name the generic feed ${TEST_FEED}, holds ${JSON.stringify(written)}`,
  );
}

/** `feed`: the PINCER_UPDATE_FEED of this build (undefined: a build without one). */
function runElectronBuilder(output, feed) {
  const args = [
    path.join(root, 'scripts', 'electron-builder.mjs'),
    '--linux',
    'dir',
    '--publish',
    'never',
    `-c.electronDist=${stubDir}`,
    `-c.directories.output=${output}`,
  ];
  const env = { ...process.env, PINCER_UPDATE_FEED: feed };
  if (feed === undefined) delete env.PINCER_UPDATE_FEED;
  return new Promise((resolve, reject) => {
    let output = '';
    const child = spawn(process.execPath, args, { cwd: root, stdio: ['ignore', 'pipe', 'pipe'], env });
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    child.once('error', reject);
    child.once('exit', (code) => (code === 0 ? resolve(output) : reject(new Error(`electron-builder failed (exit ${code}):\n${output}`))));
  });
}

/** The module names a CommonJS bundle requires with a literal string. */
function requiredModules(source) {
  return [...new Set([...source.matchAll(/\brequire\(\s*["']([^"']+)["']\s*\)/g)].map((match) => match[1]))];
}

function checkSelfContained(name, source, allowed) {
  const missing = requiredModules(source).filter((id) => !isBuiltin(id) && !allowed.has(id) && !OPTIONAL_REQUIRES.has(id));
  check(missing.length === 0, `${name} requires modules that are not packaged: ${missing.join(', ')}`);
}

function checkAsar(asarFile, icons) {
  const files = asar.listPackage(asarFile).filter((entry) => !asar.statFile(asarFile, entry.slice(1)).files);
  for (const required of ASAR_REQUIRED) check(files.includes(required), `app.asar lacks ${required}`);
  for (const file of files)
    check(
      ASAR_ALLOWED.some((pattern) => pattern.test(file)),
      `app.asar holds an unexpected file: ${file}`,
    );
  for (const icon of icons) check(files.includes(icon), `app.asar lacks the icon ${icon}`);

  const pkg = JSON.parse(asar.extractFile(asarFile, 'package.json').toString('utf8'));
  check(pkg.main === 'dist/main.cjs', `app.asar's package.json main is ${pkg.main}, not dist/main.cjs`);
  check(!pkg.devDependencies && !pkg.scripts, "app.asar's package.json still lists devDependencies or scripts");
  checkSelfContained('dist/main.cjs', asar.extractFile(asarFile, 'dist/main.cjs').toString('utf8'), new Set(['electron']));
  checkSelfContained('dist/preload.cjs', asar.extractFile(asarFile, 'dist/preload.cjs').toString('utf8'), new Set(['electron']));
  const bytes = files.reduce((sum, file) => sum + (asar.statFile(asarFile, file.slice(1)).size ?? 0), 0);
  return { files: files.length, bytes };
}

/** Every icon file the shell's own code asks for (window, tray per state and platform), as asar paths. */
async function iconsTheAppLoads() {
  const { iconFile, TRAY_ICON_STATES, windowIconFile } = await tsImport('../electron/tray-model.ts', import.meta.url);
  const iconsDir = '/resources/icons';
  const files = [windowIconFile(iconsDir)];
  for (const state of TRAY_ICON_STATES) {
    for (const platform of ['darwin', 'win32', 'linux']) {
      const file = iconFile(iconsDir, state, platform);
      files.push(file, ...(file.endsWith('.png') ? [file.replace(/\.png$/, '@2x.png')] : []));
    }
  }
  return files.map((file) => file.split(path.sep).join('/'));
}

async function checkGatewayResolution(resourcesPath, appVersion) {
  const { appLayout } = await tsImport('../electron/layout.ts', import.meta.url);
  const { resolveGateway } = await tsImport('../electron/core/gateway/resolve.ts', import.meta.url);
  const { DEFAULT_SETTINGS } = await tsImport('../electron/core/settings/schema.ts', import.meta.url);
  // What the packaged shell computes (electron/layout.ts), with app.getAppPath() = resources/app.asar.
  const layout = appLayout({ appPath: path.join(resourcesPath, 'app.asar'), isPackaged: true, resourcesPath });
  const packagedReference = path.join(resourcesPath, 'gateway', 'reference-gateway.cjs');
  check(
    layout.referenceEntry === packagedReference,
    `the shell looks for the reference gateway at ${layout.referenceEntry}, not ${packagedReference}`,
  );
  check(fs.existsSync(packagedReference), 'resources/gateway/reference-gateway.cjs is missing');
  check(!fs.readdirSync(path.join(resourcesPath, 'gateway')).some((name) => name.endsWith('.map')), 'resources/gateway holds source maps');
  if (!fs.existsSync(packagedReference)) return undefined;
  checkSelfContained('resources/gateway/reference-gateway.cjs', fs.readFileSync(packagedReference, 'utf8'), new Set());

  // No dev cache here: this checks what the package itself provides.
  const locations = { resourcesPath: layout.resourcesPath, referenceEntry: layout.referenceEntry, referenceVersion: appVersion };
  const bundled = fs.existsSync(path.join(resourcesPath, 'openclaw'));
  const auto = resolveGateway({ ...DEFAULT_SETTINGS, gatewayKind: 'auto' }, locations);
  const expected = bundled ? 'bundled' : 'reference';
  check(auto.source === expected, `with default settings the app resolves the ${auto.source} gateway, expected ${expected}`);
  const reference = resolveGateway({ ...DEFAULT_SETTINGS, gatewayKind: 'reference' }, locations);
  const launch = reference.launch(0, {});
  check(reference.source === 'reference' && launch.file === packagedReference, `gatewayKind reference resolves ${launch.file}`);
  return {
    reference: { node: process.execPath, entry: launch.file },
    openclaw: auto.kind === 'openclaw' ? { node: auto.launch(0, {}).execPath, entry: auto.launch(0, {}).file } : undefined,
    auto: `${auto.kind}/${auto.source}${auto.version ? ` ${auto.version}` : ''}`,
  };
}

function filesUnder(dir) {
  return fs.readdirSync(dir, { recursive: true }).map((name) => name.split(path.sep).join('/'));
}

/** The bundled OpenClaw must arrive whole: electron-builder drops only dotfiles like .gitkeep. */
function checkBundledCopy(resourcesPath) {
  const source = path.join(root, 'build', 'openclaw', `linux-${process.arch}`);
  const copied = new Set(filesUnder(path.join(resourcesPath, 'openclaw')));
  const missing = filesUnder(source).filter((file) => !copied.has(file) && !path.posix.basename(file).startsWith('.'));
  check(
    missing.length === 0,
    `resources/openclaw lacks ${missing.length} file(s) of ${path.relative(root, source)}, e.g. ${missing.slice(0, 5).join(', ')}`,
  );
  return copied.size;
}

async function main() {
  say(`pack:check: ${STUB_NOTICE}`);
  const started = Date.now();
  await checkConfig();
  await timed('built dist/', () => buildAll({ quiet: true }));
  writeStub();
  fs.rmSync(outDir, { recursive: true, force: true });
  await timed('electron-builder --linux dir (offline, stub Electron)', () => runElectronBuilder(outDir, TEST_FEED));
  // The same build without a feed must not carry one: then the app never checks for updates.
  const noFeedDir = `${outDir}-no-feed`;
  fs.rmSync(noFeedDir, { recursive: true, force: true });
  await timed('electron-builder again without PINCER_UPDATE_FEED: no resources/app-update.yml', async () => {
    await runElectronBuilder(noFeedDir, undefined);
    const unpackedNoFeed = fs.readdirSync(noFeedDir).find((name) => /^linux(-\w+)?-unpacked$/.test(name));
    const ok = check(
      unpackedNoFeed && !fs.existsSync(path.join(noFeedDir, unpackedNoFeed, 'resources', 'app-update.yml')),
      'a build without PINCER_UPDATE_FEED still wrote resources/app-update.yml',
    );
    fs.rmSync(noFeedDir, { recursive: true, force: true });
    return ok;
  });

  const unpacked = fs.readdirSync(outDir).find((name) => /^linux(-\w+)?-unpacked$/.test(name));
  if (!check(unpacked, `electron-builder wrote no linux-*-unpacked folder in ${outDir}`)) return finish(started);
  const resourcesPath = path.join(outDir, unpacked, 'resources');
  const asarFile = path.join(resourcesPath, 'app.asar');
  if (!check(fs.existsSync(asarFile), `${asarFile} is missing`)) return finish(started);

  const contents = checkAsar(asarFile, await iconsTheAppLoads());
  await checkFuses(path.join(outDir, unpacked, 'pincer'));
  checkUpdateFeed(resourcesPath);
  const asarBytes = fs.statSync(asarFile).size;
  say(
    `pack:check: app.asar ${(asarBytes / 1024).toFixed(0)} KB (${asarBytes} bytes; ${contents.files} files, ${(contents.bytes / 1024).toFixed(0)} KB of content)`,
  );
  const appVersion = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')).version;
  const resolved = await checkGatewayResolution(resourcesPath, appVersion);
  if (resolved) {
    say(`pack:check: with default settings the app resolves ${resolved.auto}`);
    const { verifyGateway } = await tsImport('./gateway-openclaw/verify.ts', import.meta.url);
    await timed('ran the packaged reference gateway with plain Node: /readyz 200, SIGTERM, exit 0, no process left', () =>
      verifyGateway(resolved.reference, { readyTimeoutMs: 30_000, stopTimeoutMs: 10_000 }).catch((error) => {
        return check(false, `the packaged reference gateway failed: ${error.message}`);
      }),
    );
    if (resolved.openclaw) {
      // Only when `gateway:openclaw -- --bundle` prepared one (never in CI): proves the copied tree runs.
      say(`pack:check: resources/openclaw holds ${checkBundledCopy(resourcesPath)} entries`);
      await timed('ran the packaged OpenClaw from resources/openclaw: /readyz 200, SIGTERM, exit 0, no process left', () =>
        verifyGateway(resolved.openclaw).catch((error) => {
          return check(false, `the packaged OpenClaw failed: ${error.message}`);
        }),
      );
    }
  }
  return finish(started);
}

function finish(started) {
  if (failures.length > 0) {
    for (const failure of failures) process.stderr.write(`pack:check: FAIL ${failure}\n`);
    process.stderr.write(`pack:check: ${failures.length} problem(s) in ${seconds(Date.now() - started)}\n`);
    return 1;
  }
  say(`pack:check: layout OK in ${seconds(Date.now() - started)} (${path.relative(root, outDir)}). ${STUB_NOTICE}`);
  return 0;
}

process.exitCode = await main().catch((error) => {
  process.stderr.write(`pack:check: ${error.stack ?? error.message}\n`);
  return 1;
});
