// The payload checks every PincerApi call goes through before its handler runs, whichever way
// it came (IPC or HTTP). Pure.
import type { ApiMethod } from './api';

/** The largest settings patch accepted (the HTTP API has the same limit for its bodies). */
export const MAX_PATCH_BYTES = 64 * 1024;

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/**
 * Checks the arguments of a call: updateSettings takes one plain-object patch of bounded size
 * (its fields are validated by the core); every other method takes none.
 */
export function argsProblem(method: ApiMethod, args: readonly unknown[]): string | undefined {
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
