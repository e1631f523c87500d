// Tests for the feature blocks, the feature-spec parser and the feature matrix.
import { describe, expect, it } from 'vitest';
import {
  alignedLandmarkFeatures,
  buildFeatureMatrix,
  FEATURE_NAMES,
  landmarkFeatures,
  parseFeatureSpec,
  procrustesMeanShape,
  RATIO_NAMES,
  ratioFeatures,
  readsLandmarks,
} from '../../src/core/features.ts';
import { fitResidual, normaliseShape } from '../../src/core/geometry.ts';
import { createRng } from '../../src/core/rng.ts';
import { syntheticFace, transformShape } from './synthetic.ts';

const face = syntheticFace();

describe('parseFeatureSpec', () => {
  it('parses names and weights, a missing weight meaning 1', () => {
    expect(parseFeatureSpec('descriptor:1,landmarks-aligned:0.5')).toEqual([
      { name: 'descriptor', weight: 1 },
      { name: 'landmarks-aligned', weight: 0.5 },
    ]);
    expect(parseFeatureSpec(' ratios , landmarks : 2 ')).toEqual([
      { name: 'ratios', weight: 1 },
      { name: 'landmarks', weight: 2 },
    ]);
    expect(FEATURE_NAMES).toEqual(['landmarks', 'landmarks-aligned', 'ratios', 'descriptor', 'landmarks-wccn']);
  });

  it('names the bad part in its errors', () => {
    expect(() => parseFeatureSpec('descriptor,nose:2')).toThrow(/unknown feature "nose" in "nose:2"/);
    expect(() => parseFeatureSpec('descriptor:abc')).toThrow(/feature "descriptor:abc": weight must be a positive number, got "abc"/);
    expect(() => parseFeatureSpec('descriptor:0')).toThrow(/"descriptor:0": weight/);
    expect(() => parseFeatureSpec('descriptor:-1')).toThrow(/"descriptor:-1": weight/);
    expect(() => parseFeatureSpec('descriptor:')).toThrow(/got ""/);
    expect(() => parseFeatureSpec('descriptor:Infinity')).toThrow(/weight/);
    expect(() => parseFeatureSpec('descriptor,,ratios')).toThrow(/empty block/);
    expect(() => parseFeatureSpec('  ')).toThrow(/feature spec is empty/);
    expect(() => parseFeatureSpec('ratios,ratios:2')).toThrow(/"ratios" is listed twice/);
  });

  it('tells whether a spec reads the landmarks, which decides its quality gates', () => {
    expect(readsLandmarks(parseFeatureSpec('descriptor:2'))).toBe(false);
    for (const spec of ['landmarks', 'landmarks-aligned', 'ratios', 'descriptor:1,ratios:0.1']) expect(readsLandmarks(parseFeatureSpec(spec)), spec).toBe(true);
  });
});

describe('landmarkFeatures', () => {
  it('puts the eye centres at (∓0.5, 0) on the eye line, scaled by their distance', () => {
    // Eye centres (−32, −15) and (32, −15): origin (0, −15), unit 64. Chin (0, 90) → (0, 105/64).
    const f = landmarkFeatures(face);
    expect(f.length).toBe(136);
    expect(f[2 * 8]).toBeCloseTo(0, 12);
    expect(f[2 * 8 + 1]).toBeCloseTo(105 / 64, 12);
    // Point 36 (−44, −15) → (−12/64 − 0.5, 0).
    expect(f[2 * 36]).toBeCloseTo(-44 / 64, 12);
    expect(f[2 * 36 + 1]).toBeCloseTo(0, 12);
  });

  it('ignores translation and scale but not rotation', () => {
    const moved = landmarkFeatures(transformShape(face, 0, 2.5, 100, -40));
    const rotated = landmarkFeatures(transformShape(face, 20, 1, 0, 0));
    const base = landmarkFeatures(face);
    base.forEach((v, i) => expect(moved[i]).toBeCloseTo(v, 10));
    expect(Math.abs(rotated[2 * 8] - base[2 * 8])).toBeGreaterThan(0.1);
  });
});

