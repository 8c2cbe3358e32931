// The one lookup for user-facing text in the shell (tray, notifications) and the dashboard:
// message catalogs as data (one module per language), keys typed from the English catalog, so a
// translation missing a key fails the typecheck. No electron, no DOM: both sides import it.
import { en, type MessageKey } from './en';
import { zhCN } from './zh-CN';

export type { MessageKey };

export const LANGUAGES = ['en', 'zh-CN'] as const;
export type Language = (typeof LANGUAGES)[number];
export type LanguageSetting = 'auto' | Language;

export const CATALOGS: Record<Language, Record<MessageKey, string>> = { en, 'zh-CN': zhCN };

/** The texts of an attached gateway's refused Restart / Stop ({manager}: systemd, launchd, schtasks). */
export type ExternalRefusalKey = Extract<MessageKey, `external.${'restart' | 'stop'}.${string}`>;

export type MessageParams = Record<string, string | number>;
export type Translate = (key: MessageKey, params?: MessageParams) => string;

/** The setting, or for 'auto' the OS / browser locale: any Chinese locale → zh-CN (the one Chinese catalog), else English. */
export function resolveLanguage(setting: LanguageSetting, locale: string | undefined): Language {
  if (setting !== 'auto') return setting;
  return /^zh\b/i.test(locale ?? '') ? 'zh-CN' : 'en';
}

/** Fills {name} placeholders; an unknown placeholder stays visible rather than vanishing. */
export function format(template: string, params: MessageParams = {}): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole));
}

export function createTranslator(language: Language): Translate {
  const catalog = CATALOGS[language];
  return (key, params) => format(catalog[key], params);
}
