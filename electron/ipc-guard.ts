// Who may call the main process and with what. Pure (no Electron): the sender check and the
// payload checks that ipc.ts applies to every invoke before any handler runs.
import type { InvokeMethod } from './ipc-channels';

/** The largest settings patch accepted (the headless API has the same limit for its bodies). */
export const MAX_PATCH_BYTES = 64 * 1024;

export class IpcRefusedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'IpcRefusedError';
  }
}

/** What ipc.ts knows about an invoke's sender. */
export interface SenderFacts {
  /** The sender is the dashboard window's own webContents. */
  isOurWebContents: boolean;
  /** The sending frame's URL (undefined when the frame is gone). */
  frameUrl: string | undefined;
  /** The sending frame is the top frame (not an iframe). */
  isMainFrame: boolean;
}

/** The URL without query and fragment: what identifies the page. */
function pageOf(url: string): string | undefined {
  try {
    const parsed = new URL(url);
    return `${parsed.protocol}//${parsed.host}${parsed.pathname}`;
  } catch {
    return undefined;
  }
}

/** Why the sender is refused, or undefined when it is the app's own page in our window. */
export function senderProblem(sender: SenderFacts, appPageUrl: string): string | undefined {
  if (!sender.isOurWebContents) return 'the sender is not the Pincer window';
  if (sender.frameUrl === undefined) return 'the sending frame is gone';
  if (!sender.isMainFrame) return 'the sender is a sub-frame';
  if (pageOf(sender.frameUrl) !== pageOf(appPageUrl)) return `the sender page ${JSON.stringify(sender.frameUrl)} is not the Pincer dashboard`;
  return undefined;
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/**
 * Checks the arguments of an invoke: updateSettings takes one plain-object patch of bounded size
 * (its fields are validated by the core); every other method takes none.
 */
export function argsProblem(method: InvokeMethod, args: readonly unknown[]): string | undefined {
  if (method !== 'updateSettings') return args.length === 0 ? undefined : `${method} takes no arguments`;
  if (args.length !== 1) return 'updateSettings takes exactly one argument: the settings patch';
  const [patch] = args;
  if (!isPlainObject(patch)) return 'the settings patch must be a plain object of setting: value';
  let size: number;
  try {
    size = JSON.stringify(patch).length;
  } catch {
    return 'the settings patch must be plain JSON data';
  }
  if (size > MAX_PATCH_BYTES) return `the settings patch is larger than ${MAX_PATCH_BYTES} bytes`;
  return undefined;
}
