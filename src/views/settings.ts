// The settings form. Validation is the backend's: its field errors appear under the fields.
// Only changed fields are sent, so saving an untouched port never restarts the gateway.
import type { SettingsUpdateResult } from '../../electron/core/api';
import type { Settings } from '../../electron/core/settings/schema';
import { patchFromValues, sentence, splitFieldErrors, valuesFromSettings, type FormField, type FormValues } from '../logic/settings-form';
import { h, replace, setText } from './dom';

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

export function createSettings(save: (patch: Partial<Settings>) => Promise<SettingsUpdateResult>): SettingsView {
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
    return h('div', { class: 'field field-check', 'data-field': name }, control, h('div', {}, h('label', { for: control.id, text: label }), helpEl, error));
  }

  const portInput = h('input', { type: 'number', inputmode: 'numeric', min: 1024, max: 65535, step: 1, testid: 'settings-port', autocomplete: 'off' });
  const portNote = h('p', { class: 'field-note', testid: 'settings-port-note', role: 'status', hidden: true });
  const kindSelect = h(
    'select',
    { testid: 'settings-kind' },
    h('option', { value: 'auto', text: 'Automatic' }),
    h('option', { value: 'reference', text: 'Reference gateway (built in)' }),
    h('option', { value: 'openclaw', text: 'OpenClaw' }),
  );
  const pathInput = h('input', { type: 'text', testid: 'settings-openclaw-path', spellcheck: 'false', autocomplete: 'off', placeholder: 'Find automatically' });
  const heartbeatInput = h('input', { type: 'number', inputmode: 'numeric', min: 1000, max: 60000, step: 500, testid: 'settings-heartbeat', autocomplete: 'off' });

  const message = h('p', { class: 'form-message', testid: 'settings-message', role: 'status', 'aria-live': 'polite' });
  const otherErrors = h('ul', { class: 'form-errors', testid: 'settings-errors', hidden: true });
  const saveButton = h('button', { type: 'submit', class: 'btn btn-primary', id: 'settings-save', testid: 'settings-save', text: 'Save' });
  const resetButton = h('button', { type: 'button', class: 'btn', testid: 'settings-reset', text: 'Undo changes' });

  const form = h(
    'form',
    { class: 'settings-form', novalidate: true, 'aria-labelledby': 'settings-title' },
    h(
      'div',
      { class: 'field-row' },
      withNote(field('gatewayPort', 'Gateway port', portInput, 'The port clients connect to (1024–65535).'), portNote),
      field('heartbeatMs', 'Heartbeat (ms)', heartbeatInput, 'How often Pincer checks the gateway answers.'),
    ),
    field('gatewayKind', 'Gateway', kindSelect, 'Automatic uses OpenClaw when it is installed, otherwise the built-in reference gateway.'),
    field('openclawPath', 'OpenClaw folder', pathInput, 'The folder holding node_modules/openclaw. Leave empty to find it automatically.'),
    checkbox('autoStart', 'Start the gateway with Pincer', 'Starts it as soon as Pincer opens.', 'settings-autostart'),
    checkbox('frontDoor', 'Front door', 'Pincer holds the port open and queues connections while the gateway restarts.', 'settings-frontdoor'),
    checkbox('checkForUpdates', 'Check for updates', 'The desktop app looks for a new version now and then, and offers it in the tray.', 'settings-check-updates'),
    otherErrors,
    h('div', { class: 'form-actions' }, saveButton, resetButton, message),
  );
  const el = h('section', { class: 'card card-settings', id: 'settings', 'aria-labelledby': 'settings-title' }, h('h2', { id: 'settings-title', text: 'Settings' }), form);

  function values(): FormValues {
    return {
      gatewayPort: portInput.value,
      gatewayKind: kindSelect.value as FormValues['gatewayKind'],
      openclawPath: pathInput.value,
      autoStart: (controls.autoStart as HTMLInputElement).checked,
      heartbeatMs: heartbeatInput.value,
      frontDoor: (controls.frontDoor as HTMLInputElement).checked,
      checkForUpdates: (controls.checkForUpdates as HTMLInputElement).checked,
    };
  }

  function fill(v: FormValues): void {
    portInput.value = v.gatewayPort;
    kindSelect.value = v.gatewayKind;
    pathInput.value = v.openclawPath;
    (controls.autoStart as HTMLInputElement).checked = v.autoStart;
    heartbeatInput.value = v.heartbeatMs;
    (controls.frontDoor as HTMLInputElement).checked = v.frontDoor;
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
    setText(saveButton, 'Saving…');
    setText(message, '');
    save(patch)
      .then((result) => {
        if (result.ok) {
          portNote.hidden = true;
          saved = result.settings;
          showErrors([]);
          fill(valuesFromSettings(result.settings));
          setText(message, result.restartScheduled ? 'Saved. The gateway restarts to apply it.' : 'Saved.');
        } else {
          showErrors(result.errors);
          setText(message, 'Not saved: fix the marked fields.');
          const first = result.errors.map((e) => controls[e.field as FormField]).find(Boolean);
          first?.focus();
        }
      })
      .catch((error: unknown) => setText(message, `Not saved: ${error instanceof Error ? error.message : String(error)}`))
      .finally(() => {
        setText(saveButton, 'Save');
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
      setText(message, `Settings could not be loaded: ${text}`);
    },
    suggestPort(port) {
      portInput.value = String(port);
      showErrors([]);
      refresh();
      setText(portNote, `Press Save to move the gateway to port ${port}; Pincer checks the port before it starts there.`);
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
