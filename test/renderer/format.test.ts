// Numbers, rates and durations read naturally in both languages and follow a switch of language.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
// Vue loads first, while there is no document: with the stub below it would try to render into it.
import 'vue';

// i18n/index.ts reads the system language and the stored choice, and marks <html lang>, when it loads.
vi.stubGlobal('navigator', { languages: ['en-US'], language: 'en-US' });
vi.stubGlobal('localStorage', { getItem: () => null, setItem: () => undefined });
vi.stubGlobal('document', { documentElement: { lang: '' } });

const { count, duration, elapsed, plural, rate } = await import('../../src/renderer/src/format.ts');
const { setLocale } = await import('../../src/renderer/src/i18n/index.ts');

afterAll(() => vi.unstubAllGlobals());

describe('format in English', () => {
  beforeAll(() => setLocale('en'));

  it('counts with grouping, and a dash for no number', () => {
    expect(count(1234567)).toBe('1,234,567');
    expect(count(null)).toBe('—');
    expect(count(Number.NaN)).toBe('—');
  });

  it('says counted things with the plural form and a formatted number', () => {
    expect(plural('common.photos', 0)).toBe('no photos');
    expect(plural('common.photos', 1)).toBe('1 photo');
    expect(plural('common.photos', 1204)).toBe('1,204 photos');
  });

  it('says durations and rates as a person would', () => {
    expect(duration(0)).toBe('0 s');
    expect(duration(0.4)).toBe('< 1 s');
    expect(duration(8)).toBe('8 s');
    expect(duration(125)).toBe('2 min 5 s');
    expect(duration(120)).toBe('2 min');
    expect(duration(4320)).toBe('1 h 12 min');
    expect(duration(null)).toBe('—');
    expect(elapsed(711)).toBe('711 ms');
    expect(elapsed(3400)).toBe('3.4 s');
    expect(rate(2.25)).toBe('2.3/s');
    expect(rate(0.5)).toBe('30.0/min');
    expect(rate(0)).toBe('—');
  });
});

describe('format in Simplified Chinese', () => {
  beforeAll(() => setLocale('zh-CN'));

  it('uses Chinese units and counting words', () => {
    expect(plural('common.photos', 1204)).toBe('1,204 张照片');
    expect(duration(0.4)).toBe('不到 1 秒');
    expect(duration(125)).toBe('2 分钟 5 秒');
    expect(duration(4320)).toBe('1 小时 12 分钟');
    expect(elapsed(3400)).toBe('3.4 秒');
    expect(rate(2.25)).toBe('2.3 张/秒');
    expect(rate(0.5)).toBe('30.0 张/分钟');
  });
});
