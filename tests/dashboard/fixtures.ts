// A complete GatewayStatus to derive test cases from.
import type { GatewayStatus } from '../../electron/core/status';

export function status(overrides: Partial<GatewayStatus> = {}): GatewayStatus {
  return {
    state: 'running',
    phaseTimings: {},
    port: 28789,
    attached: false,
    restarts: 0,
    reconnectAttempts: 0,
    bootIdChanges: 0,
    warnings: [],
    stderrTail: [],
    gateway: { kind: 'reference' },
    at: 1_000_000,
    ...overrides,
  };
}
