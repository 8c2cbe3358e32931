// The update feed is a build-time setting: PINCER_UPDATE_FEED, the URL of a generic
// electron-updater feed (a folder holding latest.yml, latest-mac.yml, latest-linux.yml and the
// artifacts). electron-builder.yml's publish block names it; without it the build writes no
// resources/app-update.yml, and the app never checks.

/** The feed URL from the environment, undefined when unset; throws on anything but an http(s) URL. */
export function updateFeed(env) {
  const value = env.PINCER_UPDATE_FEED?.trim();
  if (!value) return undefined;
  let url;
  try {
    url = new URL(value);
  } catch {
    throw new Error(`PINCER_UPDATE_FEED is not a URL: ${JSON.stringify(value)}`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new Error(`PINCER_UPDATE_FEED must be an https:// URL, got ${url.protocol}`);
  return url.href;
}

/** What electron-builder's configuration needs on top of electron-builder.yml for this build. */
export function builderConfigOverrides(env) {
  // No feed: drop the publish block, whose ${env.PINCER_UPDATE_FEED} could not be expanded.
  return updateFeed(env) ? {} : { publish: null };
}
