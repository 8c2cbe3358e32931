// The settings form. Validation is the backend's: its field errors appear under the fields.
// Only changed fields are sent, so saving an untouched port never restarts the gateway.
import type { SettingsUpdateResult } from '../../electron/core/api';
import type { Settings } from '../../electron/core/settings/schema';
import { patchFromValues, sentence, splitFieldErrors, valuesFromSettings, type FormField, type FormValues } from '../logic/settings-form';
import { h, replace, setText } from './dom';
import { t } from '../i18n';

export interface SettingsView {
  el: HTMLElement;
  load(settings: Settings): void;
  loadFailed(message: string): void;
  /** Prefills the port field with a suggestion and puts the cursor there; the user saves. */
  suggestPort(port: number): void;
  focusField(field: FormField): void;
}

type Control = HTMLInputElement | HTMLSelectElement;

function withNote(fieldEl: HTMLElement, note: HTMLElement): HTMLElement {
  fieldEl.append(note);
  return fieldEl;
}

export function createSettings(save: (patch: Partial<Settings>) => Promise<SettingsUpdateResult>, onLanguageChange: () => void): SettingsView {
  let saved: Settings | undefined;
  const errors = new Map<FormField, HTMLElement>();
  const controls = {} as Record<FormField, Control>;

  function field(name: FormField, label: string, control: Control, help?: string): HTMLElement {
    control.id = `settings-${name}`;
    control.name = name;
    controls[name] = control;
    const error = h('p', { class: 'field-error', id: `field-error-${name}`, testid: `field-error-${name}`, hidden: true });
    errors.set(name, error);
    const helpEl = help ? h('p', { class: 'field-help', id: `field-help-${name}`, text: help }) : null;
    control.setAttribute('aria-describedby', [helpEl ? helpEl.id : '', error.id].filter(Boolean).join(' '));
    return h('div', { class: 'field', 'data-field': name }, h('label', { for: control.id, text: label }), control, helpEl, error);
  }

  function checkbox(name: FormField, label: string, help: string, testid: string): HTMLElement {
    const control = h('input', { type: 'checkbox', testid });
    control.id = `settings-${name}`;
    control.name = name;
    controls[name] = control;
    const error = h('p', { class: 'field-error', id: `field-error-${name}`, testid: `field-error-${name}`, hidden: true });
    errors.set(name, error);
    const helpEl = h('p', { class: 'field-help', id: `field-help-${name}`, text: help });
    control.setAttribute('aria-describedby', `${helpEl.id} ${error.id}`);
    return h(
      'div',
      { class: 'field field-check', 'data-field': name },
      control,
      h('div', {}, h('label', { for: control.id, text: label }), helpEl, error),
    );
  }

  const portInput = h('input', {
    type: 'number',
    inputmode: 'numeric',
    min: 1024,
    max: 65535,
    step: 1,
    testid: 'settings-port',
    autocomplete: 'off',
  });
  const portNote = h('p', { class: 'field-note', testid: 'settings-port-note', role: 'status', hidden: true });
  const kindSelect = h(
    'select',
    { testid: 'settings-kind' },
    h('option', { value: 'auto', text: t('settings.kindAuto') }),
    h('option', { value: 'reference', text: t('settings.kindReference') }),
    h('option', { value: 'openclaw', text: t('settings.kindOpenclaw') }),
  );
  // Each language named in itself, so it can be found whatever the current one is.
  const languageSelect = h(
    'select',
    { testid: 'settings-language' },
    h('option', { value: 'auto', text: t('settings.languageAuto') }),
    h('option', { value: 'en', text: 'English' }),
    h('option', { value: 'zh-CN', text: '简体中文' }),
  );
  const pathInput = h('input', {
    type: 'text',
    testid: 'settings-openclaw-path',
    spellcheck: 'false',
    autocomplete: 'off',
    placeholder: t('settings.openclawPathPlaceholder'),
  });
  const heartbeatInput = h('input', {
    type: 'number',
    inputmode: 'numeric',
    min: 1000,
    max: 60000,
    step: 500,
    testid: 'settings-heartbeat',
    autocomplete: 'off',
  });

  const message = h('p', { class: 'form-message', testid: 'settings-message', role: 'status', 'aria-live': 'polite' });
  const otherErrors = h('ul', { class: 'form-errors', testid: 'settings-errors', hidden: true });
  const saveButton = h('button', {
    type: 'submit',
    class: 'btn btn-primary',
    id: 'settings-save',
    testid: 'settings-save',
    text: t('settings.save'),
  });
  const resetButton = h('button', { type: 'button', class: 'btn', testid: 'settings-reset', text: t('settings.undo') });

  const form = h(
    'form',
    { class: 'settings-form', novalidate: true, 'aria-labelledby': 'settings-title' },
    h(
      'div',
      { class: 'field-row' },
      withNote(field('gatewayPort', t('settings.port'), portInput, t('settings.portHelp')), portNote),
      field('heartbeatMs', t('settings.heartbeat'), heartbeatInput, t('settings.heartbeatHelp')),
    ),
    field('gatewayKind', t('settings.kind'), kindSelect, t('settings.kindHelp')),
    field('openclawPath', t('settings.openclawPath'), pathInput, t('settings.openclawPathHelp')),
    checkbox('autoStart', t('settings.autoStart'), t('settings.autoStartHelp'), 'settings-autostart'),
    checkbox('startAtLogin', t('settings.startAtLogin'), t('settings.startAtLoginHelp'), 'settings-start-at-login'),
    checkbox('startMinimized', t('settings.startMinimized'), t('settings.startMinimizedHelp'), 'settings-start-minimized'),
    checkbox('notifications', t('settings.notifications'), t('settings.notificationsHelp'), 'settings-notifications'),
    checkbox('frontDoor', t('settings.frontDoor'), t('settings.frontDoorHelp'), 'settings-frontdoor'),
    checkbox('checkForUpdates', t('settings.checkForUpdates'), t('settings.checkForUpdatesHelp'), 'settings-check-updates'),
    field('language', t('settings.language'), languageSelect, t('settings.languageHelp')),
    otherErrors,
    h('div', { class: 'form-actions' }, saveButton, resetButton, message),
  );
  const el = h(
    'section',
    { class: 'card card-settings', id: 'settings', 'aria-labelledby': 'settings-title' },
    h('h2', { id: 'settings-title', text: t('settings.title') }),
    form,
  );

  function values(): FormValues {
    return {
      gatewayPort: portInput.value,
      gatewayKind: kindSelect.value as FormValues['gatewayKind'],
      openclawPath: pathInput.value,
      autoStart: (controls.autoStart as HTMLInputElement).checked,
      startAtLogin: (controls.startAtLogin as HTMLInputElement).checked,
      startMinimized: (controls.startMinimized as HTMLInputElement).checked,
      notifications: (controls.notifications as HTMLInputElement).checked,
      heartbeatMs: heartbeatInput.value,
      frontDoor: (controls.frontDoor as HTMLInputElement).checked,
      language: languageSelect.value as FormValues['language'],
      checkForUpdates: (controls.checkForUpdates as HTMLInputElement).checked,
    };
  }

  function fill(v: FormValues): void {
    portInput.value = v.gatewayPort;
    kindSelect.value = v.gatewayKind;
    pathInput.value = v.openclawPath;
    (controls.autoStart as HTMLInputElement).checked = v.autoStart;
    (controls.startAtLogin as HTMLInputElement).checked = v.startAtLogin;
    (controls.startMinimized as HTMLInputElement).checked = v.startMinimized;
    (controls.notifications as HTMLInputElement).checked = v.notifications;
    heartbeatInput.value = v.heartbeatMs;
    (controls.frontDoor as HTMLInputElement).checked = v.frontDoor;
    languageSelect.value = v.language;
    (controls.checkForUpdates as HTMLInputElement).checked = v.checkForUpdates;
    refresh();
  }

  function showErrors(list: { field: string; message: string }[]): void {
    const { byField, other } = splitFieldErrors(list);
    for (const [name, errorEl] of errors) {
      const text = byField.get(name);
      errorEl.hidden = !text;
      setText(errorEl, text ?? '');
      if (text) controls[name].setAttribute('aria-invalid', 'true');
      else controls[name].removeAttribute('aria-invalid');
    }
    otherErrors.hidden = other.length === 0;
    replace(otherErrors, ...other.map((e) => h('li', { text: e.field ? `${e.field}: ${e.message}` : sentence(e.message) })));
  }

  /** Save is offered only when something changed. */
  function refresh(): void {
    const dirty = saved !== undefined && Object.keys(patchFromValues(values(), saved)).length > 0;
    saveButton.disabled = !dirty;
    resetButton.hidden = !dirty;
    pathInput.disabled = kindSelect.value === 'reference';
    form.toggleAttribute('data-dirty', dirty);
  }

  form.addEventListener('input', () => {
    refresh();
    setText(message, '');
    portNote.hidden = true;
  });
  form.addEventListener('change', refresh);
  resetButton.addEventListener('click', () => {
    if (saved) fill(valuesFromSettings(saved));
    showErrors([]);
    setText(message, '');
  });
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    if (!saved) return;
    const patch = patchFromValues(values(), saved);
    if (Object.keys(patch).length === 0) return;
    saveButton.disabled = true;
    setText(saveButton, t('settings.saving'));
    setText(message, '');
    save(patch)
      .then((result) => {
        if (result.ok) {
          portNote.hidden = true;
          saved = result.settings;
          showErrors([]);
          fill(valuesFromSettings(result.settings));
          setText(message, result.restartScheduled ? t('settings.savedRestart') : t('settings.saved'));
          if (patch.language !== undefined) onLanguageChange();
        } else {
          showErrors(result.errors);
          setText(message, t('settings.notSavedFields'));
          const first = result.errors.map((e) => controls[e.field as FormField]).find(Boolean);
          first?.focus();
        }
      })
      .catch((error: unknown) => setText(message, t('settings.notSaved', { message: error instanceof Error ? error.message : String(error) })))
      .finally(() => {
        setText(saveButton, t('settings.save'));
        refresh();
      });
  });

  for (const control of Object.values(controls)) control.disabled = true;
  saveButton.disabled = true;
  resetButton.hidden = true;

  return {
    el,
    load(settings) {
      saved = settings;
      for (const control of Object.values(controls)) control.disabled = false;
      fill(valuesFromSettings(settings));
    },
    loadFailed(text) {
      setText(message, t('settings.loadFailed', { message: text }));
    },
    suggestPort(port) {
      portInput.value = String(port);
      showErrors([]);
      refresh();
      setText(portNote, t('settings.portNote', { port }));
      portNote.hidden = false;
      // The whole card, so Save is in view too.
      el.scrollIntoView({ block: 'start', behavior: 'smooth' });
      portInput.focus({ preventScroll: true });
      portInput.select();
    },
    focusField(name) {
      const control = controls[name];
      control.scrollIntoView({ block: 'center', behavior: 'smooth' });
      control.focus({ preventScroll: true });
    },
  };
}
