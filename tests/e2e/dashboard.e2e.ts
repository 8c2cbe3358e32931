// The dashboard in a real browser (Debian Chromium via playwright-core) against the real headless
// twin running the reference gateway: one story, in order — running, restart, kill -9, a foreign
// port holder, a port change, an invalid port, the token rules — with screenshots of each state.
import fs from 'node:fs';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isAlive, listDescendants } from '../../electron/core/process/tree';
import { freePort } from '../helpers/ports';
import { waitFor } from '../helpers/wait';
import { launchBrowser, watchContext, type PageWatch } from './browser';
import {
  badgeStates,
  byTestId,
  recordBadgeStates,
  screenshot,
  STATE_TIMEOUT_MS,
  text,
  waitForRunningWithNewPid,
  waitForState,
} from './dashboard-page';
import { probe, referenceGatewaysOn, startForeignServer, type ForeignServer } from './processes';
import { startTwin, type Twin } from '../helpers/twin';

describe('dashboard in a real browser, against the headless twin', () => {
  let twin: Twin;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let watch: PageWatch;
  let foreign: ForeignServer | undefined;
  let gatewayPort: number;
  /** Every gateway port this run used, for the leftover check. */
  const ports: number[] = [];
  /** Every gateway pid the page or the API showed. */
  const gatewayPids = new Set<number>();
  const timings: Record<string, number> = {};
  /** Badge states the page went through, per step (for the report). */
  const observed: Record<string, string[]> = {};
  const shots: string[] = [];

  const time = async <T>(name: string, step: () => Promise<T>): Promise<T> => {
    const started = Date.now();
    const result = await step();
    timings[name] = Date.now() - started;
    return result;
  };
  const shoot = async (target: Page, name: string, focus?: string) => shots.push(await screenshot(target, name, focus));
  const shownPid = async () => {
    const pid = Number(await text(page, 'pid'));
    gatewayPids.add(pid);
    return pid;
  };

  beforeAll(async () => {
    gatewayPort = await freePort();
    ports.push(gatewayPort);
    twin = await time('twin start → Dashboard line', () => startTwin({ gatewayPort }));
    browser = await time('browser launch', () => launchBrowser());
    context = await browser.newContext({ viewport: { width: 1440, height: 900 }, colorScheme: 'light' });
    watch = await watchContext(context);
    page = await context.newPage();
  });

  afterAll(async () => {
    await browser?.close();
    await foreign?.kill();
    console.log(
      `e2e timings (ms): ${JSON.stringify(timings, null, 2)}\nbadge states: ${JSON.stringify(observed)}\nexpected browser errors: ${JSON.stringify(watch?.problems.filter((p) => p.expected))}\nscreenshots:\n  ${shots.join('\n  ')}`,
    );
    if (!twin) return;
    await twin.stop();
    fs.rmSync(twin.dataDir, { recursive: true, force: true });
    // Whatever happened above, no gateway may outlive the run.
    const left = referenceGatewaysOn(ports);
    for (const pid of left) process.kill(pid, 'SIGKILL');
    if (left.length > 0) throw new Error(`gateway processes were left running: ${left.join(', ')}`);
  });

  it('opened through the printed link, the page reaches running and shows the real pid', async () => {
    expect(twin.dashboardUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/#token=/);
    await time('page load → running', async () => {
      await page.goto(twin.dashboardUrl);
      await waitForState(page, 'running');
    });
    const api = await twin.status();
    expect(api.state).toBe('running');
    expect(await shownPid()).toBe(api.pid);
    expect(isAlive(api.pid!)).toBe(true);
    expect(await text(page, 'port')).toBe(String(gatewayPort));
    expect(await text(page, 'gateway-kind')).toContain('Reference gateway');
    expect(await text(page, 'headline')).toContain(String(gatewayPort));
    expect(await text(page, 'restarts')).toBe(String(api.restarts));
    // Uptime ticks between status events.
    const uptime = await text(page, 'uptime');
    await page.waitForFunction((before) => document.querySelector('[data-testid="uptime"]')?.textContent?.trim() !== before, uptime, {
      timeout: 10_000,
    });
    await shoot(page, '01-running');
  });

  it('Restart → restarting → running with a new pid and one more restart', async () => {
    await waitForState(page, 'running');
    const before = await twin.status();
    expect(await shownPid()).toBe(before.pid);
    await recordBadgeStates(page);
    const newPid = await time('click Restart → running, new pid', async () => {
      await page.click(byTestId('btn-restart'));
      return waitForRunningWithNewPid(page, before.pid!);
    });
    gatewayPids.add(newPid);
    const states = await badgeStates(page);
    observed.restart = states;
    expect(states[0]).toBe('running');
    expect(states.some((state) => state === 'restarting' || state === 'starting')).toBe(true);
    expect(states[states.length - 1]).toBe('running');
    const after = await twin.status();
    expect(newPid).toBe(after.pid);
    expect(after.restarts).toBe(before.restarts + 1);
    await page.waitForFunction((n) => document.querySelector('[data-testid="restarts"]')?.textContent?.trim() === String(n), after.restarts);
    // Blue/green: the old generation goes once the new one serves.
    await waitFor(() => !isAlive(before.pid!), { timeoutMs: 30_000, what: 'the old gateway to be gone' });
    // The timeline marks the restart.
    await page.waitForSelector(`${byTestId('timeline')} .timeline-marker`, { state: 'attached' });
    expect(await page.locator(`${byTestId('timeline')} .timeline-band`).count()).toBeGreaterThan(0);
    await shoot(page, '02-restarted');
  });

  it('kill -9 of the gateway → the page shows the drop and the recovery within seconds', async () => {
    await waitForState(page, 'running');
    const killed = (await twin.status()).pid!;
    expect(await shownPid()).toBe(killed);
    await recordBadgeStates(page);
    const started = Date.now();
    process.kill(killed, 'SIGKILL');
    // The drop: a state other than running, or the new last exit, whichever the page shows first.
    await page.waitForFunction(
      () =>
        document.querySelector('[data-testid="state-badge"]')?.getAttribute('data-state') !== 'running' ||
        /SIGKILL/.test(document.querySelector('[data-testid="last-exit"]')?.textContent ?? ''),
      null,
      { timeout: 10_000 },
    );
    timings['kill -9 → drop shown'] = Date.now() - started;
    const recovered = await waitForRunningWithNewPid(page, killed, 20_000);
    timings['kill -9 → running again (new pid)'] = Date.now() - started;
    gatewayPids.add(recovered);
    const states = await badgeStates(page);
    observed['kill -9'] = states;
    const lastExit = await text(page, 'last-exit');
    expect(states.some((state) => state !== 'running') || /SIGKILL/.test(lastExit)).toBe(true);
    expect(lastExit).toContain('SIGKILL');
    const api = await twin.status();
    expect(api.pid).toBe(recovered);
    expect(api.lastExit?.signal).toBe('SIGKILL');
    expect(isAlive(killed)).toBe(false);
    await shoot(page, '03-recovered-after-kill');
  });

  it('a foreign process on the port → PORT_IN_USE naming it, and it is left alone', async () => {
    await waitForState(page, 'running');
    const last = await shownPid();
    await time('click Stop → stopped', async () => {
      await page.click(byTestId('btn-stop'));
      await waitForState(page, 'stopped');
    });
    expect((await twin.status()).state).toBe('stopped');
    await waitFor(() => !isAlive(last), { what: `gateway ${last} to exit` });
    // Start is offered once the Stop request itself has answered (controls are disabled while one is pending).
    await page.waitForSelector(`${byTestId('btn-start')}:enabled`);
    expect(await page.isDisabled(byTestId('btn-stop'))).toBe(true);
    expect(await page.isDisabled(byTestId('btn-restart'))).toBe(true);
    await shoot(page, '04-stopped');

    foreign = await startForeignServer(gatewayPort);
    await time('click Start → PORT_IN_USE shown', async () => {
      await page.click(byTestId('btn-start'));
      await page.waitForSelector(`${byTestId('error-panel')}:visible`, { timeout: STATE_TIMEOUT_MS });
    });
    await waitForState(page, 'error');
    expect(await text(page, 'error-code')).toBe('PORT_IN_USE');
    expect(await text(page, 'port-owner')).toContain(String(foreign.pid));
    const api = await twin.status();
    expect(api.error?.code).toBe('PORT_IN_USE');
    expect(api.pid).toBeUndefined();
    expect(await page.isVisible(byTestId('btn-use-other-port'))).toBe(true);
    expect(foreign.alive()).toBe(true);
    expect(await probe(gatewayPort, '/')).toBe(200);
    await shoot(page, '05-port-in-use');

    await foreign.kill();
    foreign = undefined;
    // Retry from the error panel once the port is free again.
    const recovered = await time('click Retry → running', async () => {
      await page.click(byTestId('btn-retry'));
      await waitForState(page, 'running');
      return shownPid();
    });
    expect(await page.isHidden(byTestId('error-panel'))).toBe(true);
    expect((await twin.status()).pid).toBe(recovered);
  });

  it('a new port in settings → the gateway comes up there; the old port is closed', async () => {
    await waitForState(page, 'running');
    const oldPort = gatewayPort;
    const oldPid = await shownPid();
    const newPort = await freePort();
    ports.push(newPort);
    expect(await page.isDisabled(byTestId('settings-save'))).toBe(true);
    await page.fill(byTestId('settings-port'), String(newPort));
    expect(await page.isEnabled(byTestId('settings-save'))).toBe(true);
    await time('save new port → running on it', async () => {
      await page.click(byTestId('settings-save'));
      await page.waitForFunction(() => document.querySelector('[data-testid="settings-message"]')?.textContent?.startsWith('Saved'));
      await page.waitForFunction(
        (port) =>
          document.querySelector('[data-testid="state-badge"]')?.getAttribute('data-state') === 'running' &&
          document.querySelector('[data-testid="port"]')?.textContent?.trim() === String(port),
        newPort,
        { timeout: STATE_TIMEOUT_MS },
      );
    });
    gatewayPort = newPort;
    const api = await twin.status();
    expect(api).toMatchObject({ state: 'running', port: newPort });
    expect(await shownPid()).toBe(api.pid);
    expect(api.pid).not.toBe(oldPid);
    expect((await twin.settings()).gatewayPort).toBe(newPort);
    expect(await probe(newPort, '/healthz')).toBe(200);
    expect(
      await waitFor(async () => ((await probe(oldPort, '/healthz')) === 'ECONNREFUSED' ? 'closed' : undefined), { what: `port ${oldPort} to close` }),
    ).toBe('closed');
    expect(await page.isDisabled(byTestId('settings-save'))).toBe(true);
    await shoot(page, '06-new-port', byTestId('settings-port'));
  });

  it('an invalid port → an inline error, and nothing changed', async () => {
    await waitForState(page, 'running');
    const settingsBefore = await twin.settings();
    const statusBefore = await twin.status();
    await page.fill(byTestId('settings-port'), '80');
    await watch.expectErrors(/status of 400.*\/api\/settings$/, async () => {
      await page.click(byTestId('settings-save'));
      await page.waitForSelector(`${byTestId('field-error-gatewayPort')}:visible`);
      await page.waitForFunction(() => document.querySelector('[data-testid="settings-message"]')?.textContent?.startsWith('Not saved'));
    });
    expect(await text(page, 'field-error-gatewayPort')).toMatch(/1024/);
    expect(await page.getAttribute(byTestId('settings-port'), 'aria-invalid')).toBe('true');
    expect(await twin.settings()).toEqual(settingsBefore);
    const statusAfter = await twin.status();
    expect(statusAfter).toMatchObject({ state: 'running', port: statusBefore.port, pid: statusBefore.pid, restarts: statusBefore.restarts });
    expect(await text(page, 'port')).toBe(String(statusBefore.port));
    await shoot(page, '07-invalid-port', byTestId('settings-port'));
    // Undo puts the saved value back and clears the error.
    await page.click(byTestId('settings-reset'));
    expect(await page.inputValue(byTestId('settings-port'))).toBe(String(statusBefore.port));
    expect(await page.isHidden(byTestId('field-error-gatewayPort'))).toBe(true);
  });

  it('the token: out of the address bar after load, never in a request URL; without it, the auth screen', async () => {
    expect(page.url()).toBe(twin.baseUrl);
    expect(await page.evaluate(() => location.href)).toBe(twin.baseUrl);
    expect(watch.requestUrls.length).toBeGreaterThan(10);
    expect(watch.requestUrls.filter((url) => url.includes(twin.token) || url.includes('token='))).toEqual([]);

    const fresh = await browser.newContext({ viewport: { width: 1440, height: 900 } });
    try {
      const freshWatch = await watchContext(fresh);
      const stranger = await fresh.newPage();
      await stranger.goto(twin.baseUrl);
      await stranger.waitForSelector(`${byTestId('auth-screen')}:visible`);
      expect(await stranger.locator(byTestId('state-badge')).count()).toBe(0);
      // With no token the page must not even try the API.
      expect(freshWatch.requestUrls.filter((url) => url.includes('/api/'))).toEqual([]);
      expect(freshWatch.unexpected()).toEqual([]);
      await shoot(stranger, '08-auth-screen');

      // The CSP is enforced and the watcher really sees violations (so "none" below means none).
      await stranger.evaluate(() => document.head.append(Object.assign(document.createElement('script'), { textContent: 'window.x = 1' })));
      await waitFor(() => freshWatch.problems.some((problem) => problem.kind === 'csp' && /script-src/.test(problem.text)), {
        what: 'the CSP violation of an inline script to be reported',
      });
    } finally {
      await fresh.close();
    }
  });

  it('reads at 800×600 without sideways scrolling, and in dark mode', async () => {
    await waitForState(page, 'running');
    await page.setViewportSize({ width: 800, height: 600 });
    await page.waitForFunction(() => window.innerWidth === 800);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(800);
    expect(await page.isVisible(byTestId('btn-restart'))).toBe(true);
    await shoot(page, '09-running');
    await page.setViewportSize({ width: 1440, height: 900 });
    await page.emulateMedia({ colorScheme: 'dark' });
    await shoot(page, '10-running-dark');
    await page.emulateMedia({ colorScheme: 'light' });
  });

  it('in Chinese: a zh-CN browser gets the dashboard in Simplified Chinese; the language setting switches it', async () => {
    const chinese = await browser.newContext({ viewport: { width: 1440, height: 900 }, colorScheme: 'light', locale: 'zh-CN' });
    try {
      const chineseWatch = await watchContext(chinese);
      const zh = await chinese.newPage();
      await zh.goto(twin.dashboardUrl);
      await waitForState(zh, 'running');
      expect(await text(zh, 'state-badge')).toContain('运行中');
      expect(await zh.textContent('#settings-title')).toBe('设置');
      expect(await zh.textContent(byTestId('btn-restart'))).toBe('重启');
      expect(await zh.getAttribute(byTestId('btn-start'), 'title')).toBe('网关运行中。');
      expect(await zh.getAttribute('html', 'lang')).toBe('zh-CN');
      // The OpenClaw card (here the reference gateway runs): heading, resolution order, buttons and why Control UI is off.
      expect(await zh.textContent('#openclaw-title')).toBe('网关从哪里来');
      expect(await text(zh, 'gateway-resolution')).toContain('参考网关（正在运行）');
      expect(await text(zh, 'btn-control-ui')).toBe('打开 Control UI');
      expect(await zh.getAttribute(byTestId('btn-control-ui'), 'title')).toBe('参考网关没有 Control UI。');
      expect(await text(zh, 'btn-full-restart')).toBe('完全重启');
      // The earlier tests restarted this gateway: a full restart (the reference gateway has no in-process one).
      expect(await text(zh, 'openclaw-last-restart')).toMatch(/^上次重启：完全重启（新进程）(，用时 \d+\.\d 秒)?(——.+)?。$/);
      expect(chineseWatch.unexpected()).toEqual([]);
      await shoot(zh, '11-running-zh-CN');
      await shoot(zh, '11-openclaw-card-zh-CN', byTestId('openclaw-card'));
    } finally {
      await chinese.close();
    }

    // The English page: the setting switches it to Chinese (the page reloads), then back to automatic.
    const save = async (language: string, reloaded: string) => {
      await page.selectOption(byTestId('settings-language'), language);
      await page.click(byTestId('settings-save'));
      await page.waitForFunction((title) => document.querySelector('#settings-title')?.textContent === title, reloaded);
      await waitForState(page, 'running');
      // The reloaded page fills its form once the settings arrive.
      await page.waitForFunction(
        (value) => (document.querySelector('[data-testid="settings-language"]') as HTMLSelectElement | null)?.value === value,
        language,
      );
    };
    await waitForState(page, 'running');
    await save('zh-CN', '设置');
    expect(await text(page, 'headline')).toMatch(/^网关正在端口 \d+ 上运行。$/);
    await shoot(page, '12-settings-zh-CN', byTestId('settings-language'));
    await save('auto', 'Settings');
    expect(await text(page, 'headline')).toMatch(/^Gateway is up on port \d+\.$/);
    await shoot(page, '13-settings-en', byTestId('settings-language'));
  });

  it('no console errors, page errors or CSP violations along the way', () => {
    const expected = watch.problems.filter((problem) => problem.expected);
    // The invalid port was refused with a 400 the browser logs; it must have been seen, and only it.
    expect(expected.length).toBeGreaterThan(0);
    expect(watch.unexpected()).toEqual([]);
  });

  it('SIGTERM to the twin → exit 0 and no gateway process left', async () => {
    const status = await twin.status();
    const tree = [twin.pid, ...(await listDescendants(twin.pid))];
    expect(tree).toContain(status.pid);
    // Behind the front door each generation listens on an internal port of its own.
    if (status.frontDoor?.internalPort) ports.push(status.frontDoor.internalPort);
    // The /proc scan below does find a live gateway (so an empty answer after the stop means none).
    expect(referenceGatewaysOn(ports)).toEqual([status.pid]);
    await browser.close();
    const exit = await time('twin SIGTERM → exit', () => twin.stop());
    expect(exit).toEqual({ code: 0, signal: null });
    for (const pid of [...tree, ...gatewayPids]) expect(isAlive(pid), `pid ${pid} still alive`).toBe(false);
    expect(referenceGatewaysOn(ports)).toEqual([]);
    expect(twin.output()).not.toContain(fs.readFileSync(`${twin.dataDir}/gateway-token`, 'utf8').trim());
  });
});
