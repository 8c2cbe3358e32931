// The headless twin's settings engine: conf, the engine under electron-store, on the same file.
import Conf from 'conf';
import type { OpenSettingsStore } from './store';

export const openConfStore: OpenSettingsStore = (options) => new Conf<Record<string, unknown>>(options);
