// A photo's label goes to its subject: the face nearest the centre, the larger on a tie.
import { describe, expect, it } from 'vitest';
import { subjectFace } from '../../src/core/photo-label.ts';

const face = (x: number, y: number, w: number, h = w) => ({ box: { x, y, w, h } });

describe('subjectFace', () => {
  it('picks the face nearest the image centre, not the largest', () => {
    // 600×400 photo: centre (300, 200). A big bystander at the left edge, a smaller subject centred.
    expect(subjectFace([face(0, 100, 200), face(260, 160, 80)], 600, 400)).toBe(1);
  });

  it('breaks a tie (within a pixel) by size', () => {
    // Both centred at (300, 200).
    expect(subjectFace([face(280, 180, 40), face(250, 150, 100)], 600, 400)).toBe(1);
    expect(subjectFace([face(250, 150, 100), face(280.5, 180.5, 40)], 600, 400)).toBe(0);
  });

  it('returns -1 for a photo without faces', () => {
    expect(subjectFace([], 600, 400)).toBe(-1);
  });
});
