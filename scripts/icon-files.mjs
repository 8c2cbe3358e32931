// Icon containers, both plain wrappers around PNGs: Windows .ico (PNG entries, Vista and later)
// and macOS .icns (PNG entries ic07–ic14, macOS 10.7 and later).

/** One .ico holding a PNG per size (each ≤ 256; 256 is written as 0 in the directory). */
export function encodeIco(images) {
  const header = Buffer.alloc(6);
  header.writeUInt16LE(0, 0);
  header.writeUInt16LE(1, 2); // 1 = icon
  header.writeUInt16LE(images.length, 4);
  const directory = Buffer.alloc(16 * images.length);
  let offset = header.length + directory.length;
  images.forEach(({ size, png }, i) => {
    if (size > 256) throw new Error(`.ico entries are at most 256 px, got ${size}`);
    const entry = i * 16;
    directory[entry] = size % 256;
    directory[entry + 1] = size % 256;
    directory.writeUInt16LE(1, entry + 4); // colour planes
    directory.writeUInt16LE(32, entry + 6); // bits per pixel
    directory.writeUInt32LE(png.length, entry + 8);
    directory.writeUInt32LE(offset, entry + 12);
    offset += png.length;
  });
  return Buffer.concat([header, directory, ...images.map(({ png }) => png)]);
}

/** The PNG icns types and their pixel sizes (ic11–ic14 are the @2x variants). */
export const ICNS_TYPES = { ic11: 32, ic12: 64, ic07: 128, ic13: 256, ic08: 256, ic14: 512, ic09: 512, ic10: 1024 };

/** One .icns: 'icns' + total length, then per entry its type, length (with its 8-byte header) and PNG. */
export function encodeIcns(entries) {
  const chunks = entries.map(({ type, png }) => {
    if (!(type in ICNS_TYPES)) throw new Error(`not a PNG icns type: ${type}`);
    const head = Buffer.alloc(8);
    head.write(type, 0, 'ascii');
    head.writeUInt32BE(png.length + 8, 4);
    return Buffer.concat([head, png]);
  });
  const head = Buffer.alloc(8);
  head.write('icns', 0, 'ascii');
  head.writeUInt32BE(8 + chunks.reduce((sum, chunk) => sum + chunk.length, 0), 4);
  return Buffer.concat([head, ...chunks]);
}
