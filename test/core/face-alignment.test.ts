// Aligned face crops: a rolled face's eye line comes out level, centred between the eyes and the mouth.
import { describe, expect, it } from 'vitest';
import { alignedCropFrame, cropToPhoto, photoToCrop } from '../../src/core/face-alignment.ts';
import { centroidOf, IMAGE_LEFT_EYE, IMAGE_RIGHT_EYE } from '../../src/core/geometry.ts';
import { REFERENCE_PRE_SHAPE } from '../../src/core/reference-shape.ts';

/** The reference face, 300 px across, turned by `degrees` in the image plane and placed at (400, 300). */
function rolledFace(degrees: number): Float64Array {
  const a = (degrees * Math.PI) / 180;
  const out = new Float64Array(136);
  for (let i = 0; i < 68; i++) {
    const x = REFERENCE_PRE_SHAPE[2 * i] * 300;
    const y = REFERENCE_PRE_SHAPE[2 * i + 1] * 300;
    out[2 * i] = 400 + x * Math.cos(a) - y * Math.sin(a);
    out[2 * i + 1] = 300 + x * Math.sin(a) + y * Math.cos(a);
  }
  return out;
}

describe('alignedCropFrame', () => {
  it.each([0, 12, -25, 40])('levels the eyes of a face rolled by %i°', (degrees) => {
    const landmarks = rolledFace(degrees);
    const frame = alignedCropFrame(landmarks, { w: 100, h: 120 }, 0.3);
    expect(frame.side).toBeCloseTo(120 * 1.6, 9);
    const left = photoToCrop(frame, 192, centroidOf(landmarks, IMAGE_LEFT_EYE));
    const right = photoToCrop(frame, 192, centroidOf(landmarks, IMAGE_RIGHT_EYE));
    const tilt = (Math.atan2(right.y - left.y, right.x - left.x) * 180) / Math.PI;
    expect(Math.abs(tilt)).toBeLessThan(1e-9);
    expect(right.x).toBeGreaterThan(left.x);
    // The crop's centre is the frame's centre, and the two mappings undo each other.
    expect(cropToPhoto(frame, 192, 96, 96)).toEqual({ x: expect.closeTo(frame.centre.x, 9), y: expect.closeTo(frame.centre.y, 9) });
    const back = cropToPhoto(frame, 192, left.x, left.y);
    expect(back.x).toBeCloseTo(centroidOf(landmarks, IMAGE_LEFT_EYE).x, 9);
    expect(back.y).toBeCloseTo(centroidOf(landmarks, IMAGE_LEFT_EYE).y, 9);
  });
});
