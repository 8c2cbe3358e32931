// Which gateway runs: settings path → bundled OpenClaw in resources → dev cache → reference.
import fs from 'node:fs';
import path from 'node:path';
import type { Settings } from '../settings/schema';
import type { GatewaySource } from '../status';
import { openclawGateway, referenceGateway, type GatewayProgram, type OpenClawInstall } from './programs';

/** Written by `npm run gateway:openclaw` into every gateway folder it prepares. */
export const GATEWAY_MANIFEST = 'pincer-gateway.json';

export interface GatewayManifest {
  openclawVersion: string;
  nodeVersion: string;
  /** Relative to the folder: the Node runtime and openclaw.mjs. */
  node: string;
  entry: string;
}

export interface GatewayLocations {
  /** Electron's process.resourcesPath when packaged. */
  resourcesPath?: string;
  /** Dev cache of `npm run gateway:openclaw` (e.g. ~/.cache/pincer/gateway). */
  cacheDir?: string;
  /** The bundled reference gateway entry (reference-gateway.cjs). */
  referenceEntry: string;
  referenceVersion: string;
}

export class GatewayNotFoundError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'GatewayNotFoundError';
  }
}

export function readGatewayFolder(folder: string, source: GatewaySource): OpenClawInstall | undefined {
  const manifestFile = path.join(folder, GATEWAY_MANIFEST);
  if (fs.existsSync(manifestFile)) {
    const manifest = JSON.parse(fs.readFileSync(manifestFile, 'utf8')) as GatewayManifest;
    return {
      entry: path.join(folder, manifest.entry),
      node: path.join(folder, manifest.node),
      version: manifest.openclawVersion,
      source,
    };
  }
  // Folders Pincer prepares always carry the manifest, written last: without it an install was
  // interrupted. Only a folder the user chose may be a plain `npm install openclaw`.
  if (source !== 'settings') return undefined;
  const packageFile = path.join(folder, 'node_modules', 'openclaw', 'package.json');
  if (!fs.existsSync(packageFile)) return undefined;
  const { version } = JSON.parse(fs.readFileSync(packageFile, 'utf8')) as { version?: string };
  return { entry: path.join(folder, 'node_modules', 'openclaw', 'openclaw.mjs'), version, source };
}

export function resolveGateway(settings: Settings, where: GatewayLocations): GatewayProgram {
  const node = settings.nodePath || undefined;
  const reference = () => referenceGateway(where.referenceEntry, where.referenceVersion, node);
  if (settings.gatewayKind === 'reference') return reference();

  const candidates: Array<[string | undefined, GatewaySource]> = [
    [settings.openclawPath || undefined, 'settings'],
    [where.resourcesPath && path.join(where.resourcesPath, 'openclaw'), 'bundled'],
    [where.cacheDir, 'cache'],
  ];
  for (const [folder, source] of candidates) {
    if (!folder) continue;
    const install = readGatewayFolder(folder, source);
    if (install) return openclawGateway(node ? { ...install, node } : install);
    if (source === 'settings') {
      throw new GatewayNotFoundError(`No OpenClaw install in ${folder} (expected node_modules/openclaw or ${GATEWAY_MANIFEST}).`);
    }
  }
  if (settings.gatewayKind === 'openclaw') {
    throw new GatewayNotFoundError('OpenClaw is not installed: run `npm run gateway:openclaw` or set its path in settings.');
  }
  return reference();
}
