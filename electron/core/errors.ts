// The errors a start can end in, with the one sentence telling the user what to do about each.
// The one source of these texts: the core puts the hint into every GatewayError, and the
// dashboard shows it as it comes (src/logic/errors.ts adds titles and actions, not hints).
import type { GatewayError, GatewayErrorCode } from './status';

export const HINTS: Record<GatewayErrorCode, string> = {
  PORT_IN_USE: 'Stop the program holding the port, or choose another gateway port in settings.',
  PORT_HUNG: 'A process holds the port but does not answer; stop it, or choose another port.',
  CRASH_LOOP: 'The gateway keeps crashing right after start, before it runs stably; read its last output below, fix the cause, then Retry.',
  CONFIG_INVALID: "The gateway refused its configuration (exit 78) and the automatic repair didn't fix it; check its config file.",
  AUTH_FAILED: "The gateway rejected Pincer's token; if you changed the gateway's token yourself, set the same one for Pincer or remove yours.",
  PAIRING_REQUIRED: 'Approve this device in the gateway (pairing request shown), then Retry.',
  PROTOCOL_MISMATCH: 'This gateway speaks another protocol version; update the gateway or Pincer.',
  START_TIMEOUT: 'The gateway started but never became ready; read its output below.',
  SPAWN_FAILED: 'The gateway program could not be started; check the gateway path and Node runtime in settings.',
  GATEWAY_NOT_FOUND: 'Install OpenClaw with `npm run gateway:openclaw`, set its path in settings, or choose the reference gateway.',
};

export function gatewayError(code: GatewayErrorCode, message: string, extra: Partial<GatewayError> = {}): GatewayError {
  return { code, message, hint: HINTS[code], ...extra };
}

/** A start failure the user must act on: the flow ends in `error`, no automatic retry. */
export class StartFailure extends Error {
  constructor(readonly error: GatewayError) {
    super(error.message);
  }
}

/** "pid 1234 (node …)", for messages naming who holds a port. */
export function describeOwner(owner?: { pid: number; command: string }): string {
  return owner ? `pid ${owner.pid} (${owner.command})` : 'another process (its owner could not be determined)';
}
