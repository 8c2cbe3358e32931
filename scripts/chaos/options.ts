// The chaos command line. Pure: argv in, options or a usage error out.
import { parseArgs } from 'node:util';
import { DEFAULT_WEIGHTS, parseWeights, weightsFor, type Weights } from './schedule';

export const USAGE = `Usage: npm run chaos -- --faults N --seed S [options]
  --faults N            how many random faults to inject (default 60)
  --seed S              seed of the fault schedule (default 1)
  --gateway KIND        reference | openclaw (default reference; openclaw skips the PINCER_REFGW_* faults)
  --openclaw DIR        an OpenClaw install dir, passed to the twin (with --gateway openclaw)
  --weights k=w,...     fault weights, e.g. kill9=5,twin-kill9=0 (kinds: see scripts/chaos/schedule.ts)
  --json-only           print only the summary line
Exit code 1 when any invariant was violated.`;

export interface ChaosOptions {
  help: boolean;
  faults: number;
  seed: number;
  gateway: 'reference' | 'openclaw';
  openclawDir?: string;
  weights: Weights;
  jsonOnly: boolean;
}

export class UsageError extends Error {}

function wholeNumber(name: string, raw: string, max: number): number {
  if (!/^\d+$/.test(raw) || Number(raw) > max) throw new UsageError(`--${name} must be a whole number from 0 to ${max}, got "${raw}"`);
  return Number(raw);
}

export function parseChaosArgs(argv: readonly string[]): ChaosOptions {
  let values;
  try {
    values = parseArgs({
      args: [...argv],
      options: {
        faults: { type: 'string', default: '60' },
        seed: { type: 'string', default: '1' },
        gateway: { type: 'string', default: 'reference' },
        openclaw: { type: 'string' },
        weights: { type: 'string', default: '' },
        'json-only': { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
      strict: true,
      allowPositionals: false,
    }).values;
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const gateway = values.gateway;
  if (gateway !== 'reference' && gateway !== 'openclaw') throw new UsageError(`--gateway must be reference or openclaw, got "${gateway}"`);
  if (values.openclaw !== undefined && gateway !== 'openclaw') throw new UsageError('--openclaw needs --gateway openclaw');
  let weights: Weights;
  try {
    weights = weightsFor(gateway, parseWeights(values.weights ?? '', DEFAULT_WEIGHTS));
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  if (Object.values(weights).every((weight) => weight === 0))
    throw new UsageError(`no fault kind left with a weight above 0 for --gateway ${gateway}`);
  return {
    help: values.help ?? false,
    faults: wholeNumber('faults', values.faults ?? '', 100_000),
    seed: wholeNumber('seed', values.seed ?? '', 2 ** 32 - 1),
    gateway,
    openclawDir: values.openclaw,
    weights,
    jsonOnly: values['json-only'] ?? false,
  };
}
