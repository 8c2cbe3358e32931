// The shell's pure logic, table-tested: tray model, IPC guard, log batching, quit flow, crash
// guard, layout, launcher choice, window config, and the shared control enablement.
import { EventEmitter } from 'node:events';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { createTranslator } from '../../electron/core/i18n';
import type { GatewayState, GatewayStatus } from '../../electron/core/status';
import { describeCrash, installCrashGuard } from '../../electron/core/crash-guard';
import { argsProblem, isPlainObject, MAX_PATCH_BYTES } from '../../electron/core/api-args';
import { senderProblem } from '../../electron/ipc-guard';
import { needsChildProcess } from '../../electron/launchers/choose';
import { APP_PAGE_URL, appFileFor, createAppProtocolHandler } from '../../electron/app-protocol';
import { CONTENT_SECURITY_POLICY, META_CONTENT_SECURITY_POLICY } from '../../electron/core/csp';
import { appLayout } from '../../electron/layout';
import { createLogBatcher } from '../../electron/log-batcher';
import { createQuitFlow } from '../../electron/quit-flow';
import { actionFailedTitle, formatUptime, iconFile, statusLine, trayModel, trayTooltip, type TrayItem } from '../../electron/tray-model';
import { webPreferences } from '../../electron/window-config';
import { status as fullStatus } from '../dashboard/fixtures';
import { waitFor } from '../helpers/wait';

const ICONS_DIR = path.resolve(__dirname, '../../resources/icons');

const status = (state: GatewayState, over: Partial<GatewayStatus> = {}): GatewayStatus => fullStatus({ state, port: 18790, at: 0, ...over });

const enabledActions = (items: TrayItem[]) =>
  items.flatMap((item) => (item.kind === 'action' && item.enabled ? [item.action] : [])).filter((a) => ['start', 'stop', 'restart'].includes(a));

describe('tray model', () => {
  it.each<[string, GatewayStatus, string, string[]]>([
    ['running', status('running', { pid: 42, startedAt: 0 }), 'running', ['stop', 'restart']],
    ['starting', status('starting', { phase: 'spawning' }), 'starting', ['stop']],
    ['restarting', status('restarting'), 'restarting', ['stop']],
    ['reconnecting (process alive)', status('reconnecting', { pid: 42 }), 'restarting', ['stop', 'restart']],
    ['stopping', status('stopping'), 'stopped', []],
    ['stopped', status('stopped'), 'stopped', ['start']],
    ['error without a process', status('error', { error: { code: 'PORT_IN_USE', message: 'x', hint: 'y' } }), 'error', ['start']],
    [
      'error with a process',
      status('error', { pid: 42, error: { code: 'AUTH_FAILED', message: 'x', hint: 'y' } }),
      'error',
      ['start', 'stop', 'restart'],
    ],
    ['running but attached (not ours)', status('running', { pid: 42, attached: true }), 'running', ['stop']],
  ])('%s → icon %s, enabled %j', (_name, input, icon, enabled) => {
    const model = trayModel(input, 10_000);
    expect(model.icon).toBe(icon);
    expect(enabledActions(model.items)).toEqual(enabled);
  });

  it('always offers the status line first and every action, so Linux (no icon clicks) can do everything', () => {
    const model = trayModel(status('running', { pid: 7 }), 0);
    expect(model.items[0]).toEqual({ kind: 'status', label: 'Gateway running · port 18790 · pid 7' });
    const labels = model.items.flatMap((item) => (item.kind === 'action' ? [item.label] : []));
    expect(labels).toEqual([
      'Open Dashboard',
      'Open Control UI',
      'Start Gateway',
      'Stop Gateway',
      'Restart Gateway',
      'Open Logs Folder',
      'Export Diagnostics…',
      'Quit Pincer',
    ]);
    const alwaysOn = model.items.filter((item) => item.kind === 'action' && !['start', 'stop', 'restart', 'open-control-ui'].includes(item.action));
    expect(alwaysOn.every((item) => item.kind === 'action' && item.enabled)).toBe(true);
  });

  it.each([
    ['openclaw', 'running', true],
    ['openclaw', 'starting', false],
    ['reference', 'running', false],
  ] as const)('Open Control UI for a %s gateway that is %s: enabled=%s', (kind, state, enabled) => {
    const model = trayModel({ ...status(state), gateway: { kind } }, 0);
    expect(model.items.find((item) => item.kind === 'action' && item.action === 'open-control-ui')).toMatchObject({ enabled });
  });

  it.each<[NodeJS.Platform, string]>([
    ['darwin', 'tray/mac/tray-errorTemplate.png'],
    ['win32', 'tray/win/tray-error.ico'],
    ['linux', 'tray/linux/tray-error.png'],
    ['freebsd', 'tray/linux/tray-error.png'],
  ])('the tray icon on %s is %s', (platform, file) => {
    expect(iconFile(ICONS_DIR, 'error', platform)).toBe(path.join(ICONS_DIR, file));
  });

  it.each([
    [0, '0 s'],
    [59_999, '59 s'],
    [60_000, '1 min'],
    [3_599_000, '59 min'],
    [3_600_000 + 3 * 60_000, '1 h 3 min'],
    [3 * 86_400_000 + 4 * 3_600_000, '3 d 4 h'],
    [-5, '0 s'],
  ])('formats uptime %i ms as %s', (ms, text) => {
    expect(formatUptime(ms)).toBe(text);
  });

  it('puts state, port and uptime in the tooltip, and the error code in the status line', () => {
    expect(trayTooltip(status('running', { pid: 1, startedAt: 1_000 }), 1_000 + 125_000)).toBe(
      'Pincer — Gateway running · port 18790 · pid 1\nup 2 min',
    );
    expect(trayTooltip(status('stopped'), 5)).toBe('Pincer — Gateway stopped · port 18790');
    const zh = { t: createTranslator('zh-CN') };
    expect(trayTooltip(status('running', { pid: 1, startedAt: 1_000 }), 1_000 + 3_725_000, zh)).toBe(
      'Pincer — 网关运行中 · 端口 18790 · pid 1\n已运行 1 小时 2 分钟',
    );
    expect(statusLine(status('error', { error: { code: 'CRASH_LOOP', message: '', hint: '' } }))).toBe('Gateway error · port 18790 · CRASH_LOOP');
  });

  it('names a failed menu action by its label, in the menu’s language', () => {
    expect(actionFailedTitle('open-control-ui')).toBe('Open Control UI failed');
    expect(actionFailedTitle('export-diagnostics')).toBe('Export Diagnostics failed');
    expect(actionFailedTitle('open-control-ui', createTranslator('zh-CN'))).toBe('打开 Control UI失败');
  });
});

