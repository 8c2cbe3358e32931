// Composes the dashboard: loads the first snapshot, follows live status and log events,
// runs the actions and keeps the clock-driven parts (uptime, phase timers, timeline) ticking.
import type { LogLine, TimelineEntry } from '../electron/core/api';
import type { GatewayStatus } from '../electron/core/status';
import { UnauthorizedError, type Connection, type DashboardApi } from './api/types';
import type { ControlAction } from './logic/controls';
import { linesAfter } from './logic/logs';
import { STATE_LOOK } from './logic/state';
import { appendStatus, prune } from './logic/timeline';
import { createAuthScreen } from './views/auth-screen';
import { createBadge } from './views/badge';
import { createConnectionBanner } from './views/banner';
import { createControls } from './views/controls';
import { h } from './views/dom';
import { createErrorPanel } from './views/errors';
import { createFacts, createFrontDoor } from './views/facts';
import { createLogView } from './views/logs';
import { createNotice } from './views/notice';
import { createOpenClaw } from './views/openclaw';
import { createPhases } from './views/phases';
import { createSettings } from './views/settings';
import { createSockets } from './views/sockets';
import { createTimeline } from './views/timeline';
import { createUpdateLine } from './views/update';
import { createWarnings } from './views/warnings';
import { t } from './i18n';

/** Fast ticks only while a start is in progress (tenths of a second matter there). */
const TICK_STARTING_MS = 100;
const TICK_MS = 1000;
/** The chart moves ~0.3 px per second: redrawing it more often than this is wasted (and kills hover tooltips). */
const TIMELINE_REDRAW_MS = 5000;

export function showAuthScreen(root: HTMLElement): void {
  document.title = t('app.signInTitle');
  root.replaceChildren(createAuthScreen());
}

