// kill -9 in the middle of settings writes never leaves a torn or empty settings file — through
// the real store (conf, the engine under electron-store, writing with atomically).
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openConfStore } from '../../electron/core/settings/conf-store';
import { loadSettings, SETTINGS_FILE } from '../../electron/core/settings/store';
import { waitFor } from '../helpers/wait';

const ROOT = path.resolve(__dirname, '../..');

describe('settings file under kill -9', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('30 writers killed mid-write: the file always parses as valid settings, no defaults fallback', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pincer-kill-'));
    const tools = fs.mkdtempSync(path.join(os.tmpdir(), 'pincer-kill-tools-'));
    dirs.push(dir, tools);
    const bundle = path.join(tools, 'settings-writer.cjs');
    // A writer that saves a large settings object as fast as it can, forever.
    const writer = `
      const { loadSettings, saveSettings, openConfStore, DEFAULT_SETTINGS } = require(${JSON.stringify(bundle)});
      const { store } = loadSettings(process.argv[1], openConfStore);
      let i = 0; process.stdout.write('go\\n');
      for (;;) saveSettings(store, { ...DEFAULT_SETTINGS, gatewayPort: 1024 + (i++ % 60000), gatewayEnv: { BIG: 'x'.repeat(6000) } });
    `;
    const { build } = await import('esbuild');
    await build({
      stdin: {
        contents:
          "export { loadSettings, saveSettings } from './electron/core/settings/store'; export { openConfStore } from './electron/core/settings/conf-store'; export { DEFAULT_SETTINGS } from './electron/core/settings/schema';",
        resolveDir: ROOT,
        loader: 'ts',
      },
      bundle: true,
      platform: 'node',
      format: 'cjs',
      outfile: bundle,
      logLevel: 'error',
    });
    for (let round = 0; round < 30; round++) {
      const child = spawn(process.execPath, ['-e', writer, dir], { stdio: ['ignore', 'pipe', 'inherit'] });
      let started = false;
      child.stdout!.on('data', () => (started = true));
      await waitFor(() => started, { what: 'the writer to start' });
      // Let it get into the write loop for a varying moment, then kill it without warning.
      await waitFor(() => fs.existsSync(path.join(dir, SETTINGS_FILE)) || undefined, { what: 'a first write' });
      await new Promise((resolve) => setTimeout(resolve, 3 + (round % 7) * 4));
      child.kill('SIGKILL');
      await new Promise((resolve) => child.once('exit', resolve));
      const loaded = loadSettings(dir, openConfStore);
      expect(loaded.problem).toBeUndefined();
      expect(loaded.settings.gatewayEnv.BIG).toHaveLength(6000);
    }
    // Loading also sweeps the temp files the killed writers left.
    expect(fs.readdirSync(dir)).toEqual([SETTINGS_FILE]);
  });
});