describe('IPC guard', () => {
  const page = 'file:///opt/Pincer/resources/app.asar/dist/renderer/index.html';
  it.each<[string, Parameters<typeof senderProblem>[0], string | undefined]>([
    ['our page', { isOurWebContents: true, isMainFrame: true, frameUrl: page }, undefined],
    ['our page with a fragment', { isOurWebContents: true, isMainFrame: true, frameUrl: `${page}#/settings` }, undefined],
    ['another webContents', { isOurWebContents: false, isMainFrame: true, frameUrl: page }, 'the sender is not the Pincer window'],
    ['an iframe in our window', { isOurWebContents: true, isMainFrame: false, frameUrl: page }, 'the sender is a sub-frame'],
    ['a frame that is gone', { isOurWebContents: true, isMainFrame: true, frameUrl: undefined }, 'the sending frame is gone'],
    [
      'a foreign page in our window',
      { isOurWebContents: true, isMainFrame: true, frameUrl: 'https://evil.example/' },
      'the sender page "https://evil.example/" is not the Pincer dashboard',
    ],
    [
      'another local file',
      { isOurWebContents: true, isMainFrame: true, frameUrl: 'file:///tmp/index.html' },
      'the sender page "file:///tmp/index.html" is not the Pincer dashboard',
    ],
  ])('%s', (_name, facts, problem) => {
    expect(senderProblem(facts, page)).toBe(problem);
  });

  it.each<[string, Parameters<typeof argsProblem>, string | undefined]>([
    ['no-arg call', ['getStatus', []], undefined],
    ['no-arg call with an argument', ['restart', [{ force: true }]], 'restart takes no arguments'],
    ['a plain patch', ['updateSettings', [{ gatewayPort: 20000 }]], undefined],
    ['no patch', ['updateSettings', []], 'updateSettings takes exactly one argument: the settings patch'],
    ['a string patch', ['updateSettings', ['{"gatewayPort":1}']], 'the settings patch must be a plain object of setting: value'],
    ['an array patch', ['updateSettings', [[1, 2]]], 'the settings patch must be a plain object of setting: value'],
    ['a Map patch', ['updateSettings', [new Map([['gatewayPort', 1]])]], 'the settings patch must be a plain object of setting: value'],
    ['null', ['updateSettings', [null]], 'the settings patch must be a plain object of setting: value'],
    [
      'a huge patch',
      ['updateSettings', [{ openclawPath: 'x'.repeat(MAX_PATCH_BYTES) }]],
      `the settings patch is larger than ${MAX_PATCH_BYTES} bytes`,
    ],
  ])('%s', (_name, [method, args], problem) => {
    expect(argsProblem(method, args)).toBe(problem);
  });

  it('treats only object literals (and null-prototype objects) as plain', () => {
    expect(isPlainObject({})).toBe(true);
    expect(isPlainObject(Object.create(null))).toBe(true);
    expect(isPlainObject(new Date())).toBe(false);
    expect(isPlainObject([])).toBe(false);
  });
});

