// The few file-system questions gateway discovery asks, behind one interface so discovery can be
// table-tested for every platform's layout on a virtual tree (and runs on the real one in the app).
import fs from 'node:fs';

export interface FileProbe {
  isFile(file: string): boolean;
  isDir(dir: string): boolean;
  /** The target of symlinks along the path; undefined when it does not exist. */
  realpath(file: string): string | undefined;
  /** Small text files only (shims, package.json, npmrc); undefined when unreadable. */
  read(file: string): string | undefined;
  list(dir: string): string[];
}

const MAX_TEXT_BYTES = 1 << 20;

/** stat that answers undefined for any path that is not there (ENOENT, ENOTDIR, EACCES, …). */
function stat(file: string): fs.Stats | undefined {
  try {
    return fs.statSync(file);
  } catch {
    return undefined;
  }
}

export const realFiles: FileProbe = {
  isFile: (file) => stat(file)?.isFile() ?? false,
  isDir: (dir) => stat(dir)?.isDirectory() ?? false,
  realpath: (file) => {
    try {
      return fs.realpathSync(file);
    } catch {
      return undefined;
    }
  },
  read: (file) => {
    try {
      if (fs.statSync(file).size > MAX_TEXT_BYTES) return undefined;
      return fs.readFileSync(file, 'utf8');
    } catch {
      return undefined;
    }
  },
  list: (dir) => {
    try {
      return fs.readdirSync(dir);
    } catch {
      return [];
    }
  },
};
