// Checks for a bundle prepared for another architecture than this machine's, where nothing in it
// can be run: the Node binary's own header names its CPU, and every platform-specific package npm
// installed (those with `os`/`cpu` fields: node-pty, koffi, sqlite-vec, … prebuilds) must be the
// target's. Pure reads of files.
import fs from 'node:fs';
import path from 'node:path';

/** The platform whose executable format the header is (ELF, Mach-O, PE), or undefined. */
export function binaryPlatform(header: Buffer): 'linux' | 'darwin' | 'win32' | undefined {
  if (header.length >= 4 && header.readUInt32BE(0) === 0x7f454c46) return 'linux';
  if (header.length >= 4 && header.readUInt32LE(0) === 0xfeedfacf) return 'darwin';
  if (header.length >= 2 && header.toString('ascii', 0, 2) === 'MZ') return 'win32';
  return undefined;
}

/** The CPU an executable was built for, from its header (ELF, Mach-O 64, PE), or undefined. */
export function binaryArch(header: Buffer): 'x64' | 'arm64' | undefined {
  if (header.length >= 20 && header.readUInt32BE(0) === 0x7f454c46) {
    // ELF: e_machine at 18, in the file's byte order (EI_DATA 1 = little endian).
    const machine = header[5] === 1 ? header.readUInt16LE(18) : header.readUInt16BE(18);
    return machine === 0x3e ? 'x64' : machine === 0xb7 ? 'arm64' : undefined;
  }
  if (header.length >= 8 && header.readUInt32LE(0) === 0xfeedfacf) {
    const cpu = header.readUInt32LE(4);
    return cpu === 0x01000007 ? 'x64' : cpu === 0x0100000c ? 'arm64' : undefined;
  }
  if (header.length >= 0x40 && header.toString('ascii', 0, 2) === 'MZ') {
    const pe = header.readUInt32LE(0x3c);
    if (header.length < pe + 6 || header.toString('binary', pe, pe + 4) !== 'PE\0\0') return undefined;
    const machine = header.readUInt16LE(pe + 4);
    return machine === 0x8664 ? 'x64' : machine === 0xaa64 ? 'arm64' : undefined;
  }
  return undefined;
}

function readHeader(file: string): Buffer {
  const fd = fs.openSync(file, 'r');
  try {
    const header = Buffer.alloc(4096);
    return header.subarray(0, fs.readSync(fd, header, 0, header.length, 0));
  } finally {
    fs.closeSync(fd);
  }
}

export function fileArch(file: string): 'x64' | 'arm64' | undefined {
  return binaryArch(readHeader(file));
}

/**
 * Native addons (*.node) built for the target's platform but another CPU — e.g. one an install
 * script compiled for this machine. Prebuilds for other platforms (a darwin-x64 folder in a Linux
 * bundle) are left out: their loaders never pick them on the target.
 */
export function foreignAddons(dest: string, target: { platform: string; arch: string }): string[] {
  const root = path.join(dest, 'node_modules');
  return fs
    .readdirSync(root, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.node'))
    .map((entry) => path.join(entry.parentPath, entry.name))
    .filter((file) => {
      const header = readHeader(file);
      return binaryPlatform(header) === target.platform && binaryArch(header) !== target.arch;
    })
    .map((file) => path.relative(dest, file));
}

export interface PlatformPackage {
  name: string;
  os?: string[];
  cpu?: string[];
}

/** Every installed package (at any depth) that declares the platforms it runs on. */
export function platformPackages(dest: string): PlatformPackage[] {
  const found: PlatformPackage[] = [];
  for (const entry of fs.readdirSync(path.join(dest, 'node_modules'), { recursive: true, withFileTypes: true })) {
    if (entry.name !== 'package.json' || !entry.isFile()) continue;
    const dir = entry.parentPath;
    // Only a package's own package.json: the one directly in node_modules/<name> or node_modules/@scope/<name>.
    const parent = path.basename(path.dirname(dir));
    const grandparent = path.basename(path.dirname(path.dirname(dir)));
    if (parent !== 'node_modules' && !(parent.startsWith('@') && grandparent === 'node_modules')) continue;
    let pkg: { name?: unknown; os?: unknown; cpu?: unknown };
    try {
      pkg = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')) as typeof pkg;
    } catch {
      continue;
    }
    const list = (value: unknown) => (typeof value === 'string' ? [value] : Array.isArray(value) ? value.map(String) : undefined);
    if (typeof pkg.name === 'string' && (pkg.os !== undefined || pkg.cpu !== undefined))
      found.push({ name: pkg.name, os: list(pkg.os), cpu: list(pkg.cpu) });
  }
  return found;
}

/** npm's own rule: a list allows a value when it names it, or names others only as negations ("!x"). */
function allows(list: string[] | undefined, value: string): boolean {
  if (!list || list.length === 0) return true;
  if (list.includes(`!${value}`)) return false;
  const positive = list.filter((item) => !item.startsWith('!'));
  return positive.length === 0 || positive.includes(value);
}

/** The installed packages that would not run on the target. */
export function foreignPackages(packages: readonly PlatformPackage[], target: { platform: string; arch: string }): PlatformPackage[] {
  return packages.filter((pkg) => !allows(pkg.os, target.platform) || !allows(pkg.cpu, target.arch));
}