describe('log batcher', () => {
  const line = (text: string) => ({ at: 0, source: 'stdout' as const, level: 'info' as const, text });

  it('sends one batch per interval, bounded, counting what it dropped', async () => {
    const batches: Array<{ lines: string[]; dropped: number }> = [];
    const batcher = createLogBatcher((batch) => batches.push({ lines: batch.lines.map((l) => l.text), dropped: batch.dropped }), 20, 3);
    for (let i = 0; i < 5; i++) batcher.push(line(`l${i}`));
    await waitFor(() => batches.length === 1, { what: 'a batch' });
    expect(batches).toEqual([{ lines: ['l2', 'l3', 'l4'], dropped: 2 }]);
    batcher.push(line('later'));
    await waitFor(() => batches.length === 2, { what: 'the next batch' });
    expect(batches[1]).toEqual({ lines: ['later'], dropped: 0 });
    batcher.push(line('never sent'));
    batcher.close();
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect(batches).toHaveLength(2);
  });
});

describe('quit flow', () => {
  const event = () => ({
    prevented: 0,
    preventDefault() {
      this.prevented++;
    },
  });

  it('holds the first quit until the shutdown finished, then exits 0; later quits pass', async () => {
    let finishShutdown!: () => void;
    const shutdown = vi.fn(() => new Promise<void>((resolve) => (finishShutdown = resolve)));
    const exit = vi.fn();
    const flow = createQuitFlow({ shutdown, exit, boundMs: 5_000, systemBoundMs: 5_000, log: () => undefined });
    const first = event();
    flow.onBeforeQuit(first);
    flow.onBeforeQuit(event()); // a second request while stopping joins the first
    expect(first.prevented).toBe(1);
    expect(shutdown).toHaveBeenCalledTimes(1);
    expect(flow.isQuitting()).toBe(true);
    expect(exit).not.toHaveBeenCalled();
    finishShutdown();
    await flow.finished;
    expect(exit).toHaveBeenCalledWith(0);
    const after = event();
    flow.onBeforeQuit(after);
    expect(after.prevented).toBe(0);
  });

  it('exits 1 when the shutdown hangs past the bound or fails', async () => {
    const hung = createQuitFlow({
      shutdown: () => new Promise(() => undefined),
      exit: vi.fn(),
      boundMs: 30,
      systemBoundMs: 30,
      log: () => undefined,
    });
    hung.onBeforeQuit(event());
    await hung.finished;
    const failing = createQuitFlow({
      shutdown: () => Promise.reject(new Error('boom')),
      exit: vi.fn(),
      boundMs: 5_000,
      systemBoundMs: 5_000,
      log: () => undefined,
    });
    failing.onBeforeQuit(event());
    await failing.finished;
    for (const flow of [hung, failing]) expect(flow.isQuitting()).toBe(true);
  });

  it('the OS ending the session takes the same stop with the shorter bound; a quit during it joins', async () => {
    const logs: string[] = [];
    const exit = vi.fn();
    const shutdown = vi.fn(() => new Promise<void>(() => undefined));
    const flow = createQuitFlow({ shutdown, exit, boundMs: 60_000, systemBoundMs: 40, log: (_level, line) => logs.push(line) });
    const osEvent = event();
    flow.onSystemShutdown('system shutdown', osEvent);
    expect(osEvent.prevented).toBe(1); // asks the OS to wait for us
    const quit = event();
    flow.onBeforeQuit(quit); // Electron may still emit before-quit on macOS/Linux
    expect(quit.prevented).toBe(1);
    flow.onSystemShutdown('session end'); // Windows: no event to prevent
    expect(shutdown).toHaveBeenCalledTimes(1);
    await flow.finished; // bounded by the 40 ms, not the 60 s
    expect(exit).toHaveBeenCalledWith(1);
    expect(logs).toEqual(['system shutdown: stopping the gateway first', 'system shutdown: the gateway did not stop within 40 ms; exiting anyway']);
    const late = event();
    flow.onSystemShutdown('system shutdown', late);
    expect(late.prevented).toBe(0);
  });
});

