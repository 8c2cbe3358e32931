// Runs a system tool (ss, lsof, ps, netstat, tasklist, taskkill, powershell) for best-effort
// lookups: no shell, hidden window, bounded time and output.
import { execFile } from 'node:child_process';

const DEFAULT_TIMEOUT_MS = 5_000;
const MAX_OUTPUT_BYTES = 16 * 1024 * 1024;

export interface ToolResult {
  /** Null when the tool was killed (timeout). */
  exitCode: number | null;
  stdout: string;
}

/**
 * Runs `file args` and resolves with its exit code and stdout — also for a non-zero exit
 * (lsof exits 1 when nothing matches). Resolves undefined when the tool could not run at all
 * (not installed, timed out, output past the cap).
 */
export function runTool(
  file: string,
  args: string[],
  { timeoutMs = DEFAULT_TIMEOUT_MS }: { timeoutMs?: number } = {},
): Promise<ToolResult | undefined> {
  return new Promise((resolve) => {
    execFile(file, args, { encoding: 'utf8', timeout: timeoutMs, maxBuffer: MAX_OUTPUT_BYTES, windowsHide: true }, (error, stdout) => {
      if (!error) return resolve({ exitCode: 0, stdout });
      const { code, killed } = error as NodeJS.ErrnoException & { killed?: boolean };
      if (typeof code === 'number' && !killed) return resolve({ exitCode: code, stdout });
      resolve(undefined);
    });
  });
}

/** Runs a PowerShell command (Windows only) and resolves with its stdout, or undefined. */
export async function runPowerShell(command: string): Promise<string | undefined> {
  const result = await runTool('powershell.exe', ['-NoProfile', '-NonInteractive', '-Command', command], { timeoutMs: 15_000 });
  return result?.exitCode === 0 ? result.stdout : undefined;
}
