import { describe, expect, it } from 'vitest';
import { resolveDataDir, type DataDirFacts } from '../../electron/core/paths';

const linux = (over: Partial<DataDirFacts> = {}): DataDirFacts => ({
  platform: 'linux',
  env: {},
  exePath: '/opt/Pincer/pincer',
  homeDir: '/home/ann',
  exists: () => false,
  ...over,
});

describe('resolveDataDir', () => {
  it.each<[string, DataDirFacts, { dir: string; portable: boolean; reason: string }]>([
    ['Linux user data dir', linux(), { dir: '/home/ann/.config/Pincer', portable: false, reason: 'user' }],
    ['XDG_CONFIG_HOME', linux({ env: { XDG_CONFIG_HOME: '/x/cfg' } }), { dir: '/x/cfg/Pincer', portable: false, reason: 'user' }],
    [
      'macOS user data dir',
      linux({ platform: 'darwin', homeDir: '/Users/ann', exePath: '/Applications/Pincer.app/Contents/MacOS/Pincer' }),
      { dir: '/Users/ann/Library/Application Support/Pincer', portable: false, reason: 'user' },
    ],
    [
      'Windows user data dir',
      linux({
        platform: 'win32',
        homeDir: 'C:\\Users\\ann',
        env: { APPDATA: 'C:\\Users\\ann\\AppData\\Roaming' },
        exePath: 'C:\\Program Files\\Pincer\\Pincer.exe',
      }),
      { dir: 'C:\\Users\\ann\\AppData\\Roaming\\Pincer', portable: false, reason: 'user' },
    ],
    [
      'Windows portable exe (PORTABLE_EXECUTABLE_DIR is the stick, not the temp unpack dir)',
      linux({ platform: 'win32', env: { PORTABLE_EXECUTABLE_DIR: 'E:\\Apps' }, exePath: 'C:\\Temp\\2xyz\\Pincer.exe' }),
      { dir: 'E:\\Apps\\data', portable: true, reason: 'windows-portable' },
    ],
    [
      'AppImage with a portable marker beside it',
      linux({ env: { APPIMAGE: '/media/usb/Pincer.AppImage' }, exePath: '/tmp/.mount_Pinc/pincer', exists: (f) => f === '/media/usb/portable' }),
      { dir: '/media/usb/data', portable: true, reason: 'appimage-marker' },
    ],
    [
      'AppImage with a data folder beside it',
      linux({ env: { APPIMAGE: '/media/usb/Pincer.AppImage' }, exePath: '/tmp/.mount_Pinc/pincer', exists: (f) => f === '/media/usb/data' }),
      { dir: '/media/usb/data', portable: true, reason: 'appimage-marker' },
    ],
    [
      'AppImage without a marker is a normal install',
      linux({ env: { APPIMAGE: '/home/ann/Apps/Pincer.AppImage' }, exePath: '/tmp/.mount_Pinc/pincer' }),
      { dir: '/home/ann/.config/Pincer', portable: false, reason: 'user' },
    ],
    [
      'portable marker beside the executable',
      linux({ exists: (f) => f === '/opt/Pincer/portable' }),
      { dir: '/opt/Pincer/data', portable: true, reason: 'portable-marker' },
    ],
    [
      'data folder beside the executable',
      linux({ exists: (f) => f === '/opt/Pincer/data' }),
      { dir: '/opt/Pincer/data', portable: true, reason: 'data-folder' },
    ],
    [
      'Windows data folder beside the executable',
      linux({ platform: 'win32', exePath: 'E:\\Pincer\\Pincer.exe', exists: (f) => f === 'E:\\Pincer\\data' }),
      { dir: 'E:\\Pincer\\data', portable: true, reason: 'data-folder' },
    ],
    [
      'explicit override wins over everything',
      linux({ env: { PINCER_DATA_DIR: '/srv/pincer', PORTABLE_EXECUTABLE_DIR: 'E:\\Apps' }, exists: () => true }),
      { dir: '/srv/pincer', portable: false, reason: 'override' },
    ],
  ])('%s', (_name, facts, expected) => {
    expect(resolveDataDir(facts)).toEqual(expected);
  });
});
