// Turns a gateway error into something a person can act on: a title, an explanation in plain
// words, the facts that matter and the actions that could fix it. Pure; the view renders it.
import type { GatewayError, GatewayErrorCode, GatewayStatus } from '../../electron/core/status';
import { suggestPort } from './settings-form';
import { t } from '../i18n';

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

function errorTitle(error: GatewayError, port: number): string {
  return t(`error.title.${error.code}`, { port });
}

function ownerText(owner: GatewayError['portOwner']): string | undefined {
  if (!owner || (owner.pid === undefined && !owner.command)) return undefined;
  if (owner.pid === undefined) return owner.command;
  return owner.command ? `${owner.command} (pid ${owner.pid})` : `pid ${owner.pid}`;
}

function repairResult(exitCode: number | null): string {
  return exitCode === null ? t('error.repairNoExitCode') : t('exit.code', { code: exitCode });
}

export function describeError(error: GatewayError, status: Pick<GatewayStatus, 'port' | 'stderrTail'>): ErrorModel {
  const port = status.port;
  const base = {
    code: error.code,
    title: errorTitle(error, port),
    message: error.message,
    // The hint is rendered from the code, in the dashboard's language.
    hint: t(`error.hint.${error.code}`),
    facts: [] as ErrorFact[],
    stderrTail: [] as string[],
  };
  const owner = ownerText(error.portOwner);
  const ownerFacts: ErrorFact[] = owner ? [{ id: 'port-owner', label: t('error.fact.holdingPort', { port }), value: owner }] : [];
  switch (error.code) {
    case 'PORT_IN_USE':
      return {
        ...base,
        explanation: t('error.explain.PORT_IN_USE', { port }),
        facts: ownerFacts,
        actions: [{ kind: 'use-another-port', port: suggestPort(port) }, { kind: 'retry' }],
      };
    case 'PORT_HUNG':
      return {
        ...base,
        explanation: t('error.explain.PORT_HUNG', { port }),
        facts: ownerFacts,
        actions: [{ kind: 'use-another-port', port: suggestPort(port) }, { kind: 'retry' }],
      };
    case 'CRASH_LOOP':
      return {
        ...base,
        explanation: t('error.explain.CRASH_LOOP'),
        stderrTail: status.stderrTail,
        actions: [{ kind: 'retry' }, { kind: 'open-logs' }],
      };
    case 'CONFIG_INVALID': {
      const repair = error.repair;
      const repairText = repair
        ? t('error.explain.repairTried', { command: repair.command, result: repairResult(repair.exitCode) })
        : t('error.explain.noRepair');
      return {
        ...base,
        explanation: t('error.explain.CONFIG_INVALID', { repair: repairText }),
        facts: repair
          ? [
              { id: 'repair-command', label: t('error.fact.repairTried'), value: repair.command },
              { id: 'repair-exit', label: t('error.fact.repairResult'), value: repairResult(repair.exitCode) },
            ]
          : [],
        stderrTail: status.stderrTail,
        actions: [{ kind: 'retry' }, { kind: 'open-logs' }],
      };
    }
    case 'AUTH_FAILED':
      return {
        ...base,
        explanation: t('error.explain.AUTH_FAILED'),
        actions: [{ kind: 'retry' }, { kind: 'open-logs' }],
      };
    case 'PAIRING_REQUIRED':
      return {
        ...base,
        explanation: t('error.explain.PAIRING_REQUIRED'),
        facts: error.requestId ? [{ id: 'pairing-request', label: t('error.fact.requestId'), value: error.requestId }] : [],
        actions: error.requestId
          ? [{ kind: 'copy', text: error.requestId, label: t('error.action.copyRequestId') }, { kind: 'retry' }]
          : [{ kind: 'retry' }],
      };
    case 'PROTOCOL_MISMATCH':
      return {
        ...base,
        explanation: t('error.explain.PROTOCOL_MISMATCH'),
        actions: [{ kind: 'edit-setting', field: 'gatewayKind', label: t('error.action.chooseAnotherGateway') }, { kind: 'retry' }],
      };
    case 'START_TIMEOUT':
      return {
        ...base,
        explanation: t('error.explain.START_TIMEOUT'),
        stderrTail: status.stderrTail,
        actions: [{ kind: 'retry' }, { kind: 'open-logs' }],
      };
    case 'SPAWN_FAILED':
      return {
        ...base,
        explanation: t('error.explain.SPAWN_FAILED'),
        actions: [{ kind: 'edit-setting', field: 'gatewayKind', label: t('error.action.checkGatewaySettings') }, { kind: 'retry' }],
      };
    case 'GATEWAY_NOT_FOUND':
      return {
        ...base,
        explanation: t('error.explain.GATEWAY_NOT_FOUND'),
        actions: [{ kind: 'edit-setting', field: 'gatewayKind', label: t('error.action.chooseGateway') }, { kind: 'retry' }],
      };
    case 'NODE_TOO_OLD':
      return {
        ...base,
        explanation: t('error.explain.NODE_TOO_OLD'),
        actions: [{ kind: 'edit-setting', field: 'gatewayKind', label: t('error.action.setNodePath') }, { kind: 'retry' }],
      };
  }
}
