// "Open Control UI": the gateway's own web UI, authenticated the way `openclaw dashboard` does it.
// Pincer runs the user's own `openclaw dashboard --json`, which issues a one-time, ten-minute
// bootstrap and answers with a browserUrl carrying it in the URL fragment (never the gateway token,
// never in a query string). The URL is handed to the browser only: never logged.
import { execFile } from 'node:child_process';
import type { LaunchSpec } from '../launcher/types';

export class ControlUiError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ControlUiError';
  }
}

/** Pure: the browserUrl from `openclaw dashboard --json` output, checked to be a loopback http(s) page. */
export function readDashboardJson(stdout: string): string {
  const line = stdout
    .split(/\r?\n/)
    .map((each) => each.trim())
    .reverse()
    .find((each) => each.startsWith('{') && each.endsWith('}'));
  if (!line) throw new ControlUiError('`openclaw dashboard --json` printed no answer.');
  let answer: { ok?: unknown; browserUrl?: unknown; reason?: unknown };
  try {
    answer = JSON.parse(line) as typeof answer;
  } catch {
    throw new ControlUiError('`openclaw dashboard --json` printed something that is not JSON.');
  }
  if (answer.ok !== true) throw new ControlUiError(`OpenClaw could not open its Control UI: ${typeof answer.reason === 'string' ? answer.reason : 'no reason given'}.`);
  if (typeof answer.browserUrl !== 'string') throw new ControlUiError('`openclaw dashboard --json` gave no browserUrl.');
  let url: URL;
  try {
    url = new URL(answer.browserUrl);
  } catch {
    throw new ControlUiError('`openclaw dashboard --json` gave an unusable browserUrl.');
  }
  const loopback = ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname);
  if (!loopback || (url.protocol !== 'http:' && url.protocol !== 'https:') || url.search !== '') {
    throw new ControlUiError(`The Control UI link does not point at this machine's gateway (${url.protocol}//${url.host}).`);
  }
  return url.href;
}

/** Runs `openclaw dashboard --json` (spec from the program) and returns the one-time browser link. */
export function controlUiLink(spec: LaunchSpec, timeoutMs = 60_000): Promise<string> {
  // Without a Node of its own, the launcher's runtime runs it; under Electron that is Electron as Node.
  const command = spec.execPath ?? process.execPath;
  const env = spec.execPath ? spec.env : { ...spec.env, ELECTRON_RUN_AS_NODE: '1' };
  return new Promise((resolve, reject) => {
    execFile(command, [spec.file, ...spec.args], { env, cwd: spec.cwd, timeout: timeoutMs, windowsHide: true, maxBuffer: 1 << 20 }, (error, stdout) => {
      try {
        resolve(readDashboardJson(String(stdout)));
      } catch (problem) {
        // Its own JSON answer (ok:false + reason) says more than an exit code.
        reject(error && !String(stdout).includes('{') ? new ControlUiError(`\`openclaw dashboard --json\` failed: ${error.message.split('\n')[0]}`) : problem);
      }
    });
  });
}
