// The dashboard's CSP in a real Chromium: the built dashboard, with an inline script, a plugin
// object and a <base> slipped into its index.html, is served by the desktop app's own pincer://
// handler (electron/app-protocol.ts; Chromium reaches it through a routed http origin, as it
// cannot name Electron's custom scheme) and, separately, opened as a plain file (only the <meta>
// policy applies there). Both must block the injected parts; the dashboard's own script must run.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAppProtocolHandler } from '../../electron/app-protocol';
import { buildAll } from '../helpers/build';
import { waitFor } from '../helpers/wait';
import { launchBrowser, watchContext } from './browser';

const REPO = path.resolve(__dirname, '../..');
const INJECTED = [
  '<base href="https://evil.example/">',
  '<script>window.__inlineRan = true;</script>',
  '<object data="data:text/html,plugin" type="text/html"></object>',
].join('');

let browser: Browser;
let rendererDir: string;

beforeAll(async () => {
  await buildAll();
  rendererDir = fs.mkdtempSync(path.join(os.tmpdir(), 'pincer-csp-'));
  fs.cpSync(path.join(REPO, 'dist', 'renderer'), rendererDir, { recursive: true });
  const index = path.join(rendererDir, 'index.html');
  fs.writeFileSync(index, fs.readFileSync(index, 'utf8').replace('</head>', `${INJECTED}</head>`));
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  fs.rmSync(rendererDir, { recursive: true, force: true });
});

describe('dashboard CSP in Chromium', () => {
  it('served by the pincer:// handler (header + meta): the inline script, plugin and <base> are blocked; the dashboard runs', async () => {
    const context = await browser.newContext();
    const watch = await watchContext(context);
    const handler = createAppProtocolHandler(rendererDir);
    const served: Array<{ url: string; csp: string | null }> = [];
    await context.route('http://pincer.test/**', async (route) => {
      const url = new URL(route.request().url());
      const response = await handler(new Request(`pincer://app${url.pathname}`));
      served.push({ url: url.pathname, csp: response.headers.get('content-security-policy') });
      await route.fulfill({
        status: response.status,
        headers: Object.fromEntries(response.headers),
        body: Buffer.from(await response.arrayBuffer()),
      });
    });
    await context.route(
      (url) => !url.href.startsWith('http://pincer.test/'),
      (route) => route.abort(),
    );
    const page = await context.newPage();
    await page.goto('http://pincer.test/index.html');
    // The dashboard's own module script ran (no bridge here: it shows its sign-in screen).
    await waitFor(async () => ((await page.locator('#app').innerHTML()).length > 0 ? true : undefined), { what: 'the dashboard to render' });
    expect(await page.evaluate(() => (window as unknown as { __inlineRan?: boolean }).__inlineRan)).toBeUndefined();
    await waitFor(() => (watch.problems.some((problem) => problem.kind === 'csp' && /script-src/.test(problem.text)) ? true : undefined), {
      what: 'the inline script violation',
    });
    expect(watch.problems.filter((problem) => problem.kind === 'csp').map((problem) => problem.text.split(' ')[0])).toEqual(
      expect.arrayContaining(['script-src-elem', 'object-src', 'base-uri']),
    );
    expect(served.find((entry) => entry.url === '/index.html')?.csp).toContain("base-uri 'none'");
    expect(watch.requestUrls.some((url) => url.startsWith('https://evil.example'))).toBe(false);
    await context.close();
  });

  it('opened as a file (the <meta> policy alone): the inline script is still blocked', async () => {
    const context = await browser.newContext();
    const watch = await watchContext(context);
    const page = await context.newPage();
    await page.goto(pathToFileURL(path.join(rendererDir, 'index.html')).href);
    await waitFor(() => (watch.problems.some((problem) => problem.kind === 'csp' && /script-src/.test(problem.text)) ? true : undefined), {
      what: 'the inline script violation',
    });
    expect(await page.evaluate(() => (window as unknown as { __inlineRan?: boolean }).__inlineRan)).toBeUndefined();
    await context.close();
  });
});
