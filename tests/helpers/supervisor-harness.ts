// A real Supervisor on a free port with a temp data dir, running the real reference gateway
// through the real child_process launcher and control connection. Everything it starts, it stops.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { connectGateway } from '../../electron/core/connection';
import { referenceGateway, type GatewayProgram } from '../../electron/core/gateway/programs';
import { createChildProcessLauncher } from '../../electron/core/launcher/child-process';
import type { Launcher } from '../../electron/core/launcher/types';
import { listDescendants, readCommandLine } from '../../electron/core/process/tree';
import { DEFAULT_SETTINGS, type Settings } from '../../electron/core/settings/schema';
import type { GatewayState, GatewayStatus } from '../../electron/core/status';
import { Supervisor, type Timeouts } from '../../electron/core/supervisor';
import { freePort } from './ports';
import { buildReferenceGateway } from './reference-gateway';
import { waitFor } from './wait';

export const TEST_TOKEN = 'test-token-0123456789abcdef0123456789';

export interface Harness {
  supervisor: Supervisor;
  settings: Settings;
  dataDir: string;
  port: number;
  entry: string;
  /** Every status the supervisor published, in order. */
  history: GatewayStatus[];
  launches: number;
  waitForState(state: GatewayState, timeoutMs?: number): Promise<GatewayStatus>;
  /** Gateway processes (reference-gateway main processes) that are children of this test process. */
  gatewayChildren(): Promise<number[]>;
  dispose(): Promise<void>;
}

export async function createHarness(
  options: {
    env?: Record<string, string>;
    settings?: Partial<Settings>;
    timeouts?: Partial<Timeouts>;
    dataDir?: string;
    port?: number;
    /** The program to run, made from the reference gateway's entry (default: the reference gateway). */
    program?: (entry: string) => GatewayProgram;
  } = {},
): Promise<Harness> {
  const entry = await buildReferenceGateway();
  const port = options.port ?? (await freePort());
  const dataDir = options.dataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'pincer-sup-'));
  const settings: Settings = {
    ...DEFAULT_SETTINGS,
    gatewayPort: port,
    heartbeatMs: 1_000,
    ...options.settings,
    restartPolicy: { ...DEFAULT_SETTINGS.restartPolicy, baseDelayMs: 100, ...options.settings?.restartPolicy },
  };
  const childLauncher = createChildProcessLauncher();
  const history: GatewayStatus[] = [];
  const harness = { settings, launches: 0 } as Harness;
  const launcher: Launcher = {
    name: childLauncher.name,
    launch: (spec) => {
      harness.launches++;
      return childLauncher.launch(spec);
    },
  };
  const supervisor = new Supervisor({
    dataDir,
    launcher,
    settings: () => harness.settings,
    program: () => (options.program ? options.program(entry) : referenceGateway(entry, '0.0.0-test')),
    token: TEST_TOKEN,
    connect: connectGateway,
    clientVersion: '0.0.0-test',
    log: () => {},
    baseEnv: { PATH: process.env.PATH, ...options.env },
    timeouts: { stopGraceMs: 3_000, readyMs: 30_000, ...options.timeouts },
  });
  supervisor.onStatus((status) => history.push(status));
  Object.assign(harness, {
    supervisor,
    dataDir,
    port,
    entry,
    history,
    waitForState: (state: GatewayState, timeoutMs = 30_000) =>
      waitFor(
        () => {
          const status = supervisor.status();
          return status.state === state ? status : undefined;
        },
        { timeoutMs, what: `state ${state} (now ${supervisor.status().state})` },
      ),
    gatewayChildren: async () => {
      const pids = await listDescendants(process.pid);
      const result: number[] = [];
      for (const pid of pids) {
        const command = await readCommandLine(pid);
        if (command?.includes(entry) && command.includes(' gateway ')) result.push(pid);
      }
      return result;
    },
    dispose: async () => {
      await supervisor.stop();
      if (!options.dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
    },
  });
  return harness;
}
