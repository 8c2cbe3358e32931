// The "Your OpenClaw" card as plain data: which gateway runs and why (the resolution order with
// paths and versions), its config and how Pincer signs in, who runs an attached gateway, installed
// services, the last restart's kind, and the front door's place on the port. Pure.
import type { GatewayCandidate, GatewaySource, GatewayStatus } from '../../electron/core/status';

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

const SOURCE_LABEL: Record<GatewaySource, string> = {
  settings: 'Settings path',
  bundled: 'Bundled with Pincer',
  user: 'Your install',
  cache: 'Dev cache',
  reference: 'Reference gateway',
};

const MANAGER_TEXT = { systemd: 'systemd', launchd: 'launchd', schtasks: 'a Scheduled Task', manual: 'a process started by hand', unknown: 'an unknown program' } as const;

function candidateRow(candidate: GatewayCandidate): OpenClawModel['candidates'][number] {
  const where = [candidate.version, candidate.via && `found via ${candidate.via}`, candidate.path].filter(Boolean).join(' · ');
  return { label: SOURCE_LABEL[candidate.source], detail: [where, candidate.note].filter(Boolean).join(' — '), chosen: candidate.chosen === true };
}

export function openclawModel(status: GatewayStatus): OpenClawModel {
  const { gateway } = status;
  const lines: OpenClawLine[] = [];
  if (gateway.fallbackReason) lines.push({ id: 'fallback', tone: 'warn', text: gateway.fallbackReason });
  if (gateway.node) lines.push({ id: 'node', tone: 'muted', text: `Node ${gateway.node.version ?? '(version unknown)'}`, code: gateway.node.path });
  const config = gateway.config;
  if (gateway.kind === 'openclaw' && config) {
    if (config.problem) lines.push({ id: 'config-problem', tone: 'warn', text: `Your OpenClaw config cannot be read: ${config.problem}` });
    else if (!config.configured) {
      lines.push({
        id: 'unconfigured',
        tone: 'warn',
        text: `OpenClaw is not set up yet (no gateway.mode in ${config.file}), so Pincer runs it with --allow-unconfigured and its own token. To set it up, run`,
        code: 'openclaw onboard',
      });
    } else lines.push({ id: 'config', tone: 'muted', text: 'Uses your OpenClaw config', code: config.file });
    if (config.port !== undefined && config.port !== status.port) {
      lines.push({
        id: 'port-mismatch',
        tone: 'warn',
        text: `Your OpenClaw config says port ${config.port}, but Pincer serves the gateway on port ${status.port} (from Pincer's settings), so your openclaw CLI and bookmarks look in the wrong place. Set Pincer's gateway port back to ${config.port}, or change gateway.port.`,
      });
    }
  }
  if (gateway.auth) {
    const how = { 'pincer-token': "Pincer's own token (none is configured)", token: "your config's gateway token", password: "your config's gateway password", none: 'no shared secret (auth mode none)' }[gateway.auth];
    const injects = gateway.auth === 'pincer-token' ? '' : '; Pincer adds no token of its own to the gateway';
    lines.push({ id: 'auth', tone: 'muted', text: `Pincer signs in with ${how}${injects}.` });
  }
  const external = status.attached ? status.external : undefined;
  if (external) {
    const who = `${MANAGER_TEXT[external.manager]}${external.unit ? ` (${external.unit})` : ''}`;
    lines.push({ id: 'external', tone: 'info', text: `External gateway${external.pid === undefined ? '' : `, pid ${external.pid}`}, run by ${who}. Pincer watches it but never kills it.` });
    if ('disabled' in external.restart) lines.push({ id: 'external-restart', tone: 'muted', text: `Restart: ${external.restart.disabled}` });
    if ('disabled' in external.stop) lines.push({ id: 'external-stop', tone: 'muted', text: `Stop: ${external.stop.disabled}` });
  }
  for (const service of status.services ?? []) {
    lines.push({
      id: `service-${service.manager}`,
      tone: 'info',
      text: `OpenClaw's own ${service.manager} service is installed; when it runs, Pincer attaches to it instead of starting a second gateway. Stop it with \`openclaw gateway stop\` to let Pincer run OpenClaw.`,
      code: service.file,
    });
  }
  const door = status.frontDoor;
  if (gateway.kind === 'openclaw' && door?.enabled && !status.attached) {
    lines.push({
      id: 'front-door',
      tone: 'muted',
      text: `Pincer's front door holds port ${door.listenPort} and passes every connection to OpenClaw${door.internalPort ? ` on internal port ${door.internalPort}` : ''}, so clients wait through restarts instead of being refused. Your openclaw CLI and the Control UI work through it; \`openclaw gateway status\` may name Pincer's process as the listener on port ${door.listenPort}.`,
    });
  }
  const restart = status.lastRestart;
  if (restart) {
    const took = restart.durationMs === undefined ? '' : ` in ${(restart.durationMs / 1000).toFixed(1)} s`;
    lines.push({ id: 'last-restart', tone: 'muted', text: `Last restart: ${restart.kind === 'in-process' ? 'in-process (same process, OpenClaw restarted itself)' : 'full (a new process)'}${took}${restart.reason ? ` — ${restart.reason}` : ''}.` });
  }
  const openclaw = gateway.kind === 'openclaw';
  return {
    candidates: (gateway.candidates ?? []).map(candidateRow),
    lines,
    controlUiUnavailable: !openclaw ? 'The reference gateway has no Control UI.' : status.state !== 'running' ? `The gateway is ${status.state}.` : '',
    fullRestartUnavailable: status.attached
      ? 'Pincer did not start this gateway.'
      : status.state === 'running' || status.state === 'reconnecting'
        ? ''
        : `The gateway is ${status.state}.`,
  };
}