describe('procrustesMeanShape and alignedLandmarkFeatures', () => {
  it('recovers the common shape of similarity-transformed copies, and aligns them onto each other', () => {
    const copies = [face, transformShape(face, 25, 0.5, 10, 3), transformShape(face, -40, 3, -200, 50)];
    const mean = procrustesMeanShape(copies);
    expect(Math.hypot(...mean)).toBeCloseTo(1, 12);
    expect(fitResidual(face, mean)).toBeLessThan(1e-9);
    const aligned = copies.map((c) => alignedLandmarkFeatures(c, mean));
    for (const other of aligned.slice(1)) other.forEach((v, i) => expect(v).toBeCloseTo(aligned[0][i], 9));
    // Expressed in eye units: for an undistorted face the eye centres land at (∓0.5, 0) up to the mean's rotation.
    const eye = (shape: Float64Array, start: number) => {
      let x = 0;
      let y = 0;
      for (let i = start; i < start + 6; i++) {
        x += shape[2 * i] / 6;
        y += shape[2 * i + 1] / 6;
      }
      return [x, y];
    };
    const [lx, ly] = eye(aligned[0], 36);
    const [rx, ry] = eye(aligned[0], 42);
    expect(Math.hypot(rx - lx, ry - ly)).toBeCloseTo(1, 9);
    expect((lx + rx) / 2).toBeCloseTo(0, 9);
    expect((ly + ry) / 2).toBeCloseTo(0, 9);
  });

  it('gives a mean between two different shapes that fits both better than either fits the other', () => {
    const rng = createRng(4);
    const other = face.map((v) => v + rng.normal() * 3);
    const mean = procrustesMeanShape([face, transformShape(other, 30, 2, 5, 5)]);
    const apart = fitResidual(other, normaliseShape(face));
    expect(fitResidual(face, mean)).toBeLessThan(apart);
    expect(fitResidual(other, mean)).toBeLessThan(apart);
    expect(() => procrustesMeanShape([])).toThrow(/at least one shape/);
  });
});

describe('ratioFeatures', () => {
  it('measures the synthetic face as worked out by hand', () => {
    const r = ratioFeatures(face);
    const named = Object.fromEntries(RATIO_NAMES.map((name, i) => [name, r[i]]));
    // Eye width 24 (36–39), nose 27 (0, −20) to 33 (0, 25): 45.
    expect(named['eye-width/nose-length']).toBeCloseTo(24 / 45, 12);
    // Jaw 0–16: 140; brow midpoint (0, −35) to chin (0, 90): 125.
    expect(named['face-width/face-height']).toBeCloseTo(140 / 125, 12);
    // Point 4 = (70 cos 135°, 90 sin 135°); angle between the rays to point 0 (−70, 0) and chin (0, 90).
    const p4 = [70 * Math.cos((3 * Math.PI) / 4), 90 * Math.sin((3 * Math.PI) / 4)];
    const u = [-70 - p4[0], -p4[1]];
    const v = [-p4[0], 90 - p4[1]];
    const angle = Math.acos((u[0] * v[0] + u[1] * v[1]) / (Math.hypot(u[0], u[1]) * Math.hypot(v[0], v[1])));
    expect(named['jaw-angle']).toBeCloseTo(angle, 12);
    // u = (−20.50, −63.64), v = (49.50, 26.36): cos = −2692.4 / (66.86 · 56.08) = −0.7181 → 2.3718 rad (135.9°).
    expect(angle).toBeCloseTo(2.3718, 3);
    // Jaw: 16 equal-angle chords of the half ellipse / 140.
    let jaw = 0;
    for (let t = 0; t < 16; t++) {
      const a = Math.PI - (t * Math.PI) / 16;
      const b = Math.PI - ((t + 1) * Math.PI) / 16;
      jaw += Math.hypot(70 * (Math.cos(a) - Math.cos(b)), 90 * (Math.sin(a) - Math.sin(b)));
    }
    expect(named['jaw-curvature']).toBeCloseTo(jaw / 140, 12);
    expect(named['mouth-width/interocular']).toBeCloseTo(50 / 64, 12);
    expect(named['nose-width/interocular']).toBeCloseTo(30 / 64, 12);
    // Lid gaps all 10, eye width 24.
    expect(named['eye-height/eye-width']).toBeCloseTo(10 / 24, 12);
    // Brow centre (−35, −35) to eye centre (−32, −15): √(9 + 400).
    expect(named['brow-eye/interocular']).toBeCloseTo(Math.sqrt(409) / 64, 12);
    expect(named['lower-face/interocular']).toBeCloseTo(65 / 64, 12);
    expect(named['mouth-height/mouth-width']).toBeCloseTo(20 / 50, 12);
    expect(named['inner-canthi/interocular']).toBeCloseTo(40 / 64, 12);
  });

  it('is unchanged by rotation, scale and translation, and never NaN', () => {
    const base = ratioFeatures(face);
    const moved = ratioFeatures(transformShape(face, -35, 0.3, 7, 7));
    base.forEach((v, i) => expect(moved[i]).toBeCloseTo(v, 10));
    expect(Array.from(ratioFeatures(new Array(136).fill(0)))).toEqual(new Array(RATIO_NAMES.length).fill(0));
  });
});

