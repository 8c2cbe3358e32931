// The "Where the gateway comes from" card: resolution order, fallback reason, config and sign-in,
// the onboarding notice, external gateways, installed services, the front door, restart kinds.
import { afterEach, describe, expect, it } from 'vitest';
import { CANDIDATE_NOT_INSTALLED } from '../../electron/core/status';
import { setLanguage } from '../../src/i18n';
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
    { source: 'bundled' as const, path: '/opt/Pincer/resources/openclaw', note: CANDIDATE_NOT_INSTALLED },
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
    const model = openclawModel(
      status({ gateway: { kind: 'reference', fallbackReason: 'No OpenClaw found (…).', candidates: [{ source: 'reference', chosen: true }] } }),
    );
    expect(model.lines[0]).toMatchObject({ id: 'fallback', tone: 'warn', text: 'No OpenClaw found (…).' });
    expect(model.controlUiUnavailable).toMatch(/no Control UI/);
  });

  it('an unconfigured OpenClaw points at `openclaw onboard`', () => {
    const model = openclawModel(
      status({ gateway: { ...userInstall, auth: 'pincer-token', config: { file: '/x/openclaw.json', exists: false, configured: false } } }),
    );
    expect(model.lines.find((line) => line.id === 'unconfigured')).toMatchObject({ tone: 'warn', code: 'openclaw onboard' });
  });

  it('an external gateway: who runs it and why Stop is disabled', () => {
    const model = openclawModel(
      status({
        attached: true,
        gateway: userInstall,
        external: {
          pid: 4242,
          manager: 'systemd',
          unit: 'openclaw-gateway.service',
          restart: { how: 'service' },
          stop: { disabled: 'use `openclaw gateway stop`', why: 'service' },
        },
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
    expect(model.lines.find((line) => line.id === 'last-restart')!.text).toBe(
      'Last restart: in-process (same process, OpenClaw restarted itself) in 2.3 s.',
    );
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
    expect(model.lines.find((line) => line.id === 'port-mismatch')).toMatchObject({
      tone: 'warn',
      text: expect.stringContaining('config says port 19011'),
    });
  });
});

describe('in Simplified Chinese', () => {
  afterEach(() => setLanguage('en'));

  it('the card speaks Chinese: resolution order, sign-in, external gateway, front door, last restart, buttons', () => {
    setLanguage('zh-CN');
    const model = openclawModel(
      status({
        state: 'starting',
        port: 28789,
        gateway: { ...userInstall, config: { ...userInstall.config, port: 19011 } },
        frontDoor: { enabled: true, listenPort: 28789, internalPort: 40123, heldConnections: 0, pipedConnections: 0, refusedOrigins: 0 },
        lastRestart: { kind: 'full', at: 1, durationMs: 1_500 },
      }),
    );
    expect(model.candidates).toEqual([
      { label: '随 Pincer 附带', detail: '/opt/Pincer/resources/openclaw — 此处未安装', chosen: false },
      { label: '你的安装', detail: '2026.9.6 · 通过 PATH 找到 · /home/u/.npm-global/lib/node_modules/openclaw', chosen: true },
    ]);
    const text = (id: string) => model.lines.find((line) => line.id === id)!.text;
    expect(text('config')).toBe('使用你的 OpenClaw 配置');
    expect(text('port-mismatch')).toContain('你的 OpenClaw 配置写的是端口 19011，但 Pincer 在端口 28789 上提供网关');
    expect(text('auth')).toBe('Pincer 用你配置中的网关令牌登录；Pincer 不会向网关添加它自己的令牌。');
    expect(text('front-door')).toContain('内部端口 40123 上的 OpenClaw');
    expect(text('last-restart')).toBe('上次重启：完全重启（新进程），用时 1.5 秒。');
    expect(model.controlUiUnavailable).toBe('网关启动中。');
    // No English sentence left; `commands` stay as they are typed.
    for (const line of model.lines) expect(line.text.replace(/`[^`]*`/g, ''), line.id).not.toMatch(/[A-Za-z]{3,} [a-z]{3,} [a-z]{3,}/);

    const attached = openclawModel(
      status({
        attached: true,
        gateway: userInstall,
        external: {
          pid: 4242,
          manager: 'schtasks',
          unit: 'OpenClaw Gateway',
          restart: { how: 'service' },
          stop: { disabled: 'English', why: 'service' },
        },
      }),
    );
    expect(attached.lines.find((line) => line.id === 'external-stop')!.text).toBe(
      '停止：它是 OpenClaw 的 schtasks 服务：请用 `openclaw gateway stop` 停止它。',
    );
    expect(attached.lines.find((line) => line.id === 'external')!.text).toBe(
      '外部网关（pid 4242），运行者：计划任务（OpenClaw Gateway）。Pincer 只监视它，从不终止它。',
    );
    expect(attached.fullRestartUnavailable).toBe('这个网关不是 Pincer 启动的。');

    const fallback = openclawModel(
      status({
        gateway: {
          kind: 'reference',
          fallback: { searched: 'settings', configExists: true },
          fallbackReason: 'English',
          candidates: [{ source: 'reference', chosen: true }],
        },
      }),
    );
    expect(fallback.candidates[0].label).toBe('参考网关');
    expect(fallback.lines[0].text).toBe(
      '没有找到 OpenClaw（设置中没有安装路径；也没有内置副本或开发缓存副本），因此运行参考网关。你的 OpenClaw 配置存在，但没有找到可以运行它的 OpenClaw 安装。',
    );
    expect(fallback.controlUiUnavailable).toBe('参考网关没有 Control UI。');
  });
});
