// Types for scripts/update-feed.mjs.
export function updateFeed(env: Readonly<Record<string, string | undefined>>): string | undefined;
export function builderConfigOverrides(env: Readonly<Record<string, string | undefined>>): { publish?: null };
