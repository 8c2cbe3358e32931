// The dashboard's language: the setting, or 'auto' → the browser's (navigator.language). Chosen
// once before the first render; a change in settings reloads the page in the new language.
import { createTranslator, resolveLanguage, type Language, type LanguageSetting, type MessageKey, type MessageParams } from '../electron/core/i18n';

let current: Language = resolveLanguage('auto', globalThis.navigator?.language);
let translate = createTranslator(current);

export function setLanguage(setting: LanguageSetting): Language {
  current = resolveLanguage(setting, globalThis.navigator?.language);
  translate = createTranslator(current);
  if (typeof document !== 'undefined') document.documentElement.lang = current;
  return current;
}

export function t(key: MessageKey, params?: MessageParams): string {
  return translate(key, params);
}
