// The media cache: held under a byte budget, least recently used first out, whatever the size of each entry.
import { describe, expect, it } from 'vitest';
import { MEDIA_CACHE_BYTES, MediaCache } from '../../src/engine/media.ts';

const media = (bytes: number) => ({ contentType: 'image/jpeg', body: Buffer.alloc(bytes) });

describe('MediaCache', () => {
  it('keeps 64 MB at most, however many or few entries that is', () => {
    expect(MEDIA_CACHE_BYTES).toBe(64 * 1024 * 1024);
    const cache = new MediaCache();
    // 100 photos of 2 MB: far fewer entries than any count limit, far more bytes than the budget.
    for (let i = 0; i < 100; i++) cache.set(`photo:${i}`, media(2 * 1024 * 1024));
    expect(cache.bytes).toBeLessThanOrEqual(MEDIA_CACHE_BYTES);
    expect(cache.bytes).toBe(32 * 2 * 1024 * 1024);
    expect(cache.get('photo:99')).toBeDefined();
    expect(cache.get('photo:0')).toBeUndefined();
  });

  it('evicts the least recently used first, and counts a replaced entry once', () => {
    const cache = new MediaCache(30);
    cache.set('a', media(10));
    cache.set('b', media(10));
    cache.set('c', media(10));
    expect(cache.get('a')).toBeDefined();
    cache.set('d', media(10));
    expect(cache.get('b')).toBeUndefined();
    expect(['a', 'c', 'd'].map((k) => cache.get(k) !== undefined)).toEqual([true, true, true]);
    cache.set('a', media(5));
    expect(cache.bytes).toBe(25);
    cache.set('huge', media(31));
    expect(cache.get('huge')).toBeUndefined();
    expect(cache.bytes).toBe(25);
  });
});
