// Turns a gateway error into something a person can act on: a title, an explanation in plain
// words, the facts that matter and the actions that could fix it. Pure; the view renders it.
import type { GatewayError, GatewayErrorCode, GatewayStatus } from '../../electron/core/status';
import { suggestPort } from './settings-form';

export type ErrorAction =
  | { kind: 'use-another-port'; port: number }
  | { kind: 'retry' }
  | { kind: 'edit-setting'; field: 'gatewayKind' | 'gatewayPort'; label: string }
  | { kind: 'open-logs' }
  | { kind: 'copy'; text: string; label: string };

export interface ErrorFact {
  /** data-testid of the value. */
  id: string;
  label: string;
  value: string;
}

export interface ErrorModel {
  code: GatewayErrorCode;
  title: string;
  /** Our explanation of what the code means, before the core's own message. */
  explanation: string;
  message: string;
  hint: string;
  facts: ErrorFact[];
  /** Lines to show verbatim (the gateway's last stderr lines). */
  stderrTail: string[];
  actions: ErrorAction[];
}

const TITLES: Record<GatewayErrorCode, (port: number) => string> = {
  PORT_IN_USE: (port) => `Port ${port} is used by another program`,
  PORT_HUNG: (port) => `Something on port ${port} is not responding`,
  CRASH_LOOP: () => 'The gateway keeps crashing',
  CONFIG_INVALID: () => 'The gateway rejected its configuration',
  AUTH_FAILED: () => "The gateway rejected Pincer's token",
  PAIRING_REQUIRED: () => 'The gateway wants this device approved',
  PROTOCOL_MISMATCH: () => 'The gateway speaks a different protocol version',
  START_TIMEOUT: () => 'The gateway did not become ready in time',
  SPAWN_FAILED: () => 'The gateway program could not be started',
  GATEWAY_NOT_FOUND: () => 'No gateway program was found',
};

function errorTitle(error: GatewayError, port: number): string {
  return TITLES[error.code](port);
}

function ownerText(owner: GatewayError['portOwner']): string | undefined {
  if (!owner || (owner.pid === undefined && !owner.command)) return undefined;
  if (owner.pid === undefined) return owner.command;
  return owner.command ? `${owner.command} (pid ${owner.pid})` : `pid ${owner.pid}`;
}

export function describeError(error: GatewayError, status: Pick<GatewayStatus, 'port' | 'stderrTail'>): ErrorModel {
  const port = status.port;
  const base = {
    code: error.code,
    title: errorTitle(error, port),
    message: error.message,
    hint: error.hint,
    facts: [] as ErrorFact[],
    stderrTail: [] as string[],
  };
  const owner = ownerText(error.portOwner);
  const ownerFacts: ErrorFact[] = owner ? [{ id: 'port-owner', label: `Holding port ${port}`, value: owner }] : [];
  switch (error.code) {
    case 'PORT_IN_USE':
      return {
        ...base,
        explanation: `Another program is listening on port ${port}, so the gateway cannot use it. Pincer left that program alone.`,
        facts: ownerFacts,
        actions: [{ kind: 'use-another-port', port: suggestPort(port) }, { kind: 'retry' }],
      };
    case 'PORT_HUNG':
      return {
        ...base,
        explanation: `A program accepts connections on port ${port} but does not answer the gateway protocol. It may be a hung gateway or an unrelated server.`,
        facts: ownerFacts,
        actions: [{ kind: 'use-another-port', port: suggestPort(port) }, { kind: 'retry' }],
      };
    case 'CRASH_LOOP':
      return {
        ...base,
        explanation: 'The gateway exited again and again right after starting, so Pincer stopped restarting it. Its last output usually says why.',
        stderrTail: status.stderrTail,
        actions: [{ kind: 'retry' }, { kind: 'open-logs' }],
      };
    case 'CONFIG_INVALID': {
      const repair = error.repair;
      const repairText = repair
        ? `Pincer ran the repair once (${repair.command}), which ended with ${repair.exitCode === null ? 'no exit code' : `exit code ${repair.exitCode}`}, and the gateway still refused to start.`
        : 'No automatic repair was available for this gateway.';
      return {
        ...base,
        explanation: `The gateway exited with code 78, which means its configuration is invalid. ${repairText}`,
        facts: repair
          ? [
              { id: 'repair-command', label: 'Repair tried', value: repair.command },
              { id: 'repair-exit', label: 'Repair result', value: repair.exitCode === null ? 'no exit code' : `exit code ${repair.exitCode}` },
            ]
          : [],
        stderrTail: status.stderrTail,
        actions: [{ kind: 'retry' }, { kind: 'open-logs' }],
      };
    }
    case 'AUTH_FAILED':
      return {
        ...base,
        explanation:
          'Pincer signs in to the gateway with a shared token kept in its data folder (it is never shown here). The gateway on this port expects a different token, which usually means it was started outside Pincer with its own token.',
        actions: [{ kind: 'retry' }, { kind: 'open-logs' }],
      };
    case 'PAIRING_REQUIRED':
      return {
        ...base,
        explanation: 'The gateway does not know this device yet. Approve the pairing request on the gateway, then retry.',
        facts: error.requestId ? [{ id: 'pairing-request', label: 'Request ID', value: error.requestId }] : [],
        actions: error.requestId
          ? [{ kind: 'copy', text: error.requestId, label: 'Copy request ID' }, { kind: 'retry' }]
          : [{ kind: 'retry' }],
      };
    case 'PROTOCOL_MISMATCH':
      return {
        ...base,
        explanation: 'Pincer and the gateway do not share a protocol version, so Pincer will not keep retrying.',
        actions: [{ kind: 'edit-setting', field: 'gatewayKind', label: 'Choose another gateway' }, { kind: 'retry' }],
      };
    case 'START_TIMEOUT':
      return {
        ...base,
        explanation: 'The gateway process started but never reported that it was ready.',
        stderrTail: status.stderrTail,
        actions: [{ kind: 'retry' }, { kind: 'open-logs' }],
      };
    case 'SPAWN_FAILED':
      return {
        ...base,
        explanation: 'The operating system refused to start the gateway program.',
        actions: [{ kind: 'edit-setting', field: 'gatewayKind', label: 'Check gateway settings' }, { kind: 'retry' }],
      };
    case 'GATEWAY_NOT_FOUND':
      return {
        ...base,
        explanation: 'Pincer looked for the gateway in the settings path, the bundled copy and the dev cache, and found none.',
        actions: [{ kind: 'edit-setting', field: 'gatewayKind', label: 'Choose a gateway' }, { kind: 'retry' }],
      };
  }
}