describe('buildFeatureMatrix', () => {
  const rng = createRng(9);
  const faces = Array.from({ length: 12 }, (_, i) => ({
    landmarks: transformShape(
      face.map((v) => v + rng.normal()),
      rng.normal() * 10,
      1 + i / 10,
      rng.normal() * 50,
      rng.normal() * 50,
    ),
    descriptor: Array.from({ length: 128 }, () => rng.normal()),
  }));

  it('learns landmarks-wccn from the tagged faces, and refuses it with too few of them', () => {
    const tagged = faces.map((f, i) => ({ ...f, identity: `p${i % 3}` }));
    expect(() => buildFeatureMatrix(tagged, 'landmarks-wccn')).toThrow(/landmarks-wccn: 3 of the 4 people with 4 tagged faces/);
    const two = faces.map((f, i) => ({ ...f, identity: i < 4 ? null : `p${i % 2}` }));
    expect(() => buildFeatureMatrix(two, 'landmarks-wccn')).toThrow(/2 of the 4 people/);
    const enough = [...faces, ...faces].map((f, i) => ({ ...f, identity: `p${i % 4}` }));
    const m = buildFeatureMatrix(enough, 'descriptor,landmarks-wccn');
    expect(m.cols).toBe(128 + 136);
    expect(m.data.every((x) => Number.isFinite(x))).toBe(true);
  });

  it('keeps the L2-normalised descriptor as it is when it is the only block', () => {
    const m = buildFeatureMatrix(faces, 'descriptor:2');
    expect(m.cols).toBe(128);
    for (let i = 0; i < m.rows; i++) {
      const row = m.data.subarray(i * 128, (i + 1) * 128);
      expect(Math.hypot(...row)).toBeCloseTo(2, 12);
      const raw = faces[i].descriptor;
      expect(row[5] / row[9]).toBeCloseTo(raw[5] / raw[9], 10);
    }
  });

  it('gives each block a total variance of its weight squared, in spec order', () => {
    const m = buildFeatureMatrix(faces, 'ratios:3,descriptor:1,landmarks-aligned:0.5,landmarks');
    const blocks = [
      { cols: RATIO_NAMES.length, weight: 3, zScored: true },
      { cols: 128, weight: 1, zScored: false },
      { cols: 136, weight: 0.5, zScored: true },
      { cols: 136, weight: 1, zScored: true },
    ];
    expect(m.cols).toBe(blocks.reduce((sum, b) => sum + b.cols, 0));
    const stats = (j: number) => {
      let mean = 0;
      for (let i = 0; i < m.rows; i++) mean += m.data[i * m.cols + j] / m.rows;
      let variance = 0;
      for (let i = 0; i < m.rows; i++) variance += (m.data[i * m.cols + j] - mean) ** 2 / m.rows;
      return { mean, variance };
    };
    let offset = 0;
    for (const block of blocks) {
      const columns = Array.from({ length: block.cols }, (_, c) => stats(offset + c));
      const total = columns.reduce((sum, c) => sum + c.variance, 0);
      expect(total).toBeCloseTo(block.weight ** 2, 9);
      if (block.zScored) {
        // z-scored first: every varying column ends with the same share of the block's variance.
        const varying = columns.filter((c) => c.variance > 1e-15);
        for (const c of varying) {
          expect(Math.abs(c.mean)).toBeLessThan(1e-9);
          expect(c.variance).toBeCloseTo(block.weight ** 2 / varying.length, 9);
        }
      } else {
        // The descriptor is only scaled: ratios between its values are kept.
        for (let i = 0; i < m.rows; i++) {
          const raw = faces[i].descriptor;
          expect(m.data[i * m.cols + offset + 5] / m.data[i * m.cols + offset + 9]).toBeCloseTo(raw[5] / raw[9], 9);
        }
      }
      offset += block.cols;
    }
  });

  it('zeroes columns that do not vary across faces', () => {
    // Identical faces: every column is constant.
    const same = [faces[0], faces[0], faces[0]];
    const m = buildFeatureMatrix(same, 'landmarks,ratios');
    expect(m.data.every((v) => v === 0)).toBe(true);
  });

  it('accepts parsed blocks, handles no faces and rejects malformed faces by index', () => {
    expect(buildFeatureMatrix(faces, [{ name: 'ratios', weight: 1 }]).cols).toBe(RATIO_NAMES.length);
    expect(buildFeatureMatrix([], 'landmarks').rows).toBe(0);
    expect(() => buildFeatureMatrix([faces[0], { landmarks: [1, 2], descriptor: faces[0].descriptor }], 'landmarks')).toThrow(
      /face 1: landmarks have 2 numbers, expected 136/,
    );
    // The descriptor alone needs no landmarks (a descriptor run does not read them); a mix with a landmark block does.
    const withoutLandmarks = faces.map((f) => ({ landmarks: [], descriptor: f.descriptor }));
    expect(buildFeatureMatrix(withoutLandmarks, 'descriptor').rows).toBe(faces.length);
    expect(() => buildFeatureMatrix(withoutLandmarks, 'descriptor,ratios')).toThrow(/face 0: landmarks have 0 numbers, expected 136/);
    expect(() => buildFeatureMatrix([faces[0], { landmarks: faces[0].landmarks, descriptor: [1] }], 'descriptor')).toThrow(
      /face 1: descriptor has 1 numbers, expected 128/,
    );
    const broken = { landmarks: [...faces[0].landmarks], descriptor: faces[0].descriptor };
    broken.landmarks[3] = Number.NaN;
    expect(() => buildFeatureMatrix([broken], 'landmarks')).toThrow(/face 0: non-finite value NaN/);
    expect(() => buildFeatureMatrix(faces, [])).toThrow(/no blocks/);
    expect(() => buildFeatureMatrix(faces, 'eyes')).toThrow(/unknown feature "eyes"/);
  });
});
