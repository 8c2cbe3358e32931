// Builds what real-process tests run (reference gateway, headless twin, dashboard) once per run.
export default async function setup(): Promise<void> {
  // @ts-expect-error -- plain ESM build script without type declarations
  const { buildAll } = await import('../scripts/build.mjs');
  await buildAll({ renderer: true });
}
