// Builds dist/ (headless twin, reference gateway, dashboard, shell) once per test process.
let building: Promise<void> | undefined;

export function buildAll(): Promise<void> {
  building ??= (async () => {
    // @ts-expect-error -- plain ESM build script without type declarations
    const { buildAll: build } = await import('../../scripts/build.mjs');
    await build({ quiet: true });
  })();
  return building;
}
