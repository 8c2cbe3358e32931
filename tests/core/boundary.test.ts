// The core's one architectural rule is enforced by the linter (eslint.config.js), not just stated:
// a module under electron/core that imports electron fails `npm run lint`.
import path from 'node:path';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '../..');
const eslint = new ESLint({ cwd: root });

async function restrictedImports(file: string, source: string): Promise<string[]> {
  const [result] = await eslint.lintText(source, { filePath: path.join(root, file) });
  return result!.messages.filter((message) => message.ruleId === 'no-restricted-imports').map((message) => message.message);
}

describe('electron/core never imports electron (lint rule)', () => {
  it.each([
    ["import { app } from 'electron';", 'electron'],
    ["import Store from 'electron-store';", 'electron-store'],
    ["import { autoUpdater } from 'electron-updater';", 'electron-updater'],
    ["import log from 'electron-log/main';", 'electron-log/main'],
  ])('refuses %s in electron/core', async (source) => {
    expect(await restrictedImports('electron/core/some-module.ts', `${source}\nexport const x = 1;\n`)).toHaveLength(1);
  });

  it('allows the shell to import electron, and the core to import electron-log/node', async () => {
    expect(await restrictedImports('electron/window-x.ts', "import { app } from 'electron';\nexport const x = app;\n")).toEqual([]);
    expect(await restrictedImports('electron/core/x.ts', "import log from 'electron-log/node';\nexport const x = log;\n")).toEqual([]);
  });
});
