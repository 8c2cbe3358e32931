// The "Where the gateway comes from" card: resolution order, fallback reason, config and sign-in,
// the onboarding notice, external gateways, installed services, the front door, restart kinds.
import { describe, expect, it } from 'vitest';
import { openclawModel } from '../../src/logic/openclaw';
import { status } from './fixtures';

const userInstall = {
  kind: 'openclaw' as const,
  source: 'user' as const,
  version: '2026.9.6',
  path: '/home/u/.npm-global/lib/node_modules/openclaw',
  via: 'PATH',
  node: { path: '/usr/bin/node', version: '24.21.0' },
  candidates: [
    { source: 'bundled' as const, path: '/opt/Pincer/resources/openclaw', note: 'not installed here' },
    { source: 'user' as const, path: '/home/u/.npm-global/lib/node_modules/openclaw', version: '2026.9.6', via: 'PATH', chosen: true },
  ],
  config: { file: '/home/u/.openclaw/openclaw.json', exists: true, configured: true },
  auth: 'token' as const,
};

const ids = (model: ReturnType<typeof openclawModel>) => model.lines.map((line) => line.id);

describe('the OpenClaw card', () => {
  it('lists the resolution order with paths and versions, the chosen one marked', () => {
    const model = openclawModel(status({ gateway: userInstall }));
    expect(model.candidates).toEqual([
      { label: 'Bundled with Pincer', detail: '/opt/Pincer/resources/openclaw — not installed here', chosen: false },
      { label: 'Your install', detail: '2026.9.6 · found via PATH · /home/u/.npm-global/lib/node_modules/openclaw', chosen: true },
    ]);
    expect(ids(model)).toEqual(['node', 'config', 'auth']);
    expect(model.lines.find((line) => line.id === 'auth')!.text).toContain('adds no token of its own');
    expect(model.controlUiUnavailable).toBe('');
  });

  it('says why the reference gateway runs', () => {
    const model = openclawModel(status({ gateway: { kind: 'reference', fallbackReason: 'No OpenClaw found (…).', candidates: [{ source: 'reference', chosen: true }] } }));
    expect(model.lines[0]).toMatchObject({ id: 'fallback', tone: 'warn', text: 'No OpenClaw found (…).' });
    expect(model.controlUiUnavailable).toMatch(/no Control UI/);
  });

  it('an unconfigured OpenClaw points at `openclaw onboard`', () => {
    const model = openclawModel(status({ gateway: { ...userInstall, auth: 'pincer-token', config: { file: '/x/openclaw.json', exists: false, configured: false } } }));
    expect(model.lines.find((line) => line.id === 'unconfigured')).toMatchObject({ tone: 'warn', code: 'openclaw onboard' });
  });

  it('an external gateway: who runs it and why Stop is disabled', () => {
    const model = openclawModel(
      status({
        attached: true,
        gateway: userInstall,
        external: { pid: 4242, manager: 'systemd', unit: 'openclaw-gateway.service', restart: { how: 'service' }, stop: { disabled: 'use `openclaw gateway stop`' } },
      }),
    );
    expect(model.lines.find((line) => line.id === 'external')!.text).toBe(
      'External gateway, pid 4242, run by systemd (openclaw-gateway.service). Pincer watches it but never kills it.',
    );
    expect(model.lines.find((line) => line.id === 'external-stop')!.text).toContain('openclaw gateway stop');
    expect(model.fullRestartUnavailable).toMatch(/did not start/);
  });

  it('installed services, the front door and the last restart’s kind', () => {
    const model = openclawModel(
      status({
        gateway: userInstall,
        services: [{ manager: 'systemd', file: '/home/u/.config/systemd/user/openclaw-gateway.service' }],
        frontDoor: { enabled: true, listenPort: 28789, internalPort: 40123, heldConnections: 0, pipedConnections: 3, refusedOrigins: 0 },
        lastRestart: { kind: 'in-process', at: 1, durationMs: 2_300 },
      }),
    );
    expect(ids(model)).toEqual(['node', 'config', 'auth', 'service-systemd', 'front-door', 'last-restart']);
    expect(model.lines.find((line) => line.id === 'front-door')!.text).toContain('internal port 40123');
    expect(model.lines.find((line) => line.id === 'last-restart')!.text).toBe('Last restart: in-process (same process, OpenClaw restarted itself) in 2.3 s.');
  });

  it.each([
    ['running', ''],
    ['starting', 'The gateway is starting.'],
  ] as const)('Control UI when %s', (state, reason) => {
    expect(openclawModel(status({ state, gateway: userInstall })).controlUiUnavailable).toBe(reason);
  });
});

describe('a port other than the config’s', () => {
  it('warns that the user’s CLI looks elsewhere', () => {
    const model = openclawModel(status({ port: 28789, gateway: { ...userInstall, config: { ...userInstall.config, port: 19011 } } }));
    expect(model.lines.find((line) => line.id === 'port-mismatch')).toMatchObject({ tone: 'warn', text: expect.stringContaining('config says port 19011') });
  });
});
