// Which of Start / Stop / Restart make sense for a status. Pure, shared by the tray menu and the
// dashboard, so both offer the same actions at the same time.
import { createTranslator, type ExternalRefusalKey, type Translate } from './i18n';
import { en } from './i18n/en';
import type { ExternalGateway, ExternalRefusal, GatewayStatus } from './status';

export type ControlAction = 'start' | 'stop' | 'restart';

export const CONTROL_ACTIONS: readonly ControlAction[] = ['start', 'stop', 'restart'];

const ENGLISH = createTranslator('en');

/** An attached gateway's refused Restart / Stop, in the reader's language. */
export function refusalText(
  action: 'restart' | 'stop',
  refusal: ExternalRefusal,
  manager: ExternalGateway['manager'],
  t: Translate = ENGLISH,
): string {
  const key = `external.${action}.${refusal.why}`;
  return key in en ? t(key as ExternalRefusalKey, { manager }) : refusal.disabled;
}

/** Why the action means nothing in this status, or '' when it is available (in the language of `t`). */
export function unavailableReason(
  action: ControlAction,
  status: Pick<GatewayStatus, 'state' | 'pid' | 'attached' | 'external'>,
  t: Translate = ENGLISH,
): string {
  const { state } = status;
  const stateIs = () => t('controls.why.state', { state: t(`state.${state}`) });
  const hasProcess = status.pid !== undefined;
  switch (action) {
    case 'start':
      return state === 'stopped' || state === 'error' ? '' : stateIs();
    case 'stop':
      if (state === 'stopped') return t('controls.why.alreadyStopped');
      if (state === 'stopping') return t('controls.why.alreadyStopping');
      if (status.attached && status.external && 'disabled' in status.external.stop)
        return refusalText('stop', status.external.stop, status.external.manager, t);
      if (state === 'error' && !hasProcess) return t('controls.why.noProcess');
      return '';
    case 'restart':
      if (status.attached) {
        // An attached gateway restarts only through its own means (signal, its service), if any.
        const restart = status.external?.restart;
        if (!restart) return t('external.restart.no-restart');
        if ('disabled' in restart) return refusalText('restart', restart, status.external!.manager, t);
        return state === 'running' || state === 'reconnecting' ? '' : stateIs();
      }
      if (state === 'running' || state === 'reconnecting') return '';
      if (state === 'error' && hasProcess) return '';
      if (state === 'stopped' || state === 'error') return t('controls.why.useStart');
      return stateIs();
  }
}
