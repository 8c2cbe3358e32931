// The update decision table: the updater's answers from the feed → the view → what the tray and
// the dashboard show.
import { describe, expect, it } from 'vitest';
import { nextUpdateView, updateNotice, updateTrayItem, type UpdateView, type UpdaterEvent } from '../../electron/core/update-model';

const idle: UpdateView = { kind: 'idle' };
const downloading: UpdateView = { kind: 'downloading', version: '1.2.0', percent: 40 };
const ready: UpdateView = { kind: 'ready', version: '1.2.0' };

describe('update view', () => {
  it.each<[string, UpdateView, UpdaterEvent, UpdateView]>([
    ['a check starts', idle, { type: 'checking' }, { kind: 'checking' }],
    [
      'the feed offers a newer version',
      { kind: 'checking' },
      { type: 'available', version: '1.2.0' },
      { kind: 'downloading', version: '1.2.0', percent: 0 },
    ],
    ['the feed offers nothing newer', { kind: 'checking' }, { type: 'not-available' }, idle],
    ['download progress is whole percent', downloading, { type: 'progress', percent: 63.7 }, { ...downloading, percent: 63 }],
    ['progress is clamped', downloading, { type: 'progress', percent: 180 }, { ...downloading, percent: 100 }],
    ['progress without a download is ignored', idle, { type: 'progress', percent: 10 }, idle],
    ['a periodic check during a download keeps it', downloading, { type: 'checking' }, downloading],
    ['the same version offered again keeps its progress', downloading, { type: 'available', version: '1.2.0' }, downloading],
    [
      'a newer one restarts the download',
      downloading,
      { type: 'available', version: '1.3.0' },
      { kind: 'downloading', version: '1.3.0', percent: 0 },
    ],
    ['downloaded and verified', downloading, { type: 'downloaded', version: '1.2.0' }, ready],
    ['a failed check', { kind: 'checking' }, { type: 'error', message: 'HttpError: 404' }, { kind: 'error', message: 'HttpError: 404' }],
    [
      'a failed download (bad sha512)',
      downloading,
      { type: 'error', message: 'sha512 checksum mismatch' },
      { kind: 'error', message: 'sha512 checksum mismatch' },
    ],
    ['after an error the next check starts over', { kind: 'error', message: 'x' }, { type: 'checking' }, { kind: 'checking' }],
    ['ready survives a later failed check', ready, { type: 'error', message: 'offline' }, ready],
    ['ready survives a later check that finds nothing', ready, { type: 'not-available' }, ready],
    ['ready → installing on request', ready, { type: 'installing' }, { kind: 'installing', version: '1.2.0' }],
    ['installing is final', { kind: 'installing', version: '1.2.0' }, { type: 'error', message: 'x' }, { kind: 'installing', version: '1.2.0' }],
    ['installing needs a ready update', downloading, { type: 'installing' }, downloading],
    ['no feed: nothing changes it', { kind: 'off', reason: 'no-feed' }, { type: 'available', version: '9.0.0' }, { kind: 'off', reason: 'no-feed' }],
  ])('%s', (_name, view, event, expected) => {
    expect(nextUpdateView(view, event)).toEqual(expected);
  });
});

describe('what the user sees', () => {
  it.each<[UpdateView, ReturnType<typeof updateTrayItem>, ReturnType<typeof updateNotice>]>([
    [{ kind: 'off', reason: 'no-feed' }, undefined, undefined],
    [{ kind: 'off', reason: 'setting' }, undefined, undefined],
    [idle, undefined, undefined],
    [{ kind: 'checking' }, undefined, undefined],
    [
      downloading,
      { label: 'Downloading Update 1.2.0… 40%', enabled: false },
      { tone: 'info', text: 'Update available: Pincer 1.2.0, downloading (40%)…', canInstall: false },
    ],
    [ready, { label: 'Restart to Update (1.2.0)', enabled: true }, { tone: 'info', text: 'Pincer 1.2.0 is ready to install.', canInstall: true }],
    [
      { kind: 'installing', version: '1.2.0' },
      { label: 'Installing Update 1.2.0…', enabled: false },
      { tone: 'info', text: 'Installing Pincer 1.2.0: stopping the gateway, then restarting…', canInstall: false },
    ],
    [
      { kind: 'error', message: 'HttpError: 404' },
      undefined,
      { tone: 'bad', text: 'Checking for updates failed: HttpError: 404', canInstall: false },
    ],
  ])('%j → tray %j, dashboard %j', (view, tray, notice) => {
    expect(updateTrayItem(view)).toEqual(tray);
    expect(updateNotice(view)).toEqual(notice);
  });
});
