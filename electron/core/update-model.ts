// What the user sees of updates, as plain data: the updater's events (electron-updater's answers
// from the feed) fold into one UpdateView, and the view decides the tray entry and the dashboard
// line. Pure, so a table test covers every answer; electron/updater.ts feeds it real events.
import { createTranslator, type Translate } from './i18n';

const ENGLISH = createTranslator('en');

export type UpdateView =
  /** No checks: this build has no feed, the user turned "Check for updates" off, or it is the headless twin (updated with npm). */
  | { kind: 'off'; reason: 'no-feed' | 'setting' | 'headless' }
  /** Up to date as far as we know (no check yet, or the feed offered nothing newer). */
  | { kind: 'idle' }
  | { kind: 'checking' }
  /** A newer version is being downloaded (electron-updater downloads it on its own). */
  | { kind: 'downloading'; version: string; percent: number }
  /** Downloaded and verified: a restart installs it. */
  | { kind: 'ready'; version: string }
  /** The gateway is being stopped, then the installer takes over. */
  | { kind: 'installing'; version: string }
  | { kind: 'error'; message: string };

export type UpdaterEvent =
  | { type: 'checking' }
  | { type: 'available'; version: string }
  | { type: 'not-available' }
  | { type: 'progress'; percent: number }
  | { type: 'downloaded'; version: string }
  | { type: 'error'; message: string }
  | { type: 'installing' };

export function nextUpdateView(view: UpdateView, event: UpdaterEvent): UpdateView {
  if (view.kind === 'off' || view.kind === 'installing') return view;
  // A downloaded update stays installable whatever a later check says (or fails to say).
  if (view.kind === 'ready') return event.type === 'installing' ? { kind: 'installing', version: view.version } : view;
  switch (event.type) {
    case 'checking':
      return view.kind === 'downloading' ? view : { kind: 'checking' };
    case 'available':
      return view.kind === 'downloading' && view.version === event.version ? view : { kind: 'downloading', version: event.version, percent: 0 };
    case 'not-available':
      return { kind: 'idle' };
    case 'progress':
      return view.kind === 'downloading' ? { ...view, percent: Math.min(100, Math.max(0, Math.floor(event.percent))) } : view;
    case 'downloaded':
      return { kind: 'ready', version: event.version };
    case 'error':
      return { kind: 'error', message: event.message };
    case 'installing':
      return view;
  }
}

/** The tray's update entry, if any: only a ready update can be acted on. */
export function updateTrayItem(view: UpdateView, t: Translate = ENGLISH): { label: string; enabled: boolean } | undefined {
  switch (view.kind) {
    case 'downloading':
      return { label: t('update.tray.downloading', { version: view.version, percent: view.percent }), enabled: false };
    case 'ready':
      return { label: t('update.tray.ready', { version: view.version }), enabled: true };
    case 'installing':
      return { label: t('update.tray.installing', { version: view.version }), enabled: false };
    default:
      return undefined;
  }
}

/** The dashboard's update line: hidden unless there is something to say. */
export function updateNotice(view: UpdateView, t: Translate = ENGLISH): { tone: 'info' | 'bad'; text: string; canInstall: boolean } | undefined {
  switch (view.kind) {
    case 'downloading':
      return { tone: 'info', text: t('update.notice.downloading', { version: view.version, percent: view.percent }), canInstall: false };
    case 'ready':
      return { tone: 'info', text: t('update.notice.ready', { version: view.version }), canInstall: true };
    case 'installing':
      return { tone: 'info', text: t('update.notice.installing', { version: view.version }), canInstall: false };
    case 'error':
      return { tone: 'bad', text: t('update.notice.error', { message: view.message }), canInstall: false };
    default:
      return undefined;
  }
}
