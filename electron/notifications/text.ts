// What a notification says, in the user's language. Pure.
import type { Translate } from '../core/i18n';
import type { ExitInfo, GatewayStatus } from '../core/status';
import type { GatewayNotice } from './policy';

export function exitText(exit: Pick<ExitInfo, 'code' | 'signal'>, t: Translate): string {
  if (exit.signal) return t('exit.signal', { signal: exit.signal });
  if (exit.code !== null) return t('exit.code', { code: exit.code });
  return t('exit.unknown');
}

export function noticeText(notice: GatewayNotice, status: Pick<GatewayStatus, 'port'>, t: Translate): { title: string; body: string } {
  switch (notice.kind) {
    case 'error':
      return {
        title: t('notify.errorTitle'),
        body: `${t(`error.title.${notice.code}`, { port: status.port })}\n${t(`error.hint.${notice.code}`)}`,
      };
    case 'recovered':
      return { title: t('notify.recoveredTitle'), body: t('notify.recoveredBody', { exit: exitText(notice.exit, t), port: status.port }) };
    case 'restarted':
      return { title: t('notify.restartedTitle'), body: t('notify.restartedBody', { port: status.port, seconds: Math.round(notice.tookMs / 1000) }) };
  }
}
