// `reference-gateway doctor [--fix] [--yes] [--non-interactive]`: the repair step a supervisor runs once
// after exit 78. Exit 0 when nothing is left to fix, 1 otherwise.
import { repairConfig } from './config';

export function runDoctor(env: Readonly<Record<string, string | undefined>>, fix: boolean): number {
  const report = repairConfig(env, fix);
  for (const line of report.fixed) process.stdout.write(`[doctor] fixed: ${line}\n`);
  for (const line of report.remaining) process.stderr.write(`[doctor] cannot fix: ${line}\n`);
  if (report.fixed.length === 0 && report.remaining.length === 0) process.stdout.write('[doctor] no problems found\n');
  return report.remaining.length === 0 ? 0 : 1;
}
