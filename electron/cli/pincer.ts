#!/usr/bin/env node
// `pincer status | start | stop | restart | logs | open | quit`: commands for the running Pincer
// (desktop app or headless twin), found through its data dir. Exit codes: EXIT in
// core/instance-commands.ts, documented in the README.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import type { LogLine } from '../core/api';
import { EXIT, INSTANCE_COMMANDS, type InstanceCommand } from '../core/instance-commands';
import { findInstance } from '../core/instance-lock';
import { resolveDataDir } from '../core/paths';
import type { GatewayStatus } from '../core/status';
import { connect, NoInstanceError, type Connected } from './client';
import { describeInstance, describeStatus, formatLogLine, hasSettled } from './format';

const USAGE = `Usage: pincer <command> [--json] [--data-dir DIR]
Commands (for the Pincer running on the data dir):
  status             the gateway's state, pid, port, uptime, errors and warnings
  start|stop|restart  ask for it and wait until it took effect
  logs [--follow]    the recent log lines; --follow keeps printing new ones
  open               show the dashboard (desktop: the window; headless: prints its link)
  quit               stop the gateway gracefully and exit Pincer
Options:
  --json             machine-readable output (one JSON document; JSON lines for logs --follow)
  --data-dir DIR     the data dir of the Pincer to talk to (default: as Pincer picks it; PINCER_DATA_DIR)
Exit codes: 0 done, 1 failed, 2 usage, 4 no Pincer running on the data dir.`;

/** A command's effect shows within this (a stop is bounded by ~15 s, a start by its own timeouts). */
const SETTLE_DEADLINE_MS = 120_000;

class UsageError extends Error {}

function parseCommandLine(argv: string[]) {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      options: {
        json: { type: 'boolean' },
        'data-dir': { type: 'string' },
        follow: { type: 'boolean', short: 'f' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: true,
    });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const { values, positionals } = parsed;
  if (values.help) return { help: true as const };
  if (positionals.length !== 1)
    throw new UsageError(positionals.length === 0 ? 'no command given' : `one command at a time, got: ${positionals.join(' ')}`);
  const command = positionals[0] as InstanceCommand;
  if (!INSTANCE_COMMANDS.includes(command)) throw new UsageError(`unknown command "${positionals[0]}"`);
  if (values.follow && command !== 'logs') throw new UsageError('--follow goes with logs only');
  const dataDir = values['data-dir']
    ? path.resolve(values['data-dir'])
    : resolveDataDir({ platform: process.platform, env: process.env, exePath: process.execPath, homeDir: os.homedir(), exists: fs.existsSync }).dir;
  return { help: false as const, command, dataDir, json: values.json === true, follow: values.follow === true };
}

const print = (text: string) => process.stdout.write(`${text}\n`);
const printJson = (value: unknown) => print(JSON.stringify(value, null, 2));

async function waitUntil<T>(probe: () => Promise<T | undefined>, what: string): Promise<T> {
  const deadline = Date.now() + SETTLE_DEADLINE_MS;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`gave up waiting for ${what} after ${SETTLE_DEADLINE_MS / 1000} s`);
    await sleep(100);
  }
}

async function intent(connected: Connected, command: 'start' | 'stop' | 'restart', json: boolean): Promise<number> {
  const before = await connected.call<GatewayStatus>('GET', '/status');
  await connected.call('POST', `/${command}`);
  const after = await waitUntil(async () => {
    const now = await connected.call<GatewayStatus>('GET', '/status');
    return hasSettled(command, before, now) ? now : undefined;
  }, `the gateway to ${command}`);
  if (json) printJson(after);
  else print(describeStatus(after));
  return after.state === 'error' ? EXIT.failed : EXIT.ok;
}

async function run(command: InstanceCommand, connected: Connected, options: { dataDir: string; json: boolean; follow: boolean }): Promise<number> {
  const { instance } = connected;
  switch (command) {
    case 'status': {
      const status = await connected.call<GatewayStatus>('GET', '/status');
      if (options.json) printJson({ instance: { ...instance, api: { url: instance.api.url } }, status });
      else print(`${describeInstance(instance, options.dataDir)}\n${describeStatus(status)}`);
      return EXIT.ok;
    }
    case 'start':
    case 'stop':
    case 'restart':
      return intent(connected, command, options.json);
    case 'logs': {
      const show = (line: LogLine) => print(options.json ? JSON.stringify(line) : formatLogLine(line));
      if (!options.follow) {
        const lines = await connected.call<LogLine[]>('GET', '/logs');
        if (options.json) printJson(lines);
        else lines.forEach(show);
        return EXIT.ok;
      }
      // The stream starts now: print the tail first, then what arrives (until Ctrl-C or quit).
      (await connected.call<LogLine[]>('GET', '/logs')).forEach(show);
      await connected.events((event, data) => {
        if (event === 'log') show(data as LogLine);
      });
      return EXIT.ok;
    }
    case 'open': {
      const answer = await connected.call<{ shown: boolean; url?: string }>('POST', '/open');
      const link = answer.url ? `${answer.url}#token=${instance.api.token}` : undefined;
      if (options.json) printJson({ ...answer, ...(link ? { url: link } : {}) });
      else print(answer.shown ? 'The dashboard window is shown.' : `Dashboard: ${link}`);
      return EXIT.ok;
    }
    case 'quit': {
      await connected.call('POST', '/quit');
      await waitUntil(async () => ((await findInstance(options.dataDir)) === undefined ? true : undefined), `Pincer (pid ${instance.pid}) to exit`);
      if (options.json) printJson({ quit: true, pid: instance.pid });
      else print(`Pincer (pid ${instance.pid}) stopped its gateway and quit.`);
      return EXIT.ok;
    }
  }
}

async function main(argv: string[]): Promise<number> {
  for (const stream of [process.stdout, process.stderr]) stream.on('error', () => {});
  let parsed: ReturnType<typeof parseCommandLine>;
  try {
    parsed = parseCommandLine(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`pincer: ${error.message}\n\n${USAGE}\n`);
    return EXIT.usage;
  }
  if (parsed.help) {
    print(USAGE);
    return EXIT.ok;
  }
  try {
    return await run(parsed.command, await connect(parsed.dataDir), parsed);
  } catch (error) {
    process.stderr.write(`pincer: ${(error as Error).message}\n`);
    return error instanceof NoInstanceError ? EXIT.noInstance : EXIT.failed;
  }
}

main(process.argv.slice(2)).then(
  (code) => (process.exitCode = code),
  (error: Error) => {
    process.stderr.write(`pincer: ${error.stack ?? error.message}\n`);
    process.exitCode = EXIT.failed;
  },
);
