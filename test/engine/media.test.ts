// The media gate: catalog ids in, pixels out; any path-like request is refused. And the aligned crop's sampling.
import { describe, expect, it } from 'vitest';
import { cropToPhoto, type CropFrame } from '../../src/core/face-alignment.ts';
import { photoFile, sampleCrop, type RawRegion } from '../../src/engine/media.ts';
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

describe('sampleCrop', () => {
  // A region whose red and green channels are its pixel coordinates: bilinear sampling of a linear ramp is exact,
  // so every crop pixel must hold the region coordinates that cropToPhoto gives for it, rounded.
  const width = 200;
  const height = 150;
  const channels = 3;
  const data = Buffer.alloc(width * height * channels);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      data[(y * width + x) * channels] = x;
      data[(y * width + x) * channels + 1] = y;
      data[(y * width + x) * channels + 2] = 7;
    }
  }
  // Photo pixels 40.. and 30.., at half scale: a turned crop of 64 pixels that reaches beyond the region's top-left corner.
  const region: RawRegion = { data, width, height, channels, left: 40, top: 30, scale: 0.5 };
  const frame: CropFrame = { centre: { x: 120, y: 90 }, angle: 0.5, side: 240 };
  const size = 64;

  it('draws each crop pixel from the photo point cropToPhoto names, and grey where the region ends', () => {
    const crop = sampleCrop(region, frame, size);
    let inside = 0;
    let outside = 0;
    for (let v = 0; v < size; v++) {
      for (let u = 0; u < size; u++) {
        const p = cropToPhoto(frame, size, u + 0.5, v + 0.5);
        const x = (p.x - region.left) * region.scale - 0.5;
        const y = (p.y - region.top) * region.scale - 0.5;
        const pixel = [...crop.subarray((v * size + u) * 3, (v * size + u) * 3 + 3)];
        // One pixel of slack at the region's edges, where the ramp is clamped and the step sums round differently.
        if (x < -1 || y < -1 || x > width || y > height) {
          expect(pixel, `(${u}, ${v})`).toEqual([230, 230, 230]);
          outside++;
        } else if (x >= 0.5 && y >= 0.5 && x <= width - 1.5 && y <= height - 1.5) {
          expect(pixel, `(${u}, ${v})`).toEqual([Math.round(x), Math.round(y), 7]);
          inside++;
        }
      }
    }
    expect(inside).toBeGreaterThan(size * size * 0.5);
    expect(outside).toBeGreaterThan(0);
  });
});
