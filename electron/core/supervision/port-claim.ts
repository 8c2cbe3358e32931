// The ports a start needs: the public port (free → Pincer's front door listens on it when enabled;
// a healthy gateway → attach) and, behind the door, an internal port per generation. Every claim
// goes through the port gate, reclaiming Pincer's own orphans first.
import { describeOwner, gatewayError, StartFailure } from '../errors';
import { createFrontDoor, FrontDoorListenError, type FrontDoor } from '../frontdoor';
import { gatePort } from '../gate';
import type { PortVerdict } from '../policy/port-verdict';
import { pickFreePort } from '../port/free-port';
import { findPortOwner } from '../port/owner';
import type { SupervisionContext } from './context';
import { reclaimOrphan } from './orphan';

export class PortClaims {
  /** Pincer's listener on the public port, when the front door is on. */
  private current?: FrontDoor;

  constructor(
    private readonly context: SupervisionContext,
    /** The pids of the generations this run owns: recorded, but not orphans. */
    private readonly ownPids: () => number[],
  ) {}

  get door(): FrontDoor | undefined {
    return this.current;
  }

  /**
   * What the next generation gets: the port to listen on — behind the door an internal one of its
   * own (the door keeps the public one across restarts), without it the public one — or the
   * healthy gateway already on the public port, to attach to.
   */
  async claimForStart(
    publicPort: number,
    frontDoor: boolean,
    isCurrent: () => boolean,
  ): Promise<{ kind: 'attach'; pid?: number } | { kind: 'spawn'; port: number }> {
    const kept = frontDoor && this.current?.status().listenPort === publicPort;
    const verdict = kept ? undefined : await this.claimPublicPort(publicPort, frontDoor, isCurrent);
    if (verdict?.kind === 'attach') return { kind: 'attach', pid: verdict.pid };
    if (!this.current || !isCurrent()) return { kind: 'spawn', port: publicPort };
    return { kind: 'spawn', port: await this.claimInternalPort(isCurrent) };
  }

  /**
   * Makes the public port ours: free (then the door listens on it when enabled), or a healthy
   * gateway to attach to. Anything else holding it is an error naming the holder.
   */
  private async claimPublicPort(port: number, frontDoor: boolean, isCurrent: () => boolean): Promise<PortVerdict> {
    await this.closeDoor();
    const verdict = await this.gateWithReclaim(port, isCurrent);
    if (verdict.kind === 'free' && frontDoor && isCurrent()) await this.openDoor(port);
    return verdict;
  }

  private async claimInternalPort(isCurrent: () => boolean): Promise<number> {
    const port = await pickFreePort();
    await this.gateWithReclaim(port, isCurrent);
    return port;
  }

  /** The port gate, reclaiming Pincer's own orphans first; throws for a port someone else holds. */
  private async gateWithReclaim(port: number, isCurrent: () => boolean): Promise<PortVerdict> {
    let verdict = await this.gate(port);
    // A Pincer that died mid blue/green leaves two generations behind: reclaim each orphan once;
    // one that is still named after its reclaim would not exit.
    const reclaimed = new Set<number>();
    while (verdict.kind === 'reclaim' && !reclaimed.has(verdict.pid)) {
      reclaimed.add(verdict.pid);
      this.context.log('warn', `reclaiming pid ${verdict.pid}: Pincer's own gateway from a previous run is still running`);
      await reclaimOrphan(verdict.pid, this.context.timeouts.reclaimMs).catch(() => undefined); // the next gate tells
      if (!isCurrent()) return verdict;
      verdict = await this.gate(port);
    }
    switch (verdict.kind) {
      case 'in-use':
        throw new StartFailure(
          gatewayError('PORT_IN_USE', `Port ${port} is in use by ${describeOwner(verdict.owner)}.`, { portOwner: verdict.owner }),
        );
      case 'hung':
        throw new StartFailure(
          gatewayError('PORT_HUNG', `Port ${port} is held by ${describeOwner(verdict.owner)}, which does not answer.`, { portOwner: verdict.owner }),
        );
      case 'reclaim':
        throw new StartFailure(gatewayError('PORT_IN_USE', `Pincer's previous gateway (pid ${verdict.pid}) would not exit.`));
      default:
        return verdict;
    }
  }

  private gate(port: number): Promise<PortVerdict> {
    const { options, timeouts } = this.context;
    return gatePort({ port, dataDir: options.dataDir, answerTimeoutMs: timeouts.answerMs, ownPids: this.ownPids() });
  }

  private async openDoor(port: number): Promise<void> {
    const { options, log } = this.context;
    const door = createFrontDoor({ port, allowedOrigins: () => options.settings().allowedOrigins, log });
    try {
      await door.listen();
    } catch (error) {
      await door.close();
      if (!(error instanceof FrontDoorListenError)) throw error;
      // Taken between the gate and the listen: name the holder like the gate would.
      const owner = await findPortOwner(port);
      throw new StartFailure(gatewayError('PORT_IN_USE', `${error.message} Held by ${describeOwner(owner)}.`, { portOwner: owner }));
    }
    this.current = door;
    this.refresh();
  }

  async closeDoor(): Promise<void> {
    const door = this.current;
    if (!door) return;
    this.current = undefined;
    await door.close();
    this.refresh();
  }

  /** Puts the door's counters into the status (on switches, and when the service samples). */
  refresh(): void {
    const door = this.current;
    const { model } = this.context;
    if (!door) {
      if (model.current.frontDoor) model.update({ frontDoor: undefined });
      return;
    }
    const { listenPort, internalPort, heldConnections, pipedConnections, refusedOrigins } = door.status();
    model.update({ frontDoor: { enabled: true, listenPort, internalPort, heldConnections, pipedConnections, refusedOrigins } });
  }
}
