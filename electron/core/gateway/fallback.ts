// Why the reference gateway runs although OpenClaw was looked for, as text. No Node imports: the
// core (English, for logs and the API) and the dashboard (the reader's language) both say it.
import { createTranslator, type Translate } from '../i18n';
import type { GatewayFallback } from '../status';

const ENGLISH = createTranslator('en');

export function fallbackText(fallback: GatewayFallback, t: Translate = ENGLISH): string {
  return t(`fallback.${fallback.searched}`) + (fallback.configExists ? t('fallback.configExists') : '');
}
