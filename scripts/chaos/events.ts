// Records the twin's state changes from GET /api/events (server-sent events), stamped with the
// twin's own snapshot time, across twin restarts (attach() to each new one).
import { takeSseEvents } from '../../electron/core/sse-events';
import http from 'node:http';
import type { GatewayStatus } from '../../electron/core/status';
import type { StateMark } from './outages';

export class StateRecorder {
  readonly marks: StateMark[] = [];
  /** Internal ports the front door was seen to use, and public ports: every gateway port of the run. */
  readonly ports = new Set<number>();
  /** True once any status said the front door was on. */
  frontDoorSeen = false;
  private request?: http.ClientRequest;
  private lastState?: string;

  attach(port: number, token: string): void {
    this.detach();
    this.lastState = undefined;
    let buffer = '';
    const request = http.get({ host: '127.0.0.1', port, path: '/api/events', agent: false, headers: { authorization: `Bearer ${token}` } });
    request.on('response', (response) => {
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => {
        const { events, rest } = takeSseEvents(buffer + chunk);
        buffer = rest;
        for (const { event, data } of events) if (event === 'status') this.observe(JSON.parse(data) as GatewayStatus);
      });
      response.on('error', () => {});
    });
    // The twin may die (on purpose or not); the driver notices through its exit, not here.
    request.on('error', () => {});
    this.request = request;
  }

  detach(): void {
    this.request?.destroy();
    this.request = undefined;
  }

  /** Also fed by polled statuses, so a missed event cannot hide a state. */
  observe(status: GatewayStatus): void {
    this.ports.add(status.port);
    if (status.frontDoor?.enabled) {
      this.frontDoorSeen = true;
      if (status.frontDoor.internalPort !== undefined) this.ports.add(status.frontDoor.internalPort);
    }
    if (status.state === this.lastState) return;
    this.lastState = status.state;
    this.marks.push({ at: status.at, state: status.state });
  }
}
