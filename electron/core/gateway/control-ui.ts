// "Open Control UI": the gateway's own web UI, authenticated the way `openclaw dashboard` does it.
// Pincer runs the user's own `openclaw dashboard --json`, which issues a one-time, ten-minute
// bootstrap and answers with a browserUrl carrying it in the URL fragment (never the gateway token,
// never in a query string). The URL is handed to the browser only: never logged.
import type { LaunchSpec } from '../launcher/types';
import { runOpenClawCli } from './cli-run';

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
  if (answer.ok !== true)
    throw new ControlUiError(`OpenClaw could not open its Control UI: ${typeof answer.reason === 'string' ? answer.reason : 'no reason given'}.`);
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
export async function controlUiLink(spec: LaunchSpec, timeoutMs = 60_000): Promise<string> {
  const result = await runOpenClawCli(spec, timeoutMs);
  // Its own JSON answer (ok:false + reason) says more than an exit code.
  if (result.error && !result.stdout.includes('{')) throw new ControlUiError(`\`openclaw dashboard --json\` failed: ${result.error}`);
  return readDashboardJson(result.stdout);
}
