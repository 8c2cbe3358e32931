// The tray icon: an icon per state, a tooltip with state, port and uptime, and the whole menu
// rebuilt and set with setContextMenu whenever a status change changes what it shows (on Linux,
// edits to a MenuItem do nothing until then, and a click on the icon may never arrive — so every
// action is in the menu).
import { Menu, nativeImage, Tray, type MenuItemConstructorOptions, type NativeImage } from 'electron';
import type { GatewayStatus } from './core/status';
import {
  iconFile,
  trayModel,
  trayTooltip,
  type TrayAction,
  type TrayContext,
  type TrayIconState,
  type TrayItem,
  type TrayToggle,
} from './tray-model';

/** The uptime in the tooltip is refreshed this often between status changes. */
const TOOLTIP_REFRESH_MS = 15_000;

export type TrayActions = Record<TrayAction, () => unknown>;

export interface TrayOptions {
  iconsDir: string;
  platform: NodeJS.Platform;
  status: () => GatewayStatus;
  onStatus: (listener: (status: GatewayStatus) => void) => () => void;
  /** The update entry to show, if any, and its changes. */
  updateItem: () => { label: string; enabled: boolean } | undefined;
  onUpdate: (listener: () => void) => () => void;
  actions: TrayActions;
  /** The language and the toggles' values, read on every render. */
  context: () => TrayContext;
  /** A toggle was clicked: save the setting (a saved change comes back through refresh). */
  onToggle: (setting: TrayToggle, checked: boolean) => void;
  /** Where a failed action is reported (the tray has no other place to show it). */
  onActionError: (action: TrayAction, error: unknown) => void;
}

export interface PincerTray {
  /** Re-renders after a change the status does not carry (settings, language). */
  refresh(): void;
  destroy(): void;
}

export function createTray(options: TrayOptions): PincerTray {
  const images = new Map<TrayIconState, NativeImage>();
  const image = (state: TrayIconState): NativeImage => {
    let cached = images.get(state);
    if (!cached) {
      cached = nativeImage.createFromPath(iconFile(options.iconsDir, state, options.platform));
      images.set(state, cached);
    }
    return cached;
  };

  const run = (action: TrayAction) => () => {
    try {
      void Promise.resolve(options.actions[action]()).catch((error: unknown) => options.onActionError(action, error));
    } catch (error) {
      options.onActionError(action, error);
    }
  };
  const template = (item: TrayItem): MenuItemConstructorOptions => {
    switch (item.kind) {
      case 'status':
        return { label: item.label, enabled: false };
      case 'separator':
        return { type: 'separator' };
      case 'action':
        return { label: item.label, enabled: item.enabled, click: run(item.action) };
      case 'toggle':
        return { label: item.label, type: 'checkbox', checked: item.checked, click: () => options.onToggle(item.setting, !item.checked) };
    }
  };

  const context = (): TrayContext => ({ ...options.context(), update: options.updateItem() });
  const initial = trayModel(options.status(), Date.now(), context());
  const tray = new Tray(image(initial.icon));
  let shownIcon = initial.icon;
  let shownItems = '';
  const render = (status: GatewayStatus) => {
    const model = trayModel(status, Date.now(), context());
    if (model.icon !== shownIcon) {
      tray.setImage(image(model.icon));
      shownIcon = model.icon;
    }
    tray.setToolTip(model.tooltip);
    // Facts the menu does not show (socket samples every few seconds) must not rebuild it: on
    // Linux that would close or flicker a menu the user has open.
    const items = JSON.stringify(model.items);
    if (items === shownItems) return;
    shownItems = items;
    tray.setContextMenu(Menu.buildFromTemplate(model.items.map(template)));
  };
  render(options.status());
  const unsubscribe = options.onStatus(render);
  const unsubscribeUpdate = options.onUpdate(() => render(options.status()));
  // Windows and macOS deliver clicks on the icon itself; Linux may not, hence the menu item.
  tray.on('click', run('open-dashboard'));
  const tooltipTimer = setInterval(() => tray.setToolTip(trayTooltip(options.status(), Date.now(), options.context())), TOOLTIP_REFRESH_MS);
  tooltipTimer.unref();

  return {
    refresh: () => render(options.status()),
    destroy() {
      clearInterval(tooltipTimer);
      unsubscribe();
      unsubscribeUpdate();
      tray.destroy();
    },
  };
}
