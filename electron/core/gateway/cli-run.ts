// Runs one command of the user's OpenClaw CLI (`openclaw dashboard --json`, `openclaw gateway
// restart`) with the program's own Node and the gateway's environment. Its output is returned,
// never logged: it can carry one-time secrets.
import { execFile } from 'node:child_process';
import type { LaunchSpec } from '../launcher/types';

export interface CliResult {
  code: number | null;
  stdout: string;
  /** The first line of the failure, when it did not exit 0. */
  error?: string;
}

export function runOpenClawCli(spec: LaunchSpec, timeoutMs: number): Promise<CliResult> {
  // Without a Node of its own, the launcher's runtime runs it; under Electron that is Electron as Node.
  const command = spec.execPath ?? process.execPath;
  const env = spec.execPath ? spec.env : { ...spec.env, ELECTRON_RUN_AS_NODE: '1' };
  return new Promise((resolve) => {
    execFile(
      command,
      [spec.file, ...spec.args],
      { env, cwd: spec.cwd, timeout: timeoutMs, windowsHide: true, maxBuffer: 1 << 20 },
      (error, stdout) => {
        const code = error ? (typeof error.code === 'number' ? error.code : null) : 0;
        resolve({ code, stdout: String(stdout), ...(error ? { error: error.message.split('\n')[0] } : {}) });
      },
    );
  });
}
