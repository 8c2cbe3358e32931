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

export const realFiles: FileProbe = {
  isFile: (file) => fs.statSync(file, { throwIfNoEntry: false })?.isFile() ?? false,
  isDir: (dir) => fs.statSync(dir, { throwIfNoEntry: false })?.isDirectory() ?? false,
  realpath: (file) => {
    try {
      return fs.realpathSync(file);
    } catch {
      return undefined;
    }
  },
  read: (file) => {
    try {
      if ((fs.statSync(file).size ?? 0) > MAX_TEXT_BYTES) return undefined;
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
