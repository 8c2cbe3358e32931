// One data dir, one supervisor. Both front ends take this lock before anything else touches the
// data dir; the lock file is also the instance file the CLI reads to find the running Pincer
// (its pid, its API address and the API token — hence 0600).
//
// Created exclusively ('wx'), so of two starting at once exactly one wins. A crash cannot leave it
// stale: the file names its holder by processIdentity (pid@start time), and a holder that is dead,
// or a pid now worn by another process, holds nothing. Removing a stale file is itself guarded by
// an exclusive takeover marker, so a contender that judged an old file stale can never delete the
// fresh one a faster contender just made.
import fs from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { isAlive, processIdentity } from './process/tree';
import { writeFileAtomic } from './settings/store';

export const LOCK_FILE = 'pincer.lock';
const TAKEOVER_FILE = 'pincer.lock.takeover';
/** A takeover lasts microseconds; a marker this old was left by a contender that died mid-way. */
const STUCK_TAKEOVER_MS = 10_000;
/** A lock file is written right after it is created: content still unreadable after this is junk. */
const UNREADABLE_GRACE_MS = 1_000;
const ACQUIRE_DEADLINE_MS = 15_000;

export interface InstanceApi {
  /** The loopback API base, e.g. http://127.0.0.1:43123/api */
  url: string;
  token: string;
}

export interface InstanceRecord {
  pid: number;
  /** processIdentity() of the holder: a reused pid never matches. */
  identity: string;
  kind: 'desktop' | 'headless';
  version: string;
  startedAt: number;
  /** Set once the API listens. */
  api?: InstanceApi;
}

export class InstanceLockedError extends Error {
  constructor(
    readonly dataDir: string,
    readonly holder: InstanceRecord,
  ) {
    super(
      `another Pincer (${holder.kind}, pid ${holder.pid}${holder.api ? `, API ${holder.api.url}` : ', API not listening yet'}) ` +
        `already supervises the data dir ${dataDir}`,
    );
    this.name = 'InstanceLockedError';
  }
}

export interface InstanceLock {
  readonly record: InstanceRecord;
  /** Publishes the API address and token in the lock file. */
  setApi(api: InstanceApi): void;
  /** Removes the lock file if it is still ours. Synchronous: safe on exit paths. */
  release(): void;
}

function isInstanceRecord(value: unknown): value is InstanceRecord {
  const record = value as InstanceRecord;
  return (
    Number.isInteger(record?.pid) &&
    record.pid > 0 &&
    typeof record.identity === 'string' &&
    (record.kind === 'desktop' || record.kind === 'headless')
  );
}

type LockRead = { kind: 'none' } | { kind: 'record'; record: InstanceRecord } | { kind: 'unreadable'; since: number };

function readLockFile(file: string): LockRead {
  let text: string;
  let mtimeMs: number;
  try {
    text = fs.readFileSync(file, 'utf8');
    mtimeMs = fs.statSync(file).mtimeMs;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { kind: 'none' };
    throw error;
  }
  try {
    const value: unknown = JSON.parse(text);
    if (isInstanceRecord(value)) return { kind: 'record', record: value };
  } catch {
    // empty (its creator is between open and write) or junk: judged by age below
  }
  return { kind: 'unreadable', since: mtimeMs };
}

const unknownIdentity = (pid: number) => `${pid}@unknown`;

/** True while the named process runs and still is the one named (not a reused pid). */
export async function isHolderAlive(record: Pick<InstanceRecord, 'pid' | 'identity'>): Promise<boolean> {
  if (!isAlive(record.pid)) return false;
  const identity = await processIdentity(record.pid);
  // A live process whose identity can't be read (hidden, or unreadable when it wrote the record)
  // is given the benefit of the doubt.
  return identity === undefined || record.identity === unknownIdentity(record.pid) || identity === record.identity;
}

/** The Pincer that holds the data dir, or undefined when none runs (no file, or a stale one). */
export async function findInstance(dataDir: string): Promise<InstanceRecord | undefined> {
  const read = readLockFile(path.join(dataDir, LOCK_FILE));
  if (read.kind !== 'record') return undefined;
  return (await isHolderAlive(read.record)) ? read.record : undefined;
}

/** The lock file's holder if it is recorded and ours, without a liveness check (sync). */
export function readOwnInstance(dataDir: string): InstanceRecord | undefined {
  const read = readLockFile(path.join(dataDir, LOCK_FILE));
  return read.kind === 'record' && read.record.pid === process.pid ? read.record : undefined;
}

function createExclusive(file: string, content: string): boolean {
  let fd: number;
  try {
    fd = fs.openSync(file, 'wx', 0o600);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
  try {
    fs.writeSync(fd, content);
  } finally {
    fs.closeSync(fd);
  }
  return true;
}

function sameHolder(a: LockRead, b: LockRead): boolean {
  if (a.kind === 'record' && b.kind === 'record') return a.record.identity === b.record.identity && a.record.startedAt === b.record.startedAt;
  return a.kind === 'unreadable' && b.kind === 'unreadable' && a.since === b.since;
}

/** Removes the lock file if it still holds what was judged stale; false when someone else is at it. */
function removeStale(dataDir: string, judged: LockRead): boolean {
  const marker = path.join(dataDir, TAKEOVER_FILE);
  if (!createExclusive(marker, String(process.pid))) {
    try {
      if (Date.now() - fs.statSync(marker).mtimeMs > STUCK_TAKEOVER_MS) fs.rmSync(marker, { force: true });
    } catch {
      // gone meanwhile: the other contender finished
    }
    return false;
  }
  try {
    // Only the marker's holder may delete, so what is read here is what gets deleted.
    const file = path.join(dataDir, LOCK_FILE);
    if (sameHolder(readLockFile(file), judged)) fs.rmSync(file, { force: true });
    return true;
  } finally {
    fs.rmSync(marker, { force: true });
  }
}

/**
 * Takes the data dir for this process, or throws InstanceLockedError naming the live holder.
 * Touches nothing else in the data dir (creates the dir itself if needed).
 */
export async function acquireInstanceLock(dataDir: string, { kind, version }: Pick<InstanceRecord, 'kind' | 'version'>): Promise<InstanceLock> {
  fs.mkdirSync(dataDir, { recursive: true });
  const file = path.join(dataDir, LOCK_FILE);
  const identity = (await processIdentity(process.pid)) ?? unknownIdentity(process.pid);
  let record: InstanceRecord = { pid: process.pid, identity, kind, version, startedAt: Date.now() };
  const deadline = Date.now() + ACQUIRE_DEADLINE_MS;
  while (!createExclusive(file, JSON.stringify(record))) {
    if (Date.now() > deadline) throw new Error(`could not take the lock ${file}: it keeps changing hands`);
    const read = readLockFile(file);
    if (read.kind === 'record' && (await isHolderAlive(read.record))) throw new InstanceLockedError(dataDir, read.record);
    const stale = read.kind === 'record' || (read.kind === 'unreadable' && Date.now() - read.since > UNREADABLE_GRACE_MS);
    if (!(stale && removeStale(dataDir, read))) await sleep(20);
  }
  const isOurs = () => {
    const read = readLockFile(file);
    return read.kind === 'record' && read.record.identity === identity && read.record.startedAt === record.startedAt;
  };
  return {
    get record() {
      return record;
    },
    setApi(api) {
      record = { ...record, api };
      // Replaced by rename: the path never goes missing, so nobody can take it meanwhile.
      writeFileAtomic(file, JSON.stringify(record));
    },
    release() {
      if (isOurs()) fs.rmSync(file, { force: true });
    },
  };
}
