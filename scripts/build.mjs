// Builds everything the app and the headless twin run, into dist/:
//   headless.cjs (npm run serve), pincer.cjs (the CLI), gateway/reference-gateway.cjs, renderer/ (the dashboard),
//   main.cjs + preload.cjs (Electron shell).
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build as esbuild } from 'esbuild';
import { build as viteBuild } from 'vite';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dist = path.join(root, 'dist');

const node = {
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  sourcemap: 'linked',
  logLevel: 'warning',
  // ws treats these native accelerators as optional.
  external: ['bufferutil', 'utf-8-validate'],
};

export const ENTRIES = [
  { entry: 'electron/headless/cli.ts', out: 'headless.cjs' },
  // The pincer CLI (package.json bin): commands for the running app.
  { entry: 'electron/cli/pincer.ts', out: 'pincer.cjs' },
  { entry: 'resources/gateway/src/main.ts', out: 'gateway/reference-gateway.cjs' },
  { entry: 'electron/main.ts', out: 'main.cjs', external: ['electron'] },
  // A sandboxed preload must be one CommonJS file that requires only `electron`.
  { entry: 'electron/preload.ts', out: 'preload.cjs', external: ['electron'], sourcemap: false },
];

export async function buildAll({ renderer = true, quiet = false } = {}) {
  const started = Date.now();
  await Promise.all(
    ENTRIES.map(({ entry, out, external = [], sourcemap }) =>
      esbuild({
        ...node,
        entryPoints: [path.join(root, entry)],
        outfile: path.join(dist, out),
        external: [...node.external, ...external],
        ...(sourcemap === false ? { sourcemap: false } : {}),
      }),
    ),
  );
  if (renderer) {
    await viteBuild({
      root: path.join(root, 'src'),
      base: './',
      logLevel: quiet ? 'error' : 'warn',
      build: { outDir: path.join(dist, 'renderer'), emptyOutDir: true },
    });
  }
  if (!quiet) console.log(`built dist/ in ${Date.now() - started} ms`);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await buildAll();
}
