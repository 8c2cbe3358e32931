// The pid of Pincer's own gateway child, kept in the data dir so that after a crash of Pincer
// itself the next run can tell its orphan (reclaim it) from a stranger (leave it alone).
import fs from 'node:fs';
import path from 'node:path';
import { writeFileAtomic } from './settings/store';

const PID_FILE = 'gateway.pid.json';

export interface PidRecord {
  pid: number;
  port: number;
  startedAt: number;
  /** processIdentity() of the child: tells our orphan from another program that reuses its pid. */
  identity: string;
}

export function readPidRecord(dataDir: string): PidRecord | undefined {
  try {
    const record = JSON.parse(fs.readFileSync(path.join(dataDir, PID_FILE), 'utf8')) as PidRecord;
    return Number.isInteger(record.pid) && record.pid > 0 ? record : undefined;
  } catch {
    return undefined;
  }
}

export function writePidRecord(dataDir: string, record: PidRecord): void {
  writeFileAtomic(path.join(dataDir, PID_FILE), JSON.stringify(record));
}

export function clearPidRecord(dataDir: string, pid: number): void {
  // Only our own record: a newer generation may already have written its pid.
  if (readPidRecord(dataDir)?.pid === pid) fs.rmSync(path.join(dataDir, PID_FILE), { force: true });
}
