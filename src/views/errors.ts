// The error panel: what went wrong, why, and buttons that fix it.
import type { GatewayStatus } from '../../electron/core/status';
import { describeError, type ErrorAction } from '../logic/errors';
import { h, replace } from './dom';
import type { View } from './view';
import { t } from '../i18n';

export interface ErrorHandlers {
  retry(): void;
  useAnotherPort(port: number): void;
  editSetting(field: 'gatewayKind' | 'gatewayPort'): void;
  openLogs(): void;
}

export function createErrorPanel(handlers: ErrorHandlers): View<GatewayStatus | undefined> {
  const el = h('section', { class: 'error-panel', id: 'error-panel', testid: 'error-panel', 'aria-labelledby': 'error-title', hidden: true });
  let lastKey = '';

  const button = (action: ErrorAction, primary: boolean): HTMLButtonElement => {
    const cls = primary ? 'btn btn-primary' : 'btn';
    switch (action.kind) {
      case 'use-another-port':
        return onClick(
          h('button', { type: 'button', class: cls, testid: 'btn-use-other-port', text: t('error.action.useOtherPort', { port: action.port }) }),
          () => handlers.useAnotherPort(action.port),
        );
      case 'retry':
        return onClick(h('button', { type: 'button', class: cls, testid: 'btn-retry', text: t('error.action.retry') }), handlers.retry);
      case 'edit-setting':
        return onClick(h('button', { type: 'button', class: cls, testid: 'btn-edit-settings', text: action.label }), () =>
          handlers.editSetting(action.field),
        );
      case 'open-logs':
        return onClick(
          h('button', { type: 'button', class: cls, testid: 'btn-error-open-logs', text: t('error.action.openLogs') }),
          handlers.openLogs,
        );
      case 'copy': {
        const copy = h('button', { type: 'button', class: cls, testid: 'btn-copy', text: action.label });
        return onClick(copy, () => {
          void navigator.clipboard?.writeText(action.text).then(
            () => (copy.textContent = t('error.action.copied')),
            () => (copy.textContent = t('error.action.copyFailed')),
          );
        });
      }
    }
  };

  return {
    el,
    update(status) {
      const model = status?.error ? describeError(status.error, status) : undefined;
      // Rebuilt only when the error itself changes, so a focused button keeps its focus.
      const key = model ? JSON.stringify(model) : '';
      if (key === lastKey) return;
      lastKey = key;
      el.hidden = !model;
      if (!model) {
        el.replaceChildren();
        return;
      }
      replace(
        el,
        h(
          'div',
          { class: 'error-head' },
          h('span', { class: 'error-code', testid: 'error-code', text: model.code }),
          h('h2', { id: 'error-title', text: model.title }),
        ),
        h('p', { class: 'error-explanation', text: model.explanation }),
        model.facts.length > 0 &&
          h(
            'dl',
            { class: 'error-facts' },
            ...model.facts.map((fact) => h('div', { class: 'fact' }, h('dt', { text: fact.label }), h('dd', { testid: fact.id, text: fact.value }))),
          ),
        h('p', { class: 'error-message', testid: 'error-message' }, h('span', { class: 'error-label', text: t('error.label.says') }), model.message),
        model.hint &&
          h('p', { class: 'error-hint', testid: 'error-hint' }, h('span', { class: 'error-label', text: t('error.label.todo') }), model.hint),
        model.stderrTail.length > 0 &&
          h(
            'details',
            { class: 'stderr', open: true },
            h('summary', {
              text: model.stderrTail.length === 1 ? t('error.stderrLine') : t('error.stderrLines', { count: model.stderrTail.length }),
            }),
            h('pre', { class: 'stderr-tail', testid: 'stderr-tail', tabindex: 0, text: model.stderrTail.join('\n') }),
          ),
        h('div', { class: 'error-actions' }, ...model.actions.map((action, i) => button(action, i === 0))),
      );
    },
  };
}

function onClick(button: HTMLButtonElement, handler: () => void): HTMLButtonElement {
  button.addEventListener('click', handler);
  return button;
}
