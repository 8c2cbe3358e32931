import { describe, expect, it } from 'vitest';
import { frontDoorFacts, gatewayFacts, glance, uptimeMs } from '../../src/logic/facts';
import { status } from './fixtures';

const now = 10_000_000;

describe('uptimeMs', () => {
  it.each([
    [{ state: 'running' as const, startedAt: now - 65_000, at: now - 60_000 }, 65_000],
    // Without startedAt: the snapshot's uptime plus the time since the snapshot.
    [{ state: 'running' as const, uptimeMs: 5_000, at: now - 2_000 }, 7_000],
    [{ state: 'running' as const, at: now }, undefined],
    [{ state: 'starting' as const, startedAt: now - 1_000, at: now }, undefined],
    [{ state: 'error' as const, startedAt: now - 1_000, at: now }, undefined],
  ])('%j → %s', (partial, expected) => {
    expect(uptimeMs(partial, now)).toBe(expected);
  });
});

describe('gatewayFacts', () => {
  const byId = (s: Parameters<typeof gatewayFacts>[0]) => Object.fromEntries(gatewayFacts(s, now).map((f) => [f.id, f]));

  it('shows kind, source, version, pid, port, ticking uptime, counters, last exit and last start time', () => {
    const facts = byId(
      status({
        pid: 4242,
        port: 28790,
        startedAt: now - (2 * 3600 + 14 * 60 + 5) * 1000,
        restarts: 3,
        reconnectAttempts: 1,
        bootIdChanges: 2,
        lastExit: { code: null, signal: 'SIGKILL', at: now - 5 * 60_000 },
        gateway: { kind: 'openclaw', source: 'cache', version: '2026.9.6' },
        phaseTimings: { 'probing-port': 10, spawning: 40, 'waiting-ready': 5_000, connecting: 50 },
      }),
    );
    expect(facts['gateway-kind']).toMatchObject({ value: 'OpenClaw', detail: 'dev cache' });
    expect(facts['gateway-version']!.value).toBe('2026.9.6');
    expect(facts.pid!.value).toBe('4242');
    expect(facts.port!.value).toBe('28790');
    expect(facts.uptime!.value).toBe('2h 14m 05s');
    expect(facts.restarts!.value).toBe('3');
    expect(facts['reconnect-attempts']!.value).toBe('1');
    expect(facts['boot-id-changes']!.value).toBe('2');
    expect(facts['last-exit']).toMatchObject({ value: 'killed by SIGKILL', detail: '5 min ago' });
    expect(facts['last-start']!.value).toBe('5.1 s');
  });

  it('shows dashes for what is not known', () => {
    const facts = byId(status({ state: 'stopped' }));
    expect(facts['gateway-kind']).toMatchObject({ value: 'Reference gateway', detail: undefined });
    for (const id of ['gateway-version', 'pid', 'uptime', 'last-exit', 'last-start']) expect(facts[id]!.value).toBe('—');
  });
});

describe('glance', () => {
  it('sums up a running gateway in a few words', () => {
    expect(glance(status({ pid: 7, startedAt: now - 65_000, restarts: 1, gateway: { kind: 'openclaw', version: '2026.9.6' } }), now)).toEqual([
      'OpenClaw 2026.9.6',
      'PID 7',
      'up 1m 05s',
      '1 restart',
    ]);
  });

  it('leaves out what a stopped gateway does not have', () => {
    expect(glance(status({ state: 'stopped', restarts: 2 }), now)).toEqual(['Reference gateway', '2 restarts']);
  });
});

it('frontDoorFacts lists ports and connection counts', () => {
  const facts = frontDoorFacts({ enabled: true, listenPort: 28789, internalPort: 41733, heldConnections: 3, pipedConnections: 4, refusedOrigins: 1 });
  expect(facts.map((f) => [f.id, f.value])).toEqual([
    ['fd-listen-port', '28789'],
    ['fd-internal-port', '41733'],
    ['fd-piped', '4'],
    ['fd-held', '3'],
    ['fd-refused', '1'],
  ]);
});
