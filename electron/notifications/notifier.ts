// Native notifications about the gateway: follows the status, asks the pure policy what to say
// and whether to say it now, and shows an Electron Notification whose click opens the dashboard.
import { Notification } from 'electron';
import type { Translate } from '../core/i18n';
import type { GatewayStatus } from '../core/status';
import { noticeFor, noticeKey, throttle, type SentNotices, type WatchState } from './policy';
import { noticeText } from './text';

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
