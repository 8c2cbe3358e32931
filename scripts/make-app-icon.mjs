// Writes the app icon — the dashboard's logo (src/public/logo.svg: a white pincer on a red
// rounded square) — as resources/icons/icon.png (512×512; macOS and Linux) and icon-256.png
// (256×256; Windows, the largest .ico size). electron-builder derives .icns/.ico from these.
// No image library: shapes are flattened to polygons, sampled 4×4 per pixel (anti-aliased) and
// written as RGBA PNGs with zlib. Run: node scripts/make-app-icon.mjs
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { encodePng } from './png.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const outDir = path.join(root, 'resources', 'icons');

// The logo's artwork in its 32×32 viewBox (same numbers as src/public/logo.svg).
const VIEWBOX = 32;
const CORNER = 8;
const GRADIENT = { from: [0xf2, 0x6a, 0x4f], to: [0xd4, 0x40, 0x2d] }; // top-left → bottom-right
const CLAW_PATHS = [
  'M8.2 22.4C7 14.6 13.2 7.2 24.6 6.6c-4.2 2.6-7.6 6.2-8.7 10.6-2.6.4-5.4 2.3-7.7 5.2z',
  'M9.6 24.2c5.6 1.6 12.4-.6 15.8-8.2-3 2.4-6.4 3.2-8.8 2.6-2.2 1.2-4.6 3.2-7 5.6z',
];
const JOINT = { cx: 8.6, cy: 23.6, r: 2.6 };
/** Margin around the rounded square, as a share of the icon (macOS draws icons inset too). */
const MARGIN = 0.04;
const SAMPLES = 4;
const BEZIER_STEPS = 24;

/** Flattens an SVG path using only M, C/c (with repeats) and z into a polygon. */
function flattenPath(d) {
  const tokens = d.match(/[MCcz]|-?(?:\d+\.?\d*|\.\d+)/g);
  const points = [];
  let command = '';
  let current = [0, 0];
  for (let i = 0; i < tokens.length; ) {
    if (/[MCcz]/.test(tokens[i])) command = tokens[i++];
    if (command === 'z') break;
    const numbers = (count) => tokens.slice(i, (i += count)).map(Number);
    if (command === 'M') {
      current = numbers(2);
      points.push(current);
      continue;
    }
    const [x1, y1, x2, y2, x, y] = numbers(6);
    const [ox, oy] = command === 'c' ? current : [0, 0];
    const c1 = [x1 + ox, y1 + oy];
    const c2 = [x2 + ox, y2 + oy];
    const end = [x + ox, y + oy];
    for (let s = 1; s <= BEZIER_STEPS; s++) {
      const t = s / BEZIER_STEPS;
      const u = 1 - t;
      const at = (k) => u * u * u * current[k] + 3 * u * u * t * c1[k] + 3 * u * t * t * c2[k] + t * t * t * end[k];
      points.push([at(0), at(1)]);
    }
    current = end;
  }
  return points;
}

function circlePolygon({ cx, cy, r }, steps = 96) {
  return Array.from({ length: steps }, (_, i) => [cx + r * Math.cos((2 * Math.PI * i) / steps), cy + r * Math.sin((2 * Math.PI * i) / steps)]);
}

const WHITE_SHAPES = [...CLAW_PATHS.map(flattenPath), circlePolygon(JOINT)];

/** x positions where the polygon's edges cross the horizontal line y, with winding direction. */
function crossings(polygon, y) {
  const result = [];
  for (let i = 0; i < polygon.length; i++) {
    const [ax, ay] = polygon[i];
    const [bx, by] = polygon[(i + 1) % polygon.length];
    if ((ay <= y && by > y) || (by <= y && ay > y)) result.push({ x: ax + ((y - ay) / (by - ay)) * (bx - ax), dir: by > ay ? 1 : -1 });
  }
  return result.sort((a, b) => a.x - b.x);
}

/** Non-zero winding for one shape; the shapes are unioned, so each is tested on its own. */
function insideShape(row, x) {
  let winding = 0;
  for (const crossing of row) {
    if (crossing.x > x) break;
    winding += crossing.dir;
  }
  return winding !== 0;
}

function insideRoundedSquare(x, y) {
  if (x < 0 || y < 0 || x > VIEWBOX || y > VIEWBOX) return false;
  const dx = Math.max(CORNER - x, x - (VIEWBOX - CORNER), 0);
  const dy = Math.max(CORNER - y, y - (VIEWBOX - CORNER), 0);
  return dx * dx + dy * dy <= CORNER * CORNER;
}

function render(size) {
  const pixels = Buffer.alloc(size * size * 4);
  const scale = VIEWBOX / (size * (1 - 2 * MARGIN));
  const offset = size * MARGIN;
  const toView = (p) => (p - offset) * scale;
  for (let py = 0; py < size; py++) {
    const rows = Array.from({ length: SAMPLES }, (_, sy) => {
      const y = toView(py + (sy + 0.5) / SAMPLES);
      return { y, shapes: WHITE_SHAPES.map((shape) => crossings(shape, y)) };
    });
    for (let px = 0; px < size; px++) {
      const sum = [0, 0, 0];
      let covered = 0;
      for (const { y, shapes } of rows) {
        for (let sx = 0; sx < SAMPLES; sx++) {
          const x = toView(px + (sx + 0.5) / SAMPLES);
          if (!insideRoundedSquare(x, y)) continue;
          const t = (x + y) / (2 * VIEWBOX);
          const color = shapes.some((row) => insideShape(row, x)) ? [255, 255, 255] : GRADIENT.from.map((from, i) => from + (GRADIENT.to[i] - from) * t);
          covered++;
          for (let i = 0; i < 3; i++) sum[i] += color[i];
        }
      }
      if (covered === 0) continue;
      const o = (py * size + px) * 4;
      for (let i = 0; i < 3; i++) pixels[o + i] = Math.round(sum[i] / covered);
      pixels[o + 3] = Math.round((255 * covered) / (SAMPLES * SAMPLES));
    }
  }
  return pixels;
}


fs.mkdirSync(outDir, { recursive: true });
for (const [size, name] of [
  [512, 'icon.png'],
  [256, 'icon-256.png'],
]) {
  fs.writeFileSync(path.join(outDir, name), encodePng(size, render(size)));
  console.log(`wrote ${path.relative(root, path.join(outDir, name))} (${size}×${size})`);
}
