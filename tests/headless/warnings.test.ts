// status.warnings filled for real: a gateway that never closes its connections (the reference
// gateway's never-close fault) leaves them in CLOSE_WAIT; the twin's socket monitor says so in the
// status, and the warning clears once those sockets are gone.
import fs from 'node:fs';
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildAll } from '../helpers/build';
import { freePort } from '../helpers/ports';
import { startTwin, type Twin } from '../helpers/twin';
import { waitFor } from '../helpers/wait';

describe('status.warnings (headless twin)', () => {
  let twin: Twin;

  beforeAll(async () => {
    await buildAll();
    twin = await startTwin({ gatewayPort: await freePort(), env: { PINCER_REFGW_NEVER_CLOSE_CLIENTS: '1' } });
  });

  afterAll(async () => {
    await twin.stop();
    fs.rmSync(twin.dataDir, { recursive: true, force: true });
  });

  it('CLOSE_WAIT on the gateway side → a warning in the status; a new generation clears it', async () => {
    const { port, warnings } = await waitFor(
      async () => {
        const status = await twin.status();
        return status.state === 'running' ? status : undefined;
      },
      { what: 'the gateway running' },
    );
    expect(warnings).toEqual([]);
    for (let i = 0; i < 4; i += 1) {
      const client = net.connect({ host: '127.0.0.1', port });
      client.on('error', () => {});
      await new Promise((resolve) => client.once('connect', resolve));
      // A WebSocket upgrade (the sockets the fault leaks); once accepted, our FIN — which the door
      // passes on, and which the gateway never answers.
      client.write(
        `GET / HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
          'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n',
      );
      await new Promise((resolve) => client.once('data', resolve));
      client.end();
    }
    const warned = await waitFor(
      async () => {
        const status = await twin.status();
        return status.warnings.length > 0 ? status : undefined;
      },
      { what: 'a CLOSE_WAIT warning in the status', timeoutMs: 45_000 },
    );
    expect(warned.warnings).toEqual([expect.stringMatching(/^The gateway is not closing connections: \d+ sockets in CLOSE_WAIT on port \d+/)]);
    expect(warned.warnings[0]).toBe(warned.sockets!.warning);

    // A restart replaces the leaking generation and its sockets with it.
    expect((await twin.request('POST', '/api/restart')).status).toBe(202);
    await waitFor(
      async () => {
        const status = await twin.status();
        return status.state === 'running' && status.pid !== warned.pid && status.warnings.length === 0;
      },
      { what: 'the warning to clear after the restart', timeoutMs: 45_000 },
    );
  });
});
