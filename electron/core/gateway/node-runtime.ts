// The Node runtime an OpenClaw install runs with, checked against its package's `engines.node`
// before anything starts: too old is a clear error, not a gateway that dies at its first import.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import { parseVersion, satisfies } from './engines';

const versions = new Map<string, { stamp: string; version: string | undefined }>();

/** `node --version` of a runtime (cached per file and mtime: this runs before every start). */
export function nodeVersion(node: string): string | undefined {
  const stat = fs.statSync(node, { throwIfNoEntry: false });
  if (!stat) return undefined;
  const stamp = `${stat.mtimeMs}:${stat.size}`;
  const cached = versions.get(node);
  if (cached?.stamp === stamp) return cached.version;
  let version: string | undefined;
  try {
    version = execFileSync(node, ['--version'], { encoding: 'utf8', timeout: 10_000, windowsHide: true, stdio: ['ignore', 'pipe', 'ignore'] })
      .trim()
      .replace(/^v/, '');
  } catch {
    version = undefined;
  }
  versions.set(node, { stamp, version });
  return version;
}

export type RuntimeVerdict = { ok: true } | { ok: false; message: string };

/** Pure: does this Node version meet the package's engines.node? The message names both and the fix. */
export function checkRuntime(input: {
  node: string;
  version: string | undefined;
  engines: string | undefined;
  packageVersion?: string;
}): RuntimeVerdict {
  const { node, version, engines } = input;
  const openclaw = `OpenClaw${input.packageVersion ? ` ${input.packageVersion}` : ''}`;
  if (version === undefined) {
    return {
      ok: false,
      message: `${openclaw} needs Node ${engines ?? ''}, but ${node} did not run (\`node --version\` failed). Install a supported Node, or set the Node path in settings.`,
    };
  }
  const parsed = parseVersion(version);
  if (parsed && satisfies(parsed, engines)) return { ok: true };
  return {
    ok: false,
    message: `${openclaw} needs Node ${engines}, but the Node it would run with (${node}) is ${version}. Install Node 24 (e.g. \`nvm install 24\`) or set a suitable Node in settings (nodePath).`,
  };
}
