import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS } from '../../electron/core/settings/schema';
import { patchFromValues, sentence, splitFieldErrors, suggestPort, valuesFromSettings } from '../../src/logic/settings-form';

describe('patchFromValues', () => {
  const saved = DEFAULT_SETTINGS;
  const values = valuesFromSettings(saved);

  it('sends nothing when nothing changed (so an untouched form never restarts the gateway)', () => {
    expect(patchFromValues(values, saved)).toEqual({});
  });

  it('sends only the changed fields, typed', () => {
    expect(patchFromValues({ ...values, gatewayPort: ' 28790 ', autoStart: !saved.autoStart }, saved)).toEqual({
      gatewayPort: 28790,
      autoStart: !saved.autoStart,
    });
  });

  it.each([['abc'], [''], ['12abc']])('turns a non-number port %j into NaN so the backend names the field', (text) => {
    const patch = patchFromValues({ ...values, gatewayPort: text }, saved);
    expect(Number.isNaN(patch.gatewayPort)).toBe(true);
  });

  it('passes out-of-range numbers through for the backend to judge', () => {
    expect(patchFromValues({ ...values, gatewayPort: '80', heartbeatMs: '10' }, saved)).toEqual({ gatewayPort: 80, heartbeatMs: 10 });
  });

  it('trims the OpenClaw path and treats whitespace as no change', () => {
    expect(patchFromValues({ ...values, openclawPath: '   ' }, saved)).toEqual({});
    expect(patchFromValues({ ...values, openclawPath: ' /opt/openclaw ' }, saved)).toEqual({ openclawPath: '/opt/openclaw' });
  });

  it('sends the gateway kind and front door switch', () => {
    expect(patchFromValues({ ...values, gatewayKind: 'openclaw', frontDoor: false }, saved)).toEqual({ gatewayKind: 'openclaw', frontDoor: false });
  });

  it('sends "Check for updates" (on by default) only when it changed', () => {
    expect(values.checkForUpdates).toBe(true);
    expect(patchFromValues({ ...values, checkForUpdates: false }, saved)).toEqual({ checkForUpdates: false });
  });
});

describe('suggestPort', () => {
  it.each([
    [28789, 28790],
    [1024, 1025],
    [65534, 65535],
    [65535, 65534],
  ])('%d → %d', (port, suggestion) => {
    expect(suggestPort(port)).toBe(suggestion);
  });
});

describe('splitFieldErrors', () => {
  it('puts errors of form fields under their field and keeps the rest apart', () => {
    const { byField, other } = splitFieldErrors([
      { field: 'gatewayPort', message: 'must be a whole number from 1024 to 65535' },
      { field: 'restartPolicy.baseDelayMs', message: 'must not exceed restartPolicy.maxDelayMs' },
      { field: '', message: 'settings must be a JSON object' },
    ]);
    expect([...byField]).toEqual([['gatewayPort', 'Must be a whole number from 1024 to 65535']]);
    expect(other.map((e) => e.field)).toEqual(['restartPolicy.baseDelayMs', '']);
  });

  it('keeps the first message when a field has several', () => {
    const { byField } = splitFieldErrors([
      { field: 'heartbeatMs', message: 'first' },
      { field: 'heartbeatMs', message: 'second' },
    ]);
    expect(byField.get('heartbeatMs')).toBe('First');
  });
});

it('sentence capitalises a backend message', () => {
  expect(sentence('must be true or false')).toBe('Must be true or false');
  expect(sentence('')).toBe('');
});
