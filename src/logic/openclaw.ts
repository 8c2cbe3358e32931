// The "Your OpenClaw" card as plain data: which gateway runs and why (the resolution order with
// paths and versions), its config and how Pincer signs in, who runs an attached gateway, installed
// services, the last restart's kind, and the front door's place on the port. Pure.
import { refusalText } from '../../electron/core/controls';
import { fallbackText } from '../../electron/core/gateway/fallback';
import { CANDIDATE_NOT_INSTALLED, type ExternalGateway, type GatewayCandidate, type GatewayStatus } from '../../electron/core/status';
import { t } from '../i18n';

export interface OpenClawLine {
  id: string;
  tone: 'info' | 'warn' | 'muted';
  text: string;
  /** A path or command shown in code style after the text. */
  code?: string;
}

export interface OpenClawModel {
  /** The resolution order as searched, one row per place. */
  candidates: Array<{ label: string; detail: string; chosen: boolean }>;
  lines: OpenClawLine[];
  /** Why the Control UI button is disabled, or '' when it can be used. */
  controlUiUnavailable: string;
  /** Why Full restart is disabled, or ''. */
  fullRestartUnavailable: string;
}

const managerText = (manager: ExternalGateway['manager']): string => t(`openclaw.manager.${manager}`);

function candidateRow(candidate: GatewayCandidate): OpenClawModel['candidates'][number] {
  const where = [candidate.version, candidate.via && t('openclaw.foundVia', { via: candidate.via }), candidate.path].filter(Boolean).join(' · ');
  const note = candidate.note === CANDIDATE_NOT_INSTALLED ? t('openclaw.notInstalled') : candidate.note;
  return { label: t(`openclaw.source.${candidate.source}`), detail: [where, note].filter(Boolean).join(' — '), chosen: candidate.chosen === true };
}

export function openclawModel(status: GatewayStatus): OpenClawModel {
  const { gateway } = status;
  const lines: OpenClawLine[] = [];
  const fallback = gateway.fallback ? fallbackText(gateway.fallback, t) : gateway.fallbackReason;
  if (fallback) lines.push({ id: 'fallback', tone: 'warn', text: fallback });
  if (gateway.node)
    lines.push({
      id: 'node',
      tone: 'muted',
      text: gateway.node.version ? t('openclaw.node', { version: gateway.node.version }) : t('openclaw.nodeUnknown'),
      code: gateway.node.path,
    });
  const config = gateway.config;
  if (gateway.kind === 'openclaw' && config) {
    if (config.problem) lines.push({ id: 'config-problem', tone: 'warn', text: t('openclaw.configProblem', { problem: config.problem }) });
    else if (!config.configured) {
      lines.push({
        id: 'unconfigured',
        tone: 'warn',
        text: t('openclaw.unconfigured', { file: config.file }),
        code: 'openclaw onboard',
      });
    } else lines.push({ id: 'config', tone: 'muted', text: t('openclaw.config'), code: config.file });
    if (config.port !== undefined && config.port !== status.port) {
      lines.push({
        id: 'port-mismatch',
        tone: 'warn',
        text: t('openclaw.portMismatch', { configPort: config.port, port: status.port }),
      });
    }
  }
  if (gateway.auth) lines.push({ id: 'auth', tone: 'muted', text: t(`openclaw.auth.${gateway.auth}`) });
  const external = status.attached ? status.external : undefined;
  if (external) {
    const who = external.unit
      ? t('openclaw.managerUnit', { manager: managerText(external.manager), unit: external.unit })
      : managerText(external.manager);
    lines.push({
      id: 'external',
      tone: 'info',
      text: external.pid === undefined ? t('openclaw.external', { who }) : t('openclaw.externalPid', { pid: external.pid, who }),
    });
    if ('disabled' in external.restart)
      lines.push({
        id: 'external-restart',
        tone: 'muted',
        text: t('openclaw.externalRestart', { reason: refusalText('restart', external.restart, external.manager, t) }),
      });
    if ('disabled' in external.stop)
      lines.push({
        id: 'external-stop',
        tone: 'muted',
        text: t('openclaw.externalStop', { reason: refusalText('stop', external.stop, external.manager, t) }),
      });
  }
  for (const service of status.services ?? []) {
    lines.push({
      id: `service-${service.manager}`,
      tone: 'info',
      text: t('openclaw.service', { manager: service.manager }),
      code: service.file,
    });
  }
  const door = status.frontDoor;
  if (gateway.kind === 'openclaw' && door?.enabled && !status.attached) {
    lines.push({
      id: 'front-door',
      tone: 'muted',
      text: door.internalPort
        ? t('openclaw.frontDoorInternal', { port: door.listenPort, internal: door.internalPort })
        : t('openclaw.frontDoor', { port: door.listenPort }),
    });
  }
  const restart = status.lastRestart;
  if (restart) {
    const took = restart.durationMs === undefined ? '' : t('openclaw.lastRestartTook', { seconds: (restart.durationMs / 1000).toFixed(1) });
    const why = restart.reason ? t('openclaw.lastRestartWhy', { reason: restart.reason }) : '';
    lines.push({
      id: 'last-restart',
      tone: 'muted',
      text: t('openclaw.lastRestart', { kind: t(`openclaw.restartKind.${restart.kind}`), took, why }),
    });
  }
  const openclaw = gateway.kind === 'openclaw';
  const gatewayIs = t('controls.why.state', { state: t(`state.${status.state}`) });
  return {
    candidates: (gateway.candidates ?? []).map(candidateRow),
    lines,
    controlUiUnavailable: !openclaw ? t('openclaw.noControlUi') : status.state !== 'running' ? gatewayIs : '',
    fullRestartUnavailable: status.attached
      ? t('openclaw.notStarted')
      : status.state === 'running' || status.state === 'reconnecting'
        ? ''
        : gatewayIs,
  };
}
