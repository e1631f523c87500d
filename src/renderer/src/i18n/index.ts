// vue-i18n for the whole app: English and Simplified Chinese, following the system language until the user picks one.
import { createI18n } from 'vue-i18n';
import en from '../locales/en/index.ts';
import zhCN from '../locales/zh-CN/index.ts';

export const LOCALES = ['en', 'zh-CN'] as const;
export type Locale = (typeof LOCALES)[number];

/** Each language's own name, so the switch reads right whatever language is on. */
export const LOCALE_NAMES: Record<Locale, string> = { en: 'English', 'zh-CN': '简体中文' };

const STORAGE_KEY = 'facet.locale';

function isLocale(value: unknown): value is Locale {
  return typeof value === 'string' && (LOCALES as readonly string[]).includes(value);
}

/** The stored choice, else the first system language Facet speaks (any Chinese → zh-CN), else English. */
export function initialLocale(stored: string | null, languages: readonly string[]): Locale {
  if (isLocale(stored)) return stored;
  for (const language of languages) {
    const lower = language.toLowerCase();
    if (lower.startsWith('zh')) return 'zh-CN';
    if (lower.startsWith('en')) return 'en';
  }
  return 'en';
}

function storedLocale(): string | null {
  try {
    return localStorage.getItem(STORAGE_KEY);
  } catch {
    return null;
  }
}

export const i18n = createI18n({
  legacy: false,
  locale: initialLocale(storedLocale(), navigator.languages ?? [navigator.language]),
  fallbackLocale: 'en',
  messages: { en, 'zh-CN': zhCN },
});

document.documentElement.lang = i18n.global.locale.value;

export function setLocale(locale: Locale): void {
  i18n.global.locale.value = locale;
  document.documentElement.lang = locale;
  try {
    localStorage.setItem(STORAGE_KEY, locale);
  } catch {
    // Storage can be disabled: the choice then lasts for this page.
  }
}

/** For code outside components (stores, toasts). */
export const t = i18n.global.t;