export function startDashboard(root: HTMLElement, api: DashboardApi): void {
  let status: GatewayStatus | undefined;
  let timeline: TimelineEntry[] = [];
  let pending: ControlAction | null = null;
  let signedOut = false;
  let settingsLoaded = false;
  let timelineDrawnAt = -Infinity;

  const notice = createNotice();
  const banner = createConnectionBanner();
  const badge = createBadge();
  const phases = createPhases();
  const controls = createControls((action) => void run(action));
  // A new language: the page reloads and main.ts picks it up from the settings.
  const settings = createSettings(
    (patch) => api.updateSettings(patch),
    () => location.reload(),
  );
  const errorPanel = createErrorPanel({
    retry: () => void run('start'),
    useAnotherPort: (port) => settings.suggestPort(port),
    editSetting: (field) => settings.focusField(field),
    openLogs: () => void openLogs(),
  });
  const warnings = createWarnings();
  const facts = createFacts();
  const frontDoor = createFrontDoor();
  const openclaw = createOpenClaw({ openControlUi: () => void openControlUi(), fullRestart: () => void fullRestart() });
  const sockets = createSockets();
  const timelineView = createTimeline();
  const logs = createLogView();
  const updateLine = createUpdateLine(() => void installUpdate());

  const openLogsButton = h('button', { type: 'button', class: 'btn btn-quiet', testid: 'btn-open-logs', text: t('app.openLogs') });
  const diagnosticsButton = h('button', { type: 'button', class: 'btn btn-quiet', testid: 'btn-diagnostics', text: t('app.exportDiagnostics') });
  openLogsButton.addEventListener('click', () => void openLogs());
  diagnosticsButton.addEventListener('click', () => void exportDiagnostics());

  root.replaceChildren(
    h(
      'header',
      { class: 'top' },
      h(
        'div',
        { class: 'topbar' },
        h(
          'div',
          { class: 'brand' },
          h('img', { class: 'brand-logo', src: './logo.svg', alt: '', width: 28, height: 28 }),
          h('span', { class: 'brand-name', text: 'Pincer' }),
          h('span', { class: 'brand-sub', text: t('app.subtitle') }),
        ),
        h('nav', { class: 'topbar-actions', 'aria-label': t('app.tools') }, openLogsButton, diagnosticsButton),
      ),
      banner.el,
    ),
    notice.el,
    h(
      'main',
      { class: 'layout' },
      h('section', { class: 'card hero', 'aria-label': t('app.gatewayState') }, h('div', { class: 'hero-row' }, badge.el, controls.el), phases.el),
      updateLine.el,
      errorPanel.el,
      warnings.el,
      h(
        'div',
        { class: 'columns' },
        h('div', { class: 'column column-main' }, timelineView.el, logs.el),
        h('div', { class: 'column column-side' }, facts.el, openclaw.el, frontDoor.el, sockets.el, settings.el),
      ),
    ),
  );

  function render(now = Date.now()): void {
    badge.update({ status, now });
    phases.update({ status, now });
    controls.update({ status, pending });
    errorPanel.update(status);
    warnings.update(status?.warnings ?? []);
    facts.update({ status, now });
    frontDoor.update(status);
    openclaw.update(status);
    sockets.update({ report: status?.sockets, now });
    if (now - timelineDrawnAt >= TIMELINE_REDRAW_MS) {
      timelineDrawnAt = now;
      timelineView.update({ entries: timeline, now });
    }
    document.title = status ? `Pincer — ${STATE_LOOK[status.state].label}` : 'Pincer';
  }

  /** Snapshots can arrive out of order (a GET racing an event): the newest wins. */
  function acceptStatus(next: GatewayStatus): void {
    if (status && next.at < status.at) return;
    status = next;
    timeline = appendStatus(timeline, next);
    timelineDrawnAt = -Infinity;
    render();
    scheduleTick();
  }

  let tickTimer: ReturnType<typeof setTimeout> | undefined;
  function scheduleTick(): void {
    clearTimeout(tickTimer);
    tickTimer = setTimeout(
      () => {
        render();
        scheduleTick();
      },
      status?.state === 'starting' ? TICK_STARTING_MS : TICK_MS,
    );
  }

  function failed(what: string, error: unknown): void {
    if (error instanceof UnauthorizedError) return signOut();
    notice.show('bad', t('app.failed', { what, message: error instanceof Error ? error.message : String(error) }));
  }

  function signOut(): void {
    if (signedOut) return;
    signedOut = true;
    clearTimeout(tickTimer);
    unsubscribe.forEach((off) => off());
    showAuthScreen(root);
  }

  async function run(action: ControlAction): Promise<void> {
    if (pending) return;
    pending = action;
    render();
    try {
      acceptStatus(await api[action]());
    } catch (error) {
      failed(t(`app.what.${action}`), error);
    } finally {
      pending = null;
      render();
    }
  }

  async function fullRestart(): Promise<void> {
    try {
      acceptStatus(await api.fullRestart());
    } catch (error) {
      failed(t('app.what.fullRestart'), error);
    }
  }

  async function openControlUi(): Promise<void> {
    // Opened now, while the click still counts as the user's (popup blockers), then pointed at the
    // link. In the desktop app the main process opens the browser and the window refuses popups.
    const popup = window.open('about:blank', '_blank');
    try {
      const { url } = await api.openControlUi();
      if (url && popup) {
        popup.opener = null;
        popup.location.href = url;
      } else popup?.close();
      if (url && !popup) notice.show('info', t('app.popupBlocked'));
    } catch (error) {
      popup?.close();
      failed(t('app.what.controlUi'), error);
    }
  }

  async function openLogs(): Promise<void> {
    try {
      const { path } = await api.openLogs();
      if (path) notice.show('info', t('app.logsAreIn'), { value: path, testid: 'logs-path' });
    } catch (error) {
      failed(t('app.what.openLogs'), error);
    }
  }

  async function exportDiagnostics(): Promise<void> {
    diagnosticsButton.disabled = true;
    try {
      const { path } = await api.exportDiagnostics();
      notice.show('info', t('app.diagnosticsWritten'), { value: path, testid: 'diagnostics-path' });
    } catch (error) {
      failed(t('app.what.diagnostics'), error);
    } finally {
      diagnosticsButton.disabled = false;
    }
  }

  async function installUpdate(): Promise<void> {
    try {
      updateLine.update(await api.installUpdate());
    } catch (error) {
      failed(t('app.what.installUpdate'), error);
    }
  }

  /** First load, and again after the live stream comes back (events may have been missed). The form is loaded once, so typing is never overwritten. */
  async function load(initial: boolean): Promise<void> {
    const [statusResult, timelineResult, logResult, settingsResult] = await Promise.allSettled([
      api.getStatus(),
      api.getTimeline(),
      api.getLogTail(),
      settingsLoaded ? Promise.resolve(undefined) : api.getSettings(),
    ]);
    const results = [statusResult, timelineResult, logResult, settingsResult];
    if (results.some((r) => r.status === 'rejected' && r.reason instanceof UnauthorizedError)) return signOut();
    if (timelineResult.status === 'fulfilled') {
      timeline = prune(mergeTimeline(timelineResult.value, timeline), Date.now());
      timelineDrawnAt = -Infinity;
    }
    if (statusResult.status === 'fulfilled') acceptStatus(statusResult.value);
    else failed(t('app.what.status'), statusResult.reason);
    if (logResult.status === 'fulfilled') {
      if (initial) logs.reset(logResult.value);
      else linesAfter(logResult.value, logs.newestAt()).forEach((line: LogLine) => logs.add(line));
    }
    if (settingsResult.status === 'fulfilled' && settingsResult.value) {
      settingsLoaded = true;
      settings.load(settingsResult.value);
    } else if (settingsResult.status === 'rejected')
      settings.loadFailed(settingsResult.reason instanceof Error ? settingsResult.reason.message : String(settingsResult.reason));
    render();
  }

  let lost = false;
  const unsubscribe = [
    api.onStatus(acceptStatus),
    api.onLog((line) => logs.add(line)),
    api.onUpdate((view) => updateLine.update(view)),
    api.onConnection((connection: Connection) => {
      if (connection.state === 'unauthorized') return signOut();
      banner.update(connection);
      if (connection.state === 'lost') lost = true;
      else if (lost) {
        lost = false;
        void load(false);
      }
    }),
  ];

  render();
  void load(true);
  void api.getUpdate().then(
    (view) => updateLine.update(view),
    (error: unknown) => failed(t('app.what.updateState'), error),
  );
}

/** The server's history is the truth; live entries newer than its last one are kept. */
function mergeTimeline(fromServer: TimelineEntry[], live: TimelineEntry[]): TimelineEntry[] {
  const newest = fromServer[fromServer.length - 1]?.at ?? -Infinity;
  return [...fromServer, ...live.filter((entry) => entry.at > newest)];
}
