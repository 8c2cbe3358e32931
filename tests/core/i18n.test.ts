// The message catalogs: every language has every key (also enforced by the typecheck) with the
// same {placeholders}; the locale choice; the lookup.
import { describe, expect, it } from 'vitest';
import { CATALOGS, createTranslator, format, LANGUAGES, resolveLanguage } from '../../electron/core/i18n';
import { en } from '../../electron/core/i18n/en';
import { GATEWAY_ERROR_CODES } from '../../electron/core/status';

const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe('catalogs', () => {
  it.each(LANGUAGES)('%s has exactly the English keys, each non-empty with the same placeholders', (language) => {
    const catalog = CATALOGS[language];
    expect(Object.keys(catalog).sort()).toEqual(Object.keys(en).sort());
    for (const [key, text] of Object.entries(en)) {
      const translated = catalog[key as keyof typeof en];
      expect(translated.trim(), key).not.toBe('');
      expect(placeholders(translated), key).toEqual(placeholders(text));
    }
  });

  it('zh-CN is really translated (no English sentence copied over)', () => {
    const untranslated = Object.entries(CATALOGS['zh-CN']).filter(
      ([key, text]) => text === en[key as keyof typeof en] && /[a-z]{3,} [a-z]{3,}/.test(text),
    );
    expect(untranslated).toEqual([]);
  });

  it('has a title, an explanation and a hint for every gateway error code', () => {
    for (const code of GATEWAY_ERROR_CODES)
      for (const part of ['title', 'explain', 'hint']) expect(Object.keys(en)).toContain(`error.${part}.${code}`);
  });
});

describe('resolveLanguage', () => {
  it.each<[Parameters<typeof resolveLanguage>[0], string | undefined, string]>([
    ['auto', 'zh-CN', 'zh-CN'],
    ['auto', 'zh', 'zh-CN'],
    ['auto', 'zh-TW', 'zh-CN'],
    ['auto', 'ZH-hans-SG', 'zh-CN'],
    ['auto', 'en-US', 'en'],
    ['auto', 'de-DE', 'en'],
    ['auto', 'zhx', 'en'],
    ['auto', '', 'en'],
    ['auto', undefined, 'en'],
    ['en', 'zh-CN', 'en'],
    ['zh-CN', 'en-GB', 'zh-CN'],
  ])('setting %s, locale %s → %s', (setting, locale, expected) => {
    expect(resolveLanguage(setting, locale)).toBe(expected);
  });
});

describe('lookup', () => {
  it('fills placeholders, leaves unknown ones visible', () => {
    expect(format('port {port} of {host}', { port: 1 })).toBe('port 1 of {host}');
    expect(createTranslator('en')('tray.statusLine', { state: 'running', port: 5 })).toBe('Gateway running · port 5');
    expect(createTranslator('zh-CN')('tray.statusLine', { state: '运行中', port: 5 })).toBe('网关运行中 · 端口 5');
  });
});
