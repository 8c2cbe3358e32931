// electron-builder's own command line (same arguments: `--linux dir`, `--mac --arm64`, `-c.x=y`),
// with this build's settings applied first (scripts/update-feed.mjs). `npm run dist` and
// `npm run pack:check` run electron-builder through it.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, configureBuildCommand, createYargs } from 'electron-builder/out/builder.js';
import { builderConfigOverrides, updateFeed } from './update-feed.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

try {
  const args = configureBuildCommand(createYargs()).parseSync(process.argv.slice(2));
  const feed = updateFeed(process.env);
  process.stdout.write(
    feed
      ? `electron-builder: update feed ${feed}\n`
      : 'electron-builder: no update feed (PINCER_UPDATE_FEED unset): the app will not check for updates\n',
  );
  args.config = { ...(typeof args.config === 'object' ? args.config : {}), ...builderConfigOverrides(process.env) };
  args.projectDir = root;
  await build(args);
} catch (error) {
  process.stderr.write(`electron-builder: ${error.stack ?? error.message}\n`);
  process.exitCode = 1;
}
