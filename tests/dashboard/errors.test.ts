import { describe, expect, it } from 'vitest';
import { GATEWAY_ERROR_CODES, type GatewayError, type GatewayErrorCode } from '../../electron/core/status';
import { en } from '../../electron/core/i18n/en';
import { describeError } from '../../src/logic/errors';

const context = { port: 28789, stderrTail: ['boom', 'at main.js:1'] };
const error = (code: GatewayErrorCode, extra: Partial<GatewayError> = {}): GatewayError => ({
  code,
  message: `core says ${code}`,
  hint: `hint for ${code}`,
  ...extra,
});

const ALL_CODES = GATEWAY_ERROR_CODES;

describe('describeError', () => {
  it.each(ALL_CODES)('%s has a title, an explanation, the core message, the hint by its code, and at least one action', (code) => {
    const model = describeError(error(code), context);
    expect(model.code).toBe(code);
    expect(model.title.length).toBeGreaterThan(0);
    expect(model.explanation.length).toBeGreaterThan(0);
    expect(model.message).toBe(`core says ${code}`);
    // Rendered from the code in the dashboard's language (English here), not the core's text.
    expect(model.hint).toBe(en[`error.hint.${code}`]);
    expect(model.actions.length).toBeGreaterThan(0);
  });

  it('PORT_IN_USE names the process holding the port and offers the next port', () => {
    const model = describeError(error('PORT_IN_USE', { portOwner: { pid: 4242, command: 'python3 -m http.server' } }), context);
    expect(model.title).toContain('28789');
    expect(model.facts).toEqual([{ id: 'port-owner', label: 'Holding port 28789', value: 'python3 -m http.server (pid 4242)' }]);
    expect(model.actions[0]).toEqual({ kind: 'use-another-port', port: 28790 });
    expect(model.actions).toContainEqual({ kind: 'retry' });
  });

  it.each([
    [{ pid: 7 }, 'pid 7'],
    [{ command: 'nginx' }, 'nginx'],
    [{}, undefined],
  ])('names a partially known owner %j as %s', (portOwner, shown) => {
    const model = describeError(error('PORT_HUNG', { portOwner }), context);
    expect(model.facts[0]?.value).toBe(shown);
  });

  it('CRASH_LOOP shows the stderr tail and offers Retry first', () => {
    const model = describeError(error('CRASH_LOOP'), context);
    expect(model.stderrTail).toEqual(context.stderrTail);
    expect(model.actions[0]).toEqual({ kind: 'retry' });
  });

  it('CONFIG_INVALID explains exit 78 and reports the repair that was tried and how it ended', () => {
    const model = describeError(
      error('CONFIG_INVALID', { repair: { command: 'openclaw doctor --fix --yes --non-interactive', exitCode: 1 } }),
      context,
    );
    expect(model.explanation).toContain('code 78');
    expect(model.explanation).toContain('openclaw doctor --fix --yes --non-interactive');
    expect(model.facts).toContainEqual({ id: 'repair-exit', label: 'Repair result', value: 'exit code 1' });
    expect(model.stderrTail).toEqual(context.stderrTail);
  });

  it('CONFIG_INVALID without a repair says none was available', () => {
    expect(describeError(error('CONFIG_INVALID'), context).explanation).toMatch(/No automatic repair/);
  });

  it('AUTH_FAILED explains the token without ever showing one', () => {
    const model = describeError(error('AUTH_FAILED'), context);
    expect(model.explanation).toMatch(/token/);
    expect(model.explanation).toMatch(/never shown/);
  });

  it('PAIRING_REQUIRED shows the request id and lets the user copy it', () => {
    const model = describeError(error('PAIRING_REQUIRED', { requestId: 'req-123' }), context);
    expect(model.facts).toEqual([{ id: 'pairing-request', label: 'Request ID', value: 'req-123' }]);
    expect(model.actions[0]).toEqual({ kind: 'copy', text: 'req-123', label: 'Copy request ID' });
  });

  it('errors that are not about output do not show the stderr tail', () => {
    expect(describeError(error('PORT_IN_USE'), context).stderrTail).toEqual([]);
    expect(describeError(error('AUTH_FAILED'), context).stderrTail).toEqual([]);
  });
});
