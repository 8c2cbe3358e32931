// The errors a start can end in, with the one sentence telling the user what to do about each.
// The hints' one source is the English message catalog: the core puts the English hint into every
// GatewayError (API, logs), and the dashboard shows the hint for the code in its own language.
import { en } from './i18n/en';
import type { GatewayError, GatewayErrorCode } from './status';

export function gatewayError(code: GatewayErrorCode, message: string, extra: Partial<GatewayError> = {}): GatewayError {
  return { code, message, hint: en[`error.hint.${code}`], ...extra };
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
