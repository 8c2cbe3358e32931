// `npm run bench`: every benchmark, one after another, each printing figures measured side by
// side in the same run. Targets are in the labels; ratios beat absolute numbers on noisy machines.
import { benchConnection } from './connection';
import { benchFrontDoor } from './frontdoor';
import { benchSupervisor } from './supervisor';
import type { BenchResult } from './stats';

const SUITES: Array<[string, () => Promise<BenchResult>]> = [
  ['supervisor (issue 2)', benchSupervisor],
  ['connection (issue 3)', benchConnection],
  ['front door (issue 7)', () => benchFrontDoor()],
];

const only = process.argv.slice(2);
for (const [name, run] of SUITES) {
  if (only.length > 0 && !only.some((word) => name.includes(word))) continue;
  const started = Date.now();
  const result = await run();
  console.log(`\n## ${name} — ${Math.round((Date.now() - started) / 1000)} s`);
  for (const [label, value] of Object.entries(result)) console.log(`  ${label}: ${value}`);
}
