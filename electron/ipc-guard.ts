// Who may call the main process. Pure (no Electron): the sender check that ipc.ts applies to
// every invoke before the API table (which checks the payload) runs.

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
