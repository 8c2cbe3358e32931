// The gateway processes Pincer has started and not yet seen exit, kept in the data dir so that
// after a crash of Pincer itself the next run can tell its orphans (reclaim them) from strangers
// (leave them alone). One entry per live generation: blue/green restarts have two at a time.
// An entry is added as soon as the process exists and removed only once its exit is confirmed,
// so there is no moment where a live child of ours is unrecorded. Each record names the
// supervisor that owns it (the data dir's lock holder), so a gateway whose supervisor still
// runs is never taken for an orphan.
import fs from 'node:fs';
import path from 'node:path';
import { readOwnInstance } from './instance-lock';
import { writeFileAtomic } from './settings/store';

const PID_FILE = 'gateway-pids.json';

export interface PidRecord {
  pid: number;
  port: number;
  startedAt: number;
  /** processIdentity() of the child: tells our orphan from another program that reuses its pid. */
  identity: string;
  /** The supervisor that started it: its pid and processIdentity() (from the data dir lock). */
  owner?: { pid: number; identity: string };
}

function isRecord(value: unknown): value is PidRecord {
  const record = value as PidRecord;
  return Number.isInteger(record?.pid) && record.pid > 0 && typeof record.identity === 'string';
}

export function readPidRecords(dataDir: string): PidRecord[] {
  try {
    const records: unknown = JSON.parse(fs.readFileSync(path.join(dataDir, PID_FILE), 'utf8'));
    return Array.isArray(records) ? records.filter(isRecord) : [];
  } catch {
    return [];
  }
}

function writePidRecords(dataDir: string, records: PidRecord[]): void {
  const file = path.join(dataDir, PID_FILE);
  if (records.length === 0) fs.rmSync(file, { force: true });
  else writeFileAtomic(file, JSON.stringify(records));
}

/** Records a gateway; the owner is this process, as named in the data dir lock when it holds it. */
export function addPidRecord(dataDir: string, record: Omit<PidRecord, 'owner'>): void {
  const holder = readOwnInstance(dataDir);
  const owned: PidRecord = holder ? { ...record, owner: { pid: holder.pid, identity: holder.identity } } : record;
  writePidRecords(dataDir, [...readPidRecords(dataDir).filter((r) => r.pid !== record.pid), owned]);
}

export function removePidRecord(dataDir: string, pid: number): void {
  writePidRecords(
    dataDir,
    readPidRecords(dataDir).filter((r) => r.pid !== pid),
  );
}
