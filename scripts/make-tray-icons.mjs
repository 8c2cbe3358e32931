// Writes the tray icons into resources/icons/tray/, one per gateway state and platform: the logo's
// claw with a state badge in the corner (the badge's shape alone tells the state, so the
// monochrome macOS icons need no colour):
//   mac/tray-<state>Template.png (+ @2x)  black + alpha; macOS tints "Template" images itself
//   win/tray-<state>.ico                  16–48 px for every display scaling
//   linux/tray-<state>.png (+ @2x)        24 and 48 px
// Run: node scripts/make-tray-icons.mjs
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { CLAW_BOUNDS, clawTester, rasterize } from './icon-art.mjs';
import { encodeIco } from './icon-files.mjs';
import { encodePng } from './png.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const outDir = path.join(root, 'resources', 'icons', 'tray');

const CLAW_COLOR = [0xe0, 0x55, 0x3e];
const BLACK = [0, 0, 0];
/** Each state: badge colour and shape (shapes in units of the badge's radius). */
const STATES = {
  running: { color: [34, 163, 85], shape: 'disc' },
  starting: { color: [47, 125, 225], shape: 'ring-dot' },
  restarting: { color: [224, 150, 0], shape: 'half-disc' },
  stopped: { color: [128, 134, 144], shape: 'ring' },
  error: { color: [217, 58, 58], shape: 'disc-bang' },
};
/** Badge centre and radius, and the clear gap around it, as shares of the icon's size. */
const BADGE = { cx: 0.72, cy: 0.72, r: 0.28, gap: 0.08 };
/** The claw fills the icon's top-left, up to this share of its size. */
const CLAW_BOX = 0.92;

/**
 * Which part of the badge (x, y) falls on: 'badge' (its colour), 'mark' (white on a coloured badge,
 * a hole in a template), 'clear' (always transparent), or undefined outside the badge.
 */
function badgePart(shape, x, y) {
  const d = Math.hypot(x, y);
  if (d > 1) return undefined;
  switch (shape) {
    case 'disc':
      return 'badge';
    case 'ring':
      return d >= 0.55 ? 'badge' : 'clear';
    case 'ring-dot':
      return d >= 0.62 || d <= 0.3 ? 'badge' : 'clear';
    // A ring half filled: on the way back.
    case 'half-disc':
      return d >= 0.55 || x <= 0 ? 'badge' : 'clear';
    case 'disc-bang': {
      const bar = Math.abs(x) <= 0.16 && y >= -0.62 && y <= 0.12;
      const dot = Math.hypot(x, y - 0.44) <= 0.17;
      return bar || dot ? 'mark' : 'badge';
    }
    default:
      throw new Error(`unknown shape ${shape}`);
  }
}

/** `template`: black shapes with holes (macOS); otherwise the claw and badge in colour, marks white. */
function render(size, { color, shape }, template) {
  const inClaw = clawTester();
  const clawScale = Math.max(CLAW_BOUNDS.x1 - CLAW_BOUNDS.x0, CLAW_BOUNDS.y1 - CLAW_BOUNDS.y0) / (size * CLAW_BOX);
  return rasterize(size, (px, py) => {
    const bx = (px - BADGE.cx * size) / (BADGE.r * size);
    const by = (py - BADGE.cy * size) / (BADGE.r * size);
    const part = badgePart(shape, bx, by);
    if (part === 'badge') return template ? BLACK : color;
    if (part === 'mark') return template ? undefined : [255, 255, 255];
    if (part === 'clear') return undefined;
    if (Math.hypot(bx, by) <= 1 + BADGE.gap / BADGE.r) return undefined;
    return inClaw(CLAW_BOUNDS.x0 + px * clawScale, CLAW_BOUNDS.y0 + py * clawScale) ? (template ? BLACK : CLAW_COLOR) : undefined;
  });
}

const write = (file, data) => {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, data);
};

for (const [state, spec] of Object.entries(STATES)) {
  write(path.join(outDir, 'mac', `tray-${state}Template.png`), encodePng(16, render(16, spec, true)));
  write(path.join(outDir, 'mac', `tray-${state}Template@2x.png`), encodePng(32, render(32, spec, true)));
  write(
    path.join(outDir, 'win', `tray-${state}.ico`),
    encodeIco([16, 20, 24, 32, 40, 48].map((size) => ({ size, png: encodePng(size, render(size, spec, false)) }))),
  );
  write(path.join(outDir, 'linux', `tray-${state}.png`), encodePng(24, render(24, spec, false)));
  write(path.join(outDir, 'linux', `tray-${state}@2x.png`), encodePng(48, render(48, spec, false)));
}
console.log(`wrote ${Object.keys(STATES).length} tray icons per platform to ${path.relative(root, outDir)}/{mac,win,linux}`);
