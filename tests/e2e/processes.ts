// The other processes in the browser story: a foreign program holding the gateway port, plain
// probes of a gateway port, and a /proc scan for reference gateways left behind.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import { createInterface } from 'node:readline';

/** Something that is not a gateway: an HTTP server that answers every request with "foreign". */
const FOREIGN_SERVER = `
require('node:http').createServer((req, res) => res.end('foreign'))
  .listen(Number(process.argv[1]), '127.0.0.1', function () { console.log('listening'); });
`;

export interface ForeignServer {
  proc: ChildProcess;
  pid: number;
  alive(): boolean;
  kill(): Promise<void>;
}

export async function startForeignServer(port: number): Promise<ForeignServer> {
  const proc = spawn(process.execPath, ['-e', FOREIGN_SERVER, String(port)], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  proc.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
  await new Promise<void>((resolve, reject) => {
    createInterface({ input: proc.stdout! }).once('line', () => resolve());
    void exited.then(() => reject(new Error(`the foreign server exited before listening: ${stderr}`)));
  });
  return {
    proc,
    pid: proc.pid!,
    alive: () => proc.exitCode === null && proc.signalCode === null,
    async kill() {
      if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGKILL');
      await exited;
    },
  };
}

/** GET http://127.0.0.1:port/path → status code, or the connection error's code (ECONNREFUSED…). */
export function probe(port: number, path: string): Promise<number | string> {
  return new Promise((resolve) => {
    const request = http.get({ host: '127.0.0.1', port, path, agent: false, timeout: 5_000 }, (response) => {
      response.resume();
      resolve(response.statusCode ?? 0);
    });
    request.on('timeout', () => request.destroy(Object.assign(new Error('timeout'), { code: 'ETIMEDOUT' })));
    request.on('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message));
  });
}

/** Pids of reference gateways (`reference-gateway.cjs gateway --port P`) running on any of `ports`. */
export function referenceGatewaysOn(ports: readonly number[]): number[] {
  const found: number[] = [];
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let argv: string[];
    try {
      argv = fs.readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0');
    } catch {
      continue; // gone meanwhile
    }
    if (!argv.some((arg) => arg.endsWith('reference-gateway.cjs'))) continue;
    const flag = argv.indexOf('--port');
    if (flag >= 0 && ports.includes(Number(argv[flag + 1]))) found.push(Number(entry));
  }
  return found;
}
