// Tests for the seeded PRNG: reproducibility, ranges and distribution.
import { describe, expect, it } from 'vitest';
import { createRng, shuffleInPlace } from '../../src/core/rng.ts';

describe('createRng', () => {
  it('repeats the same sequence for the same seed and differs between seeds', () => {
    const a = createRng(42);
    const b = createRng(42);
    const c = createRng(43);
    const sa = Array.from({ length: 20 }, () => a.next());
    const sb = Array.from({ length: 20 }, () => b.next());
    const sc = Array.from({ length: 20 }, () => c.next());
    expect(sa).toEqual(sb);
    expect(sa).not.toEqual(sc);
  });

  it('draws uniforms in [0, 1) with mean ½ and integers in [0, n)', () => {
    const rng = createRng(7);
    let sum = 0;
    const counts = new Array(5).fill(0);
    for (let i = 0; i < 20000; i++) {
      const u = rng.next();
      expect(u).toBeGreaterThanOrEqual(0);
      expect(u).toBeLessThan(1);
      sum += u;
      counts[rng.int(5)]++;
    }
    expect(sum / 20000).toBeCloseTo(0.5, 2);
    // Each of the 5 values expected 4000 times; ±300 is over 5 standard deviations.
    for (const count of counts) expect(Math.abs(count - 4000)).toBeLessThan(300);
  });

  it('draws standard normals (mean 0, variance 1)', () => {
    const rng = createRng(3);
    const values = Array.from({ length: 20000 }, () => rng.normal());
    const mean = values.reduce((a, b) => a + b, 0) / values.length;
    const variance = values.reduce((a, b) => a + (b - mean) ** 2, 0) / values.length;
    expect(Math.abs(mean)).toBeLessThan(0.03);
    expect(Math.abs(variance - 1)).toBeLessThan(0.05);
  });
});

describe('shuffleInPlace', () => {
  it('permutes reproducibly', () => {
    const a = shuffleInPlace(
      Int32Array.from({ length: 50 }, (_, i) => i),
      createRng(1),
    );
    const b = shuffleInPlace(
      Int32Array.from({ length: 50 }, (_, i) => i),
      createRng(1),
    );
    expect(Array.from(a)).toEqual(Array.from(b));
    expect(Array.from(a).sort((x, y) => x - y)).toEqual(Array.from({ length: 50 }, (_, i) => i));
    expect(Array.from(a)).not.toEqual(Array.from({ length: 50 }, (_, i) => i));
  });
});
