// Runs `npm install` in the gateway folder with a chosen Node: npm's own CLI file is run by that
// Node directly, so no shell is needed (npm.cmd on Windows) and lifecycle scripts see it first.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

export const NPM_INSTALL_ARGS = ['install', '--no-audit', '--no-fund', '--omit=dev'];

/** npm-cli.js: the one running this script (`npm run`), else the one installed beside this Node. */
export function findNpmCli(env: Readonly<Record<string, string | undefined>>, execPath: string, platform: string): string {
  const candidates = [
    env.npm_execpath && /npm-cli\.c?js$/.test(env.npm_execpath) ? env.npm_execpath : undefined,
    platform === 'win32'
      ? path.join(path.dirname(execPath), 'node_modules', 'npm', 'bin', 'npm-cli.js')
      : path.join(path.dirname(path.dirname(execPath)), 'lib', 'node_modules', 'npm', 'bin', 'npm-cli.js'),
  ];
  const found = candidates.find((file) => file && fs.existsSync(file));
  if (!found) throw new Error('npm was not found (run this through `npm run gateway:openclaw`)');
  return found;
}

/** PATH with `dir` first, whatever the variable's case (Path on Windows). */
export function withPathFirst(env: Readonly<Record<string, string | undefined>>, dir: string): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [name, value] of Object.entries(env)) if (value !== undefined) result[name] = value;
  const key = Object.keys(result).find((name) => name.toUpperCase() === 'PATH') ?? 'PATH';
  result[key] = [dir, result[key]].filter(Boolean).join(path.delimiter);
  return result;
}

/** npm's flags that make it install the platform packages of another target (npm ≥ 10). */
export function npmTargetArgs(target: { platform: string; arch: string } | undefined): string[] {
  if (!target) return [];
  return [`--os=${target.platform}`, `--cpu=${target.arch}`, ...(target.platform === 'linux' ? ['--libc=glibc'] : [])];
}

export function runNpmInstall(options: { cwd: string; node: string; npmCli: string; env: NodeJS.ProcessEnv; extraArgs?: string[] }): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(options.node, [options.npmCli, ...NPM_INSTALL_ARGS, ...(options.extraArgs ?? [])], {
      cwd: options.cwd,
      env: options.env,
      stdio: 'inherit',
    });
    child.once('error', reject);
    child.once('exit', (code, signal) => {
      if (code === 0) resolve();
      else reject(new Error(`npm install failed in ${options.cwd} (${signal ?? `exit ${code}`})`));
    });
  });
}
