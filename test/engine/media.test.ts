// The media gate: catalog ids in, pixels out; any path-like request is refused.
import { describe, expect, it } from 'vitest';
import { photoFile } from '../../src/engine/media.ts';
import { parseMediaPath } from '../../src/shared/media.ts';

describe('parseMediaPath', () => {
  it('reads face and photo ids', () => {
    expect(parseMediaPath('/face/12')).toEqual({ kind: 'face', id: 12 });
    expect(parseMediaPath('photo/7')).toEqual({ kind: 'photo', id: 7 });
    expect(parseMediaPath('/face/999999999999999')).toEqual({ kind: 'face', id: 999999999999999 });
  });

  it.each([
    '/face/0',
    '/face/-1',
    '/face/01',
    '/face/1.5',
    '/face/1e3',
    '/face/ 1',
    '/face/1/',
    '/face/1/2',
    '/face/',
    '/face',
    '/faces/1',
    '/thumb/1',
    '/face/..',
    '/face/../../etc/passwd',
    '/face/..%2F..%2Fetc%2Fpasswd',
    '/photo/%2e%2e',
    '/photo//etc/passwd',
    '/photo/C:\\Windows',
    '/photo/1?x=1',
    '/face/9999999999999999',
    '',
    '/',
  ])('refuses %j', (path) => {
    expect(parseMediaPath(path)).toBeNull();
  });
});

describe('photoFile', () => {
  it('joins catalog paths under the root', () => {
    expect(photoFile('/lib', 'a/b.jpg')).toBe('/lib/a/b.jpg');
    expect(photoFile('/lib', 'a/./b.jpg')).toBe('/lib/a/b.jpg');
  });

  it.each(['', '../x.jpg', 'a/../../x.jpg', '/etc/passwd', '..', 'a\0b.jpg'])('refuses %j', (path) => {
    expect(photoFile('/lib', path)).toBeNull();
  });
});
