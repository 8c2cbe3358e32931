// From an `openclaw` executable to the package it runs: a symlink to openclaw.mjs (npm on Unix),
// npm's Windows shims (openclaw.cmd / .ps1 / sh), pnpm's shims and the official installer's
// wrapper script all name the package's openclaw.mjs in their text. Pure over a FileProbe.
import path from 'node:path';
import type { FileProbe } from './files';

export interface Platform {
  platform: NodeJS.Platform;
  files: FileProbe;
}

export function pathsFor(platform: NodeJS.Platform): path.PlatformPath {
  return platform === 'win32' ? path.win32 : path.posix;
}

/** A folder holding an installed `openclaw` package (package.json named openclaw + openclaw.mjs). */
export function isOpenClawPackage(dir: string, { platform, files }: Platform): boolean {
  const { join } = pathsFor(platform);
  if (!files.isFile(join(dir, 'openclaw.mjs'))) return false;
  try {
    return (JSON.parse(files.read(join(dir, 'package.json')) ?? '{}') as { name?: unknown }).name === 'openclaw';
  } catch {
    return false;
  }
}

const ENTRY_IN_TEXT = /"([^"\r\n]*?openclaw[\\/]openclaw\.mjs)"|'([^'\r\n]*?openclaw[\\/]openclaw\.mjs)'|([^\s"'`]*openclaw[\\/]openclaw\.mjs)/;
const NODE_IN_TEXT = /"([^"\r\n]*?[\\/]node(?:\.exe)?)"/g;
/** The shim's own folder, as each shim dialect spells it. */
const SHIM_DIR = /%~dp0\\?|%dp0%\\?|\$\{basedir\}\/?|\$basedir\/?|\$PSScriptRoot[\\/]?/g;

function expand(text: string, shimDir: string, paths: path.PlatformPath): string {
  const replaced = text.replace(SHIM_DIR, `${shimDir}${paths.sep}`);
  return paths.normalize(paths.isAbsolute(replaced) ? replaced : paths.join(shimDir, replaced));
}

export interface ExecutableTarget {
  packageDir: string;
  /** The Node the shim runs it with, when the shim names one that exists. */
  node?: string;
}

/** The package an `openclaw` executable runs, or undefined when it leads to no openclaw package. */
export function packageFromExecutable(file: string, where: Platform): ExecutableTarget | undefined {
  const paths = pathsFor(where.platform);
  const real = where.files.realpath(file);
  if (!real) return undefined;
  if (paths.basename(real) === 'openclaw.mjs') {
    const dir = paths.dirname(real);
    return isOpenClawPackage(dir, where) ? { packageDir: dir } : undefined;
  }
  const text = where.files.read(real);
  if (!text) return undefined;
  const entry = ENTRY_IN_TEXT.exec(text);
  const named = entry?.[1] ?? entry?.[2] ?? entry?.[3];
  if (!named) return undefined;
  const shimDir = paths.dirname(real);
  const entryFile = where.files.realpath(expand(named, shimDir, paths));
  if (!entryFile) return undefined;
  const packageDir = paths.dirname(entryFile);
  if (!isOpenClawPackage(packageDir, where)) return undefined;
  for (const match of text.matchAll(NODE_IN_TEXT)) {
    const node = expand(match[1]!, shimDir, paths);
    if (where.files.isFile(node)) return { packageDir, node };
  }
  return { packageDir };
}

/** The first `name` on PATH (Windows: with each PATHEXT extension), not resolved through links. */
export function findOnPath(name: string, env: Readonly<Record<string, string | undefined>>, where: Platform): string | undefined {
  const paths = pathsFor(where.platform);
  const pathVar = where.platform === 'win32' ? (env.Path ?? env.PATH ?? env.path) : env.PATH;
  const extensions =
    where.platform === 'win32'
      ? (env.PATHEXT ?? '.COM;.EXE;.BAT;.CMD')
          .split(';')
          .filter(Boolean)
          .map((ext) => ext.toLowerCase())
      : [''];
  for (const dir of (pathVar ?? '').split(paths.delimiter)) {
    if (!dir || !paths.isAbsolute(dir)) continue;
    for (const ext of extensions) {
      const candidate = paths.join(dir, `${name}${ext}`);
      if (where.files.isFile(candidate)) return candidate;
    }
  }
  return undefined;
}
