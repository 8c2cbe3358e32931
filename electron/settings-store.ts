// The desktop app's settings engine: electron-store, opened with the core's options (the same
// file and format as the headless twin's conf).
import ElectronStore from 'electron-store';
import type { OpenSettingsStore } from './core/settings/store';

export const openElectronStore: OpenSettingsStore = ({ configName, ...options }) =>
  new ElectronStore<Record<string, unknown>>({ ...options, name: configName });
