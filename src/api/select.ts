// Picks the API the page talks to: the Electron preload bridge when it exists, otherwise the
// headless twin on the page's own origin. Never a direct connection to the gateway.
import type { PincerApi } from '../../electron/core/api';
import { HttpBridge } from './http-bridge';
import { fromPreload } from './preload-bridge';
import { takeToken } from './token';
import type { DashboardApi } from './types';

/** Returns undefined when the page runs headless without a token: it must show the sign-in help. */
export function selectApi(win: Window & { pincer?: PincerApi }): DashboardApi | undefined {
  if (win.pincer) return fromPreload(win.pincer);
  const token = takeToken({ location: win.location, history: win.history, storage: win.sessionStorage });
  return token ? new HttpBridge({ baseUrl: win.location.origin, token }) : undefined;
}
