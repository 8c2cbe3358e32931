// Writes the app icon — the dashboard's logo (src/public/logo.svg: a white pincer on a red
// rounded square) — into resources/icons/app/:
//   NxN.png for 16…1024   Linux's icon set (electron-builder reads the sizes from the names) and
//                          the window icon (256x256.png)
//   icon.ico              Windows: 16, 24, 32, 48, 64, 128, 256 px
//   icon.icns             macOS: 32…1024 px (ic11–ic14, ic07–ic10), inset on Apple's icon grid
// Run: node scripts/make-app-icon.mjs
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { clawTester, GRADIENT, insideRoundedSquare, rasterize, VIEWBOX } from './icon-art.mjs';
import { encodeIcns, encodeIco, ICNS_TYPES } from './icon-files.mjs';
import { encodePng } from './png.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const outDir = path.join(root, 'resources', 'icons', 'app');

const PNG_SIZES = [16, 32, 48, 64, 128, 256, 512, 1024];
const ICO_SIZES = [16, 24, 32, 48, 64, 128, 256];
/** Margin around the rounded square, as a share of the icon. macOS: Apple's grid (824 of 1024). */
const MARGIN = { default: 0.04, mac: 0.1 };

function render(size, margin) {
  const inClaw = clawTester();
  const scale = VIEWBOX / (size * (1 - 2 * margin));
  const offset = size * margin;
  return rasterize(size, (px, py) => {
    const [x, y] = [(px - offset) * scale, (py - offset) * scale];
    if (!insideRoundedSquare(x, y)) return undefined;
    if (inClaw(x, y)) return [255, 255, 255];
    const t = (x + y) / (2 * VIEWBOX);
    return GRADIENT.from.map((from, i) => from + (GRADIENT.to[i] - from) * t);
  });
}

const pngs = new Map();
const png = (size, margin = MARGIN.default) => {
  const key = `${size}/${margin}`;
  if (!pngs.has(key)) pngs.set(key, encodePng(size, render(size, margin)));
  return pngs.get(key);
};
const write = (name, data) => {
  fs.writeFileSync(path.join(outDir, name), data);
  console.log(`wrote ${path.relative(root, path.join(outDir, name))} (${data.length} bytes)`);
};

fs.mkdirSync(outDir, { recursive: true });
for (const size of PNG_SIZES) write(`${size}x${size}.png`, png(size));
write('icon.ico', encodeIco(ICO_SIZES.map((size) => ({ size, png: png(size) }))));
write('icon.icns', encodeIcns(Object.entries(ICNS_TYPES).map(([type, size]) => ({ type, png: png(size, MARGIN.mac) }))));
