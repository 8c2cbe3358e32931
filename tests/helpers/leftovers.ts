// Makes a port that only has TIME_WAIT / FIN_WAIT2 leftovers — for real, the way a force-killed
// gateway leaves it (seed 000), with the chaos driver's maker: a server closes its connections
// first, then dies by kill -9. No listener is left; the stale clients (keeping FIN_WAIT2) live in
// this process until release().
import { localStates, makeLeftovers as makeOn, type Leftovers as Made } from '../../scripts/chaos/port-holders';
import { freePort } from './ports';

export { localStates };

export interface Leftovers extends Made {
  port: number;
}

export async function makeLeftovers({
  port,
  timeWait = 3,
  finWait2 = 3,
}: { port?: number; timeWait?: number; finWait2?: number } = {}): Promise<Leftovers> {
  const target = port ?? (await freePort());
  const made = await makeOn(target, timeWait, finWait2);
  if ('failed' in made) throw new Error(`could not make TIME_WAIT / FIN_WAIT2 leftovers on port ${target}: ${made.failed}`);
  return { port: target, ...made };
}
