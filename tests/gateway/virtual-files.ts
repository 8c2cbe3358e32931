// A virtual file tree for discovery table tests: files (text), symlinks and folders, in a chosen
// platform's path flavour, behind the same FileProbe the app uses on the real disk.
import path from 'node:path';
import type { FileProbe } from '../../electron/core/gateway/files';

export type Entry = string | { link: string };

export function virtualFiles(platform: NodeJS.Platform, tree: Record<string, Entry>): FileProbe {
  const paths = platform === 'win32' ? path.win32 : path.posix;
  const norm = (file: string) => paths.normalize(file).replace(/[\\/]+$/, '');
  const entries = new Map(Object.entries(tree).map(([file, entry]) => [norm(file), entry]));
  const key = (file: string) => (platform === 'win32' ? file.toLowerCase() : file);
  const byKey = new Map([...entries].map(([file, entry]) => [key(file), entry]));

  const resolve = (file: string, depth = 0): string | undefined => {
    if (depth > 20) return undefined;
    const parts = norm(file).split(paths.sep);
    let current = parts[0] === '' ? paths.sep : parts[0]!;
    for (const part of parts.slice(1)) {
      current = paths.join(current, part);
      const entry = byKey.get(key(current));
      if (entry && typeof entry === 'object') {
        const target = paths.isAbsolute(entry.link) ? entry.link : paths.join(paths.dirname(current), entry.link);
        const resolved = resolve(target, depth + 1);
        if (!resolved) return undefined;
        current = resolved;
      }
    }
    return current;
  };
  const isDir = (dir: string) => {
    const prefix = key(norm(dir)) + paths.sep;
    return [...byKey.keys()].some((file) => file.startsWith(prefix));
  };
  return {
    isFile: (file) => {
      const real = resolve(file);
      return real !== undefined && typeof byKey.get(key(real)) === 'string';
    },
    isDir: (dir) => {
      const real = resolve(dir);
      return real !== undefined && isDir(real);
    },
    realpath: (file) => {
      const real = resolve(file);
      return real !== undefined && (byKey.has(key(real)) || isDir(real)) ? real : undefined;
    },
    read: (file) => {
      const real = resolve(file);
      const entry = real === undefined ? undefined : byKey.get(key(real));
      return typeof entry === 'string' ? entry : undefined;
    },
    list: (dir) => {
      const real = resolve(dir);
      if (real === undefined) return [];
      const prefix = norm(real) + paths.sep;
      const names = new Set<string>();
      for (const file of entries.keys()) if (key(file).startsWith(key(prefix))) names.add(file.slice(prefix.length).split(paths.sep)[0]!);
      return [...names];
    },
  };
}

/** The files of an installed openclaw package at `dir`. */
export function openclawPackage(dir: string, platform: NodeJS.Platform, version = '2026.9.6'): Record<string, Entry> {
  const paths = platform === 'win32' ? path.win32 : path.posix;
  return {
    [paths.join(dir, 'package.json')]: JSON.stringify({ name: 'openclaw', version, engines: { node: '>=24.16.0 <25 || >=26.1.0' } }),
    [paths.join(dir, 'openclaw.mjs')]: '#!/usr/bin/env node\n',
  };
}
