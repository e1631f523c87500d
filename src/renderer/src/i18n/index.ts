// vue-i18n for the whole app: English and Simplified Chinese, following the system language until the user picks one.
import { createI18n } from 'vue-i18n';
import en from '../locales/en/index.ts';
import zhCN from '../locales/zh-CN/index.ts';
import { initialLocale, type Locale } from './locale.ts';

export { LOCALE_NAMES, LOCALES, type Locale } from './locale.ts';

const STORAGE_KEY = 'facet.locale';

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
