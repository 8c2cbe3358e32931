// Writes the tray icons, one per gateway state, as 16×16 and 32×32 (@2x) PNGs into
// resources/icons/. No image library: shapes are sampled 4×4 per pixel (anti-aliased) and written
// as RGBA PNGs with zlib. Run: node scripts/make-tray-icons.mjs
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { encodePng } from './png.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const outDir = path.join(root, 'resources', 'icons');

const WHITE = [255, 255, 255];
/** Each state: colour and shape, in units of the icon's radius (1 = the disc's edge). */
const STATES = {
  running: { color: [34, 163, 85], shape: 'disc' },
  starting: { color: [47, 125, 225], shape: 'ring-dot' },
  restarting: { color: [224, 150, 0], shape: 'disc-dot' },
  stopped: { color: [128, 134, 144], shape: 'ring' },
  error: { color: [217, 58, 58], shape: 'disc-bang' },
};

/** The colour at (x, y) in radius units from the centre, or undefined when transparent. */
function paint(shape, color, x, y) {
  const d = Math.hypot(x, y);
  if (d > 1) return undefined;
  switch (shape) {
    case 'disc':
      return color;
    case 'ring':
      return d >= 0.55 ? color : undefined;
    case 'ring-dot':
      return d >= 0.6 || d <= 0.3 ? color : undefined;
    case 'disc-dot':
      return d <= 0.32 ? WHITE : color;
    case 'disc-bang': {
      const bar = Math.abs(x) <= 0.14 && y >= -0.64 && y <= 0.1;
      const dot = Math.hypot(x, y - 0.46) <= 0.15;
      return bar || dot ? WHITE : color;
    }
    default:
      throw new Error(`unknown shape ${shape}`);
  }
}

function render(size, { color, shape }) {
  const samples = 4;
  const radius = size / 2 - 0.5; // a half-pixel margin keeps the edge inside the canvas
  const pixels = Buffer.alloc(size * size * 4);
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      const sum = [0, 0, 0];
      let covered = 0;
      for (let sy = 0; sy < samples; sy++) {
        for (let sx = 0; sx < samples; sx++) {
          const x = (px + (sx + 0.5) / samples - size / 2) / radius;
          const y = (py + (sy + 0.5) / samples - size / 2) / radius;
          const c = paint(shape, color, x, y);
          if (!c) continue;
          covered++;
          for (let i = 0; i < 3; i++) sum[i] += c[i];
        }
      }
      const o = (py * size + px) * 4;
      if (covered === 0) continue;
      for (let i = 0; i < 3; i++) pixels[o + i] = Math.round(sum[i] / covered);
      pixels[o + 3] = Math.round((255 * covered) / (samples * samples));
    }
  }
  return pixels;
}

fs.mkdirSync(outDir, { recursive: true });
for (const [state, spec] of Object.entries(STATES)) {
  for (const [size, suffix] of [
    [16, ''],
    [32, '@2x'],
  ]) {
    const file = path.join(outDir, `tray-${state}${suffix}.png`);
    fs.writeFileSync(file, encodePng(size, render(size, spec)));
  }
}
console.log(`wrote ${Object.keys(STATES).length * 2} tray icons to ${path.relative(root, outDir)}/`);
