// Types for scripts/bundle-check.mjs (electron-builder loads the .mjs itself).
export function bundleProblem(facts: {
  dir: string;
  manifest: { node?: string } | undefined;
  runtimeName: string;
  nodeExists: boolean;
}): string | undefined;
export function beforePack(context: { electronPlatformName: string; arch: number }): Promise<void>;
