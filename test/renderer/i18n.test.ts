// The two languages stay in step (same keys, no empty message, same placeholders), the frame and the Library
// have no hard-coded English left in their templates, and a window starts in the right language.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import en from '../../src/renderer/src/locales/en/index.ts';
import zhCN from '../../src/renderer/src/locales/zh-CN/index.ts';
import { initialLocale } from '../../src/renderer/src/i18n/locale.ts';
import { repoRoot } from '../helpers/cli.ts';

/** Every message as "path.to.key" → text. */
function flatten(tree: object, prefix = ''): Map<string, string> {
  const messages = new Map<string, string>();
  for (const [key, value] of Object.entries(tree)) {
    const path = prefix ? `${prefix}.${key}` : key;
    if (typeof value === 'string') messages.set(path, value);
    else for (const [inner, text] of flatten(value as object, path)) messages.set(inner, text);
  }
  return messages;
}

function placeholders(message: string): Set<string> {
  return new Set([...message.matchAll(/\{\s*(\w+)\s*\}/g)].map((match) => match[1]));
}

/** The keys one tree has and the other lacks, and messages that are blank. */
function compareLocales(reference: object, translation: object) {
  const a = flatten(reference);
  const b = flatten(translation);
  return {
    missing: [...a.keys()].filter((key) => !b.has(key)),
    extra: [...b.keys()].filter((key) => !a.has(key)),
    empty: [...a, ...b].filter(([, text]) => text.trim() === '').map(([key]) => key),
    lostPlaceholders: [...a]
      .filter(([key]) => b.has(key))
      .flatMap(([key, text]) => [...placeholders(text)].filter((name) => !placeholders(b.get(key)!).has(name)).map((name) => `${key}: {${name}}`)),
  };
}

describe('the English and Chinese messages', () => {
  it('have the same keys, none empty, and every English placeholder in the Chinese message too', () => {
    expect(compareLocales(en, zhCN)).toEqual({ missing: [], extra: [], empty: [], lostPlaceholders: [] });
  });

  it('notice a key missing from either language, an empty message and a lost placeholder', () => {
    const broken = structuredClone(zhCN) as Record<string, Record<string, unknown>>;
    delete broken.library.eyebrow;
    broken.library.extra = '多余';
    broken.library.defaultTitle = ' ';
    (broken.library.summary as Record<string, string>).finishedIn = '扫描完成';
    expect(compareLocales(en, broken)).toEqual({
      missing: ['library.eyebrow'],
      extra: ['library.extra'],
      empty: ['library.defaultTitle'],
      lostPlaceholders: ['library.summary.finishedIn: {time}'],
    });
  });
});

/** The templates already written for both languages; widen this as more views are translated. */
/** Every component of the renderer: all of them speak through vue-i18n. */
const TRANSLATED_TEMPLATES = (readdirSync(join(repoRoot, 'src/renderer/src'), { recursive: true }) as string[]).filter((file) => file.endsWith('.vue')).sort();

/** Attributes a person reads or hears; a static value with words in it is untranslated text. */
const READ_ATTRIBUTES = /(?<![:@#.\w-])(?:title|alt|placeholder|aria-label|label)="([^"]*)"/g;
/** A start or end tag, its attribute values possibly holding ">" (as in "a => b"). */
const TAG = /<\/?[\w-]+(?:[^>"']|"[^"]*"|'[^']*')*>/g;
const WORD = /\p{L}{3,}/u;

/** Text a person would read that does not go through t(): words in text nodes or in read attributes. */
function hardCodedText(source: string): string[] {
  const start = source.indexOf('<template');
  const end = source.lastIndexOf('</template>');
  if (start < 0 || end < 0) return [];
  const template = source
    .slice(start, end)
    .replace(/<!--[\s\S]*?-->/g, '')
    // Commands, code and the names printed on keys are the same in every language.
    .replace(/<code>[\s\S]*?<\/code>/g, '')
    .replace(/<(span|kbd)\b[^>]*class="[^"]*\bkbd\b[^"]*"[^>]*>[^<]*<\/\1>/g, '');
  const attributes = [...template.matchAll(READ_ATTRIBUTES)].map((match) => match[1]).filter((value) => WORD.test(value));
  const text = template
    .replace(/\{\{[\s\S]*?\}\}/g, ' ')
    .replace(TAG, '\n')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => WORD.test(line));
  return [...attributes, ...text];
}

describe('templates of every view and component', () => {
  it.each(TRANSLATED_TEMPLATES)('%s shows no hard-coded text', (file) => {
    expect(hardCodedText(readFileSync(join(repoRoot, 'src/renderer/src', file), 'utf8'))).toEqual([]);
  });

  it('the check finds text nodes and read attributes, and leaves t() and code alone', () => {
    const source = `<template>
      <h1>{{ t('library.eyebrow') }}</h1>
      <button :title="t('common.close')" aria-label="Close now" @click="() => open = !open">Open it</button>
      <img alt="" /><code>facet serve</code><!-- A comment --><span class="kbd">Delete</span>
      <span class="x">{{ a }} · {{ b }}</span>
    </template>`;
    expect(hardCodedText(source)).toEqual(['Close now', 'Open it']);
  });
});

describe('initialLocale', () => {
  it('keeps a stored choice', () => {
    expect(initialLocale('zh-CN', ['en-US'])).toBe('zh-CN');
    expect(initialLocale('en', ['zh-CN'])).toBe('en');
  });

  it('ignores a stored value that is no language of Facet', () => {
    expect(initialLocale('fr', ['zh-TW'])).toBe('zh-CN');
    expect(initialLocale('', ['en-GB'])).toBe('en');
  });

  it('follows the first system language Facet speaks; any Chinese reads Simplified Chinese', () => {
    expect(initialLocale(null, ['zh-CN', 'en'])).toBe('zh-CN');
    expect(initialLocale(null, ['zh-Hant-TW'])).toBe('zh-CN');
    expect(initialLocale(null, ['ZH'])).toBe('zh-CN');
    expect(initialLocale(null, ['de-DE', 'en-US', 'zh-CN'])).toBe('en');
    expect(initialLocale(null, ['fr-FR', 'zh-CN'])).toBe('zh-CN');
  });

  it('falls back to English', () => {
    expect(initialLocale(null, [])).toBe('en');
    expect(initialLocale(null, ['fr-FR', 'de'])).toBe('en');
  });
});
