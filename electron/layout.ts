// Where the shell finds its files, in development (the repo, after `npm run build`) and packaged
// (app.asar, with the reference gateway in resources/ beside it via extraResources). Pure.
import path from 'node:path';

export interface AppLayout {
  preload: string;
  /** dist/renderer: the dashboard, served as pincer://app/ (app-protocol.ts). */
  rendererDir: string;
  iconsDir: string;
  /** The reference gateway bundle: forked by utilityProcess, so it lives outside app.asar when packaged. */
  referenceEntry: string;
  /** Set when packaged: where bundled gateways (OpenClaw) are looked for. */
  resourcesPath?: string;
  /** Set when packaged: the update feed electron-builder writes when the build has one. */
  updateConfig?: string;
}

export function appLayout(facts: { appPath: string; isPackaged: boolean; resourcesPath: string }): AppLayout {
  const dist = path.join(facts.appPath, 'dist');
  return {
    preload: path.join(dist, 'preload.cjs'),
    rendererDir: path.join(dist, 'renderer'),
    iconsDir: path.join(facts.appPath, 'resources', 'icons'),
    referenceEntry: facts.isPackaged
      ? path.join(facts.resourcesPath, 'gateway', 'reference-gateway.cjs')
      : path.join(dist, 'gateway', 'reference-gateway.cjs'),
    resourcesPath: facts.isPackaged ? facts.resourcesPath : undefined,
    updateConfig: facts.isPackaged ? path.join(facts.resourcesPath, 'app-update.yml') : undefined,
  };
}
