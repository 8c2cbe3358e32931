// electron-builder's beforePack hook (electron-builder.yml): when a build says OpenClaw is expected
// in every artifact (PINCER_BUNDLE_OPENCLAW=1), a target whose build/openclaw/<os>-<arch> bundle is
// missing, unfinished or made for another platform fails the build — instead of shipping without it.
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { tsImport } from 'tsx/esm/api';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const { Arch } = createRequire(require.resolve('app-builder-lib/package.json'))('builder-util');

/**
 * Why the bundle for one target is not usable, or undefined. `manifest` is its pincer-gateway.json
 * (undefined when missing), `runtimeName` the Node runtime package that target needs.
 */
export function bundleProblem({ dir, manifest, runtimeName, nodeExists }) {
  if (!manifest) return `${dir} holds no finished OpenClaw bundle (no pincer-gateway.json)`;
  if (!manifest.node?.startsWith(`node_modules/${runtimeName}/`))
    return `${dir} was prepared with ${manifest.node}, not the ${runtimeName} runtime this target needs`;
  if (!nodeExists) return `${dir} lacks its Node runtime ${manifest.node}`;
  return undefined;
}

export async function beforePack(context) {
  if (process.env.PINCER_BUNDLE_OPENCLAW !== '1') return;
  const { bundleDir, nodeRuntimeFor } = await tsImport('./gateway-openclaw/options.ts', import.meta.url);
  const { GATEWAY_MANIFEST } = await tsImport('../electron/core/gateway/resolve.ts', import.meta.url);
  const platform = context.electronPlatformName;
  const arch = Arch[context.arch];
  const dir = bundleDir(root, platform, arch);
  const runtime = nodeRuntimeFor(platform, arch);
  let manifest;
  try {
    manifest = JSON.parse(fs.readFileSync(path.join(dir, GATEWAY_MANIFEST), 'utf8'));
  } catch {
    manifest = undefined;
  }
  const problem = runtime
    ? bundleProblem({
        dir: path.relative(root, dir),
        manifest,
        runtimeName: runtime.name,
        nodeExists: manifest?.node !== undefined && fs.existsSync(path.join(dir, manifest.node)),
      })
    : `no Node runtime is known for ${platform}-${arch}`;
  if (problem) {
    throw new Error(
      `PINCER_BUNDLE_OPENCLAW=1 but the ${platform}-${arch} build has no usable OpenClaw bundle: ${problem}. Run \`npm run gateway:openclaw -- --bundle --arch ${arch}\` on a ${platform} machine first.`,
    );
  }
}
