// The settings form as data: what the inputs hold, and the patch a save sends. The backend
// validates (one source of truth for the rules); this module only turns text into typed values.
import type { Settings } from '../../electron/core/settings/schema';
import type { FieldError } from '../../electron/core/api';

export const FORM_FIELDS = [
  'gatewayPort',
  'gatewayKind',
  'openclawPath',
  'autoStart',
  'startAtLogin',
  'startMinimized',
  'notifications',
  'heartbeatMs',
  'frontDoor',
  'language',
  'checkForUpdates',
] as const;
export type FormField = (typeof FORM_FIELDS)[number];

export interface FormValues {
  gatewayPort: string;
  gatewayKind: Settings['gatewayKind'];
  openclawPath: string;
  autoStart: boolean;
  startAtLogin: boolean;
  startMinimized: boolean;
  notifications: boolean;
  heartbeatMs: string;
  frontDoor: boolean;
  language: Settings['language'];
  checkForUpdates: boolean;
}

export function valuesFromSettings(settings: Settings): FormValues {
  return {
    gatewayPort: String(settings.gatewayPort),
    gatewayKind: settings.gatewayKind,
    openclawPath: settings.openclawPath,
    autoStart: settings.autoStart,
    startAtLogin: settings.startAtLogin,
    startMinimized: settings.startMinimized,
    notifications: settings.notifications,
    heartbeatMs: String(settings.heartbeatMs),
    frontDoor: settings.frontDoor,
    language: settings.language,
    checkForUpdates: settings.checkForUpdates,
  };
}

/** Text → number; anything that is not a number becomes NaN so the backend names the field. */
function numberFrom(text: string): number {
  const trimmed = text.trim();
  return trimmed === '' ? Number.NaN : Number(trimmed);
}

/** Only the fields that differ from the saved settings, so an unchanged field never triggers a restart. */
export function patchFromValues(values: FormValues, saved: Settings): Partial<Settings> {
  const next: Pick<Settings, FormField> = {
    gatewayPort: numberFrom(values.gatewayPort),
    gatewayKind: values.gatewayKind,
    openclawPath: values.openclawPath.trim(),
    autoStart: values.autoStart,
    startAtLogin: values.startAtLogin,
    startMinimized: values.startMinimized,
    notifications: values.notifications,
    heartbeatMs: numberFrom(values.heartbeatMs),
    frontDoor: values.frontDoor,
    language: values.language,
    checkForUpdates: values.checkForUpdates,
  };
  const patch: Partial<Settings> = {};
  for (const field of FORM_FIELDS) {
    if (!Object.is(next[field], saved[field])) Object.assign(patch, { [field]: next[field] });
  }
  return patch;
}

/** A nearby port to offer when the current one is taken. */
export function suggestPort(port: number): number {
  return port < 65535 ? port + 1 : port - 1;
}

/** Backend errors split into those shown under a form field and the rest (shown above Save). */
export function splitFieldErrors(errors: FieldError[]): { byField: Map<FormField, string>; other: FieldError[] } {
  const byField = new Map<FormField, string>();
  const other: FieldError[] = [];
  for (const error of errors) {
    const field = FORM_FIELDS.find((f) => f === error.field);
    if (field && !byField.has(field)) byField.set(field, sentence(error.message));
    else other.push(error);
  }
  return { byField, other };
}

/** Backend messages read "must be …" after the field name; as a standalone line they need a capital. */
export function sentence(message: string): string {
  return message ? `${message.charAt(0).toUpperCase()}${message.slice(1)}` : message;
}
