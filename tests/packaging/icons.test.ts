// The committed icons (drawn by scripts/make-app-icon.mjs and make-tray-icons.mjs) are what
// electron-builder and the tray need: decoded here, not trusted.
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { iconFile, TRAY_ICON_STATES, windowIconFile } from '../../electron/tray-model';

const ICONS = path.resolve(__dirname, '../../resources/icons');

/** A decoded 8-bit RGBA PNG as our encoder writes it (filter 0 rows). */
function decodePng(png: Buffer): { size: number; rgba: Buffer } {
  expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  const [width, height] = [png.readUInt32BE(16), png.readUInt32BE(20)];
  expect([width, png[24], png[25]]).toEqual([height, 8, 6]);
  const chunks: Buffer[] = [];
  for (let at = 8; at < png.length;) {
    const length = png.readUInt32BE(at);
    if (png.toString('ascii', at + 4, at + 8) === 'IDAT') chunks.push(png.subarray(at + 8, at + 8 + length));
    at += 12 + length;
  }
  const rows = zlib.inflateSync(Buffer.concat(chunks));
  const rgba = Buffer.alloc(width * height * 4);
  for (let y = 0; y < height; y++) rows.copy(rgba, y * width * 4, y * (width * 4 + 1) + 1, (y + 1) * (width * 4 + 1));
  return { size: width, rgba };
}

/** The PNG entries of an .ico, with the size its directory claims (0 = 256). */
function icoEntries(ico: Buffer): Array<{ claimed: number; png: Buffer }> {
  expect([ico.readUInt16LE(0), ico.readUInt16LE(2)]).toEqual([0, 1]);
  return Array.from({ length: ico.readUInt16LE(4) }, (_, i) => {
    const entry = 6 + i * 16;
    const [size, offset] = [ico.readUInt32LE(entry + 8), ico.readUInt32LE(entry + 12)];
    expect(ico.readUInt16LE(entry + 6)).toBe(32);
    return { claimed: ico[entry] || 256, png: ico.subarray(offset, offset + size) };
  });
}

function icnsEntries(icns: Buffer): Array<{ type: string; png: Buffer }> {
  expect([icns.toString('ascii', 0, 4), icns.readUInt32BE(4)]).toEqual(['icns', icns.length]);
  const entries = [];
  for (let at = 8; at < icns.length;) {
    const length = icns.readUInt32BE(at + 4);
    entries.push({ type: icns.toString('ascii', at, at + 4), png: icns.subarray(at + 8, at + length) });
    at += length;
  }
  return entries;
}

const opaqueShare = (rgba: Buffer) => {
  let opaque = 0;
  for (let i = 3; i < rgba.length; i += 4) if (rgba[i]! > 128) opaque++;
  return opaque / (rgba.length / 4);
};

describe('app icon', () => {
  it('has PNGs from 16 to 1024 px named by size (the Linux icon set), mostly opaque with transparent corners', () => {
    for (const size of [16, 32, 48, 64, 128, 256, 512, 1024]) {
      const { size: actual, rgba } = decodePng(fs.readFileSync(path.join(ICONS, 'app', `${size}x${size}.png`)));
      expect(actual).toBe(size);
      expect(rgba[3]).toBe(0); // a rounded square: the corner pixel is transparent
      expect(opaqueShare(rgba)).toBeGreaterThan(0.7);
    }
    expect(windowIconFile(ICONS)).toBe(path.join(ICONS, 'app', '256x256.png'));
  });

  it('has a Windows .ico of PNGs from 16 to 256 px whose directory matches them', () => {
    const entries = icoEntries(fs.readFileSync(path.join(ICONS, 'app', 'icon.ico')));
    expect(entries.map((entry) => entry.claimed)).toEqual([16, 24, 32, 48, 64, 128, 256]);
    for (const entry of entries) expect(decodePng(entry.png).size).toBe(entry.claimed);
  });

  it("has a macOS .icns with PNG entries up to 1024 px (ic10), each of its type's size", () => {
    const sizes: Record<string, number> = { ic11: 32, ic12: 64, ic07: 128, ic13: 256, ic08: 256, ic14: 512, ic09: 512, ic10: 1024 };
    const entries = icnsEntries(fs.readFileSync(path.join(ICONS, 'app', 'icon.icns')));
    expect(entries.map((entry) => entry.type).sort()).toEqual(Object.keys(sizes).sort());
    for (const entry of entries) expect(decodePng(entry.png).size).toBe(sizes[entry.type]);
  });
});

describe('tray icons', () => {
  const pixels = (platform: NodeJS.Platform, state: (typeof TRAY_ICON_STATES)[number], suffix = '') =>
    decodePng(fs.readFileSync(iconFile(ICONS, state, platform).replace(/\.png$/, `${suffix}.png`)));

  it('macOS: monochrome Template images (black + alpha) at 16 and 32 px, one per state, all different', () => {
    const seen = new Set<string>();
    for (const state of TRAY_ICON_STATES) {
      for (const [suffix, size] of [
        ['', 16],
        ['@2x', 32],
      ] as const) {
        const { size: actual, rgba } = pixels('darwin', state, suffix);
        expect(actual).toBe(size);
        for (let i = 0; i < rgba.length; i += 4) expect(rgba[i]! + rgba[i + 1]! + rgba[i + 2]!).toBe(0);
        if (suffix === '') seen.add(rgba.toString('hex'));
      }
    }
    expect(seen.size).toBe(TRAY_ICON_STATES.length);
  });

  it('Windows: an .ico per state with 16–48 px; Linux: a PNG per state at 24 px and @2x 48 px; all different', () => {
    const seen = new Set<string>();
    for (const state of TRAY_ICON_STATES) {
      const entries = icoEntries(fs.readFileSync(iconFile(ICONS, state, 'win32')));
      expect(entries.map((entry) => [entry.claimed, decodePng(entry.png).size])).toEqual([16, 20, 24, 32, 40, 48].map((size) => [size, size]));
      expect(pixels('linux', state).size).toBe(24);
      expect(pixels('linux', state, '@2x').size).toBe(48);
      seen.add(pixels('linux', state).rgba.toString('hex'));
    }
    expect(seen.size).toBe(TRAY_ICON_STATES.length);
  });
});
