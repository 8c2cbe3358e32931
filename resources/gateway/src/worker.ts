// A long-lived child process, like OpenClaw's workers, so supervisors can test that a stop kills the whole
// tree. It does not watch its parent: if the gateway is killed with SIGKILL, the worker stays behind
// (reparented) until someone kills the tree.
import { spawn, type ChildProcess } from 'node:child_process';

const WORKER_STOP_GRACE_MS = 1000;

export function spawnWorker(): ChildProcess {
  return spawn(process.execPath, ['-e', "process.title = 'pincer-refgw-worker'; setInterval(() => {}, 1 << 30);"], {
    stdio: 'ignore',
    // Under Electron's utilityProcess, execPath is Electron: make it behave as plain Node.
    env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' },
  });
}

/** SIGTERM, then SIGKILL if it is still there after a grace period; resolves once it has exited. */
export function stopWorker(worker: ChildProcess): Promise<void> {
  if (worker.exitCode !== null || worker.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => worker.kill('SIGKILL'), WORKER_STOP_GRACE_MS);
    worker.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    worker.kill('SIGTERM');
  });
}
