// Native notifications about the gateway: follows the status, asks the pure policy what to say
// and whether to say it now, and shows an Electron Notification whose click opens the dashboard.
import { Notification } from 'electron';
import type { Translate } from '../core/i18n';
import type { ExitInfo, GatewayStatus } from '../core/status';
import { noticeFor, noticeKey, throttle, type GatewayNotice, type SentNotices, type WatchState } from './policy';

export interface NotifierOptions {
  status: () => GatewayStatus;
  onStatus: (listener: (status: GatewayStatus) => void) => () => void;
  /** The setting that turns notifications off. */
  enabled: () => boolean;
  t: () => Translate;
  /** Clicked: show the dashboard (an error is at its top). */
  onClick: () => void;
  now?: () => number;
}

export function exitText(exit: Pick<ExitInfo, 'code' | 'signal'>, t: Translate): string {
  if (exit.signal) return t('exit.signal', { signal: exit.signal });
  if (exit.code !== null) return t('exit.code', { code: exit.code });
  return t('exit.unknown');
}

export function noticeText(notice: GatewayNotice, status: Pick<GatewayStatus, 'port'>, t: Translate): { title: string; body: string } {
  switch (notice.kind) {
    case 'error':
      return {
        title: t('notify.errorTitle'),
        body: `${t(`error.title.${notice.code}`, { port: status.port })}\n${t(`error.hint.${notice.code}`)}`,
      };
    case 'recovered':
      return { title: t('notify.recoveredTitle'), body: t('notify.recoveredBody', { exit: exitText(notice.exit, t), port: status.port }) };
    case 'restarted':
      return { title: t('notify.restartedTitle'), body: t('notify.restartedBody', { port: status.port, seconds: Math.round(notice.tookMs / 1000) }) };
  }
}

export function createNotifier(options: NotifierOptions): () => void {
  const now = options.now ?? Date.now;
  let watch: WatchState = { state: options.status().state };
  let sent: SentNotices = [];
  // Electron drops the click handler of a notification that was garbage-collected: hold them until closed.
  const shown = new Set<Notification>();

  const onStatus = (status: GatewayStatus) => {
    const result = noticeFor(watch, status);
    watch = result.watch;
    if (!result.notice || !options.enabled() || !Notification.isSupported()) return;
    const verdict = throttle(sent, noticeKey(result.notice), now());
    sent = verdict.sent;
    if (!verdict.allowed) return;
    const notification = new Notification(noticeText(result.notice, status, options.t()));
    shown.add(notification);
    notification.on('click', () => options.onClick());
    notification.on('close', () => shown.delete(notification));
    notification.show();
  };
  const unsubscribe = options.onStatus(onStatus);
  return () => {
    unsubscribe();
    shown.clear();
  };
}
