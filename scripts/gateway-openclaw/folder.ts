// The gateway folder on disk: a normal npm project (package.json + node_modules) holding the
// Node runtime package and openclaw, plus the manifest the app reads (GATEWAY_MANIFEST).
// The manifest is written last, after the install was verified: its presence means "usable".
import fs from 'node:fs';
import path from 'node:path';
import { GATEWAY_MANIFEST, type GatewayManifest } from '../../electron/core/gateway/resolve';
import type { InstallPlan } from './options';

/** The name of the package.json we write; a folder with another package.json is not ours. */
export const GATEWAY_PACKAGE_NAME = 'pincer-gateway';
export const OPENCLAW_ENTRY = 'node_modules/openclaw/openclaw.mjs';

function readJson(file: string): unknown {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8')) as unknown;
  } catch {
    return undefined;
  }
}

/** Manifest paths are relative to the folder, with forward slashes on every platform. */
export function manifestFor(plan: InstallPlan, nodeBin: string): GatewayManifest {
  return {
    openclawVersion: plan.openclawVersion,
    nodeVersion: plan.runtime.version,
    node: `node_modules/${plan.runtime.name}/${nodeBin.replace(/\\/g, '/')}`,
    entry: OPENCLAW_ENTRY,
  };
}

export type FolderState =
  | { kind: 'current'; manifest: GatewayManifest }
  | { kind: 'absent' }
  /** Ours, but not (or not completely) the requested versions. */
  | { kind: 'different'; reason: string }
  | { kind: 'foreign'; reason: string };

/** Whether `dest` already holds exactly the requested, verified install. */
export function inspectFolder(dest: string, plan: InstallPlan): FolderState {
  if (!fs.existsSync(dest) || fs.readdirSync(dest).length === 0) return { kind: 'absent' };
  const pkg = readJson(path.join(dest, 'package.json')) as { name?: unknown } | undefined;
  if (pkg?.name !== GATEWAY_PACKAGE_NAME) {
    return { kind: 'foreign', reason: `${dest} is not empty and is not a Pincer gateway folder (no package.json named ${GATEWAY_PACKAGE_NAME})` };
  }
  const manifest = readJson(path.join(dest, GATEWAY_MANIFEST)) as Partial<GatewayManifest> | undefined;
  if (!manifest) return { kind: 'different', reason: 'no manifest (install never finished)' };
  if (manifest.openclawVersion !== plan.openclawVersion || manifest.nodeVersion !== plan.runtime.version) {
    return {
      kind: 'different',
      reason: `has openclaw ${String(manifest.openclawVersion)} with Node ${String(manifest.nodeVersion)}`,
    };
  }
  for (const file of [manifest.entry, manifest.node]) {
    if (typeof file !== 'string' || !fs.existsSync(path.join(dest, file))) return { kind: 'different', reason: `${String(file)} is missing` };
  }
  const installed = readJson(path.join(dest, 'node_modules', 'openclaw', 'package.json')) as { version?: unknown } | undefined;
  if (installed?.version !== plan.openclawVersion) return { kind: 'different', reason: `node_modules holds openclaw ${String(installed?.version)}` };
  return { kind: 'current', manifest: manifest as GatewayManifest };
}

/**
 * package.json for one install phase: the runtime alone first, then the runtime and openclaw.
 * npm ≥ 11.19 skips dependencies' install scripts unless `allowScripts` names them; openclaw's
 * own (a Node runtime check, then completing its package lifecycle) must run, pinned to the version
 * we install. The others it pulls in work without theirs (koffi ships prebuilds as packages).
 */
export function writePackageJson(dest: string, dependencies: Record<string, string>, optionalDependencies?: Record<string, string>): void {
  const pkg = {
    name: GATEWAY_PACKAGE_NAME,
    private: true,
    description: 'OpenClaw gateway and its Node runtime for Pincer (written by npm run gateway:openclaw)',
    dependencies,
    // A runtime for another CPU: npm checks a direct dependency against this machine even with
    // --cpu, but picks optional ones by --os/--cpu.
    ...(optionalDependencies ? { optionalDependencies } : {}),
    ...(dependencies.openclaw ? { allowScripts: { [`openclaw@${dependencies.openclaw}`]: true } } : {}),
  };
  fs.mkdirSync(dest, { recursive: true });
  fs.writeFileSync(path.join(dest, 'package.json'), `${JSON.stringify(pkg, null, 2)}\n`);
}

/** The runtime binary inside its package, from the package's own `bin.node` (bin/node, bin/node.exe). */
export function runtimeBinary(dest: string, runtimeName: string): string {
  const pkg = readJson(path.join(dest, 'node_modules', runtimeName, 'package.json')) as { bin?: { node?: unknown } } | undefined;
  const bin = pkg?.bin?.node;
  if (typeof bin !== 'string') throw new Error(`${runtimeName} has no bin.node in its package.json`);
  return bin;
}

export function writeManifest(dest: string, manifest: GatewayManifest): void {
  const file = path.join(dest, GATEWAY_MANIFEST);
  fs.writeFileSync(`${file}.tmp`, `${JSON.stringify(manifest, null, 2)}\n`);
  fs.renameSync(`${file}.tmp`, file);
}

/** Before changing an install: without a manifest the app no longer trusts the folder. */
export function removeManifest(dest: string): void {
  fs.rmSync(path.join(dest, GATEWAY_MANIFEST), { force: true });
}