describe('crash guard', () => {
  it('reports uncaught exceptions and unhandled rejections of any shape, and survives a failing reporter', () => {
    const host = new EventEmitter();
    const reports: string[] = [];
    installCrashGuard(host as never, (crash) => {
      reports.push(`${crash.kind}: ${crash.message}`);
      if (crash.message === 'explode') throw new Error('reporter failed');
    });
    host.emit('uncaughtException', new TypeError('bad'));
    host.emit('unhandledRejection', 'just text');
    host.emit('unhandledRejection', { code: 7 });
    const quiet = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    expect(() => host.emit('uncaughtException', new Error('explode'))).not.toThrow();
    quiet.mockRestore();
    expect(reports).toEqual([
      'uncaught exception: bad',
      'unhandled rejection: just text',
      'unhandled rejection: {"code":7}',
      'uncaught exception: explode',
    ]);
    expect(describeCrash('uncaught exception', new Error('x')).detail).toContain('Error: x');
  });
});

describe('layout and launcher choice', () => {
  it('finds the reference gateway in dist/ in development and in resources/ when packaged', () => {
    expect(appLayout({ appPath: '/repo', isPackaged: false, resourcesPath: '/electron/resources' })).toEqual({
      preload: '/repo/dist/preload.cjs',
      rendererDir: '/repo/dist/renderer',
      iconsDir: '/repo/resources/icons',
      referenceEntry: '/repo/dist/gateway/reference-gateway.cjs',
      resourcesPath: undefined,
    });
    expect(appLayout({ appPath: '/opt/Pincer/resources/app.asar', isPackaged: true, resourcesPath: '/opt/Pincer/resources' })).toMatchObject({
      preload: '/opt/Pincer/resources/app.asar/dist/preload.cjs',
      referenceEntry: '/opt/Pincer/resources/gateway/reference-gateway.cjs',
      resourcesPath: '/opt/Pincer/resources',
    });
  });

  it.each([
    [{ mode: 'fork' as const }, false],
    [{ mode: 'fork' as const, execPath: '/opt/node/bin/node' }, true],
    [{ mode: 'spawn' as const }, true],
  ])('%j needs child_process: %s', (spec, expected) => {
    expect(needsChildProcess(spec)).toBe(expected);
  });
});

describe('window config', () => {
  it('isolates and sandboxes the renderer without Node', () => {
    expect(webPreferences('/x/preload.cjs')).toMatchObject({
      preload: '/x/preload.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
    });
  });
});

describe('app protocol (pincer://app/)', () => {
  const root = '/opt/Pincer/resources/app.asar/dist/renderer';
  it.each<[string, string | undefined]>([
    ['pincer://app/index.html', `${root}/index.html`],
    ['pincer://app/', `${root}/index.html`],
    ['pincer://app/assets/index-1.js?x=1#y', `${root}/assets/index-1.js`],
    ['pincer://app/a%20b.css', `${root}/a b.css`],
    // Dot segments are resolved by URL parsing, so they never climb out of the root.
    ['pincer://app/%2e%2e/%2e%2e/package.json', `${root}/package.json`],
    ['pincer://app/..%2f..%2fpackage.json', undefined],
    ['pincer://app/%00.html', undefined],
    ['pincer://app/%E0%A4%A', undefined],
    ['pincer://other/index.html', undefined],
    ['file:///opt/Pincer/resources/app.asar/dist/renderer/index.html', undefined],
    ['not a url', undefined],
  ])('%s → %s', (url, file) => {
    expect(appFileFor(root, url)).toBe(file);
  });

  it('answers files with the CSP header, and refuses other methods, hosts and missing files with it too', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pincer-protocol-'));
    try {
      fs.writeFileSync(path.join(dir, 'index.html'), '<!doctype html><title>x</title>');
      const handler = createAppProtocolHandler(dir);
      const page = await handler(new Request(APP_PAGE_URL));
      expect([page.status, page.headers.get('content-type'), await page.text()]).toEqual([
        200,
        'text/html; charset=utf-8',
        '<!doctype html><title>x</title>',
      ]);
      const answers = await Promise.all([
        handler(new Request(APP_PAGE_URL, { method: 'POST', body: 'x' })),
        handler(new Request('pincer://evil/index.html')),
        handler(new Request('pincer://app/missing.js')),
        handler(new Request('pincer://app/..%2f..%2fetc%2fpasswd')),
      ]);
      expect(answers.map((answer) => answer.status)).toEqual([405, 400, 404, 400]);
      for (const answer of [page, ...answers]) {
        expect(answer.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
        expect(answer.headers.get('x-content-type-options')).toBe('nosniff');
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('the policy forbids inline scripts, plugins, base and form targets, and framing', () => {
    const directives = CONTENT_SECURITY_POLICY.split('; ');
    expect(directives).toEqual(
      expect.arrayContaining([
        "default-src 'none'",
        "script-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'none'",
        "frame-ancestors 'none'",
      ]),
    );
    expect(CONTENT_SECURITY_POLICY).not.toContain('unsafe');
    expect(META_CONTENT_SECURITY_POLICY).toBe(directives.filter((directive) => !directive.startsWith('frame-ancestors')).join('; '));
  });
});
