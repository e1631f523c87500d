// Seeded synthetic data shared by the core unit tests and the clustering benchmark.

import { createMatrix, type Matrix } from '../../src/core/matrix.ts';
import { createRng, type Rng } from '../../src/core/rng.ts';

export interface LabelledMatrix {
  matrix: Matrix;
  labels: Int32Array;
}

/**
 * Isotropic Gaussian blobs: centres drawn N(0, separation²) per coordinate, points around them
 * N(0, spread²). Points are stored blob after blob.
 */
export function gaussianBlobs(options: { sizes: readonly number[]; dims: number; seed: number; spread?: number; separation?: number }): LabelledMatrix {
  const { sizes, dims, seed, spread = 1, separation = 10 } = options;
  const rng = createRng(seed);
  const total = sizes.reduce((a, b) => a + b, 0);
  const matrix = createMatrix(total, dims);
  const labels = new Int32Array(total);
  let row = 0;
  sizes.forEach((size, blob) => {
    const centre = Float64Array.from({ length: dims }, () => rng.normal() * separation);
    for (let p = 0; p < size; p++, row++) {
      labels[row] = blob;
      for (let j = 0; j < dims; j++) matrix.data[row * dims + j] = centre[j] + rng.normal() * spread;
    }
  });
  return { matrix, labels };
}

function randomUnit(rng: Rng, dims: number): Float64Array {
  const v = Float64Array.from({ length: dims }, () => rng.normal());
  const norm = Math.hypot(...v);
  return v.map((x) => x / norm);
}

/**
 * The case that traps plain k-means, shaped like 10 LFW people: on the 128-D unit sphere, one
 * person with 530 widely spread faces and nine with 50 tight faces each, two of which are close
 * neighbours (centres 0.4 apart). k-means++ tends to spend two seeds on the big spread-out
 * cluster and none on one of the neighbours; Lloyd then keeps the big one cut in two and the
 * neighbours merged, although the true partition has the lower inertia.
 */
export function unequalClusterTrap(seed: number): LabelledMatrix {
  const dims = 128;
  const rng = createRng(seed);
  const sizes = [530, 50, 50, 50, 50, 50, 50, 50, 50, 50];
  const spreads = [0.5, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1];
  const centres = sizes.map(() => randomUnit(rng, dims));
  const nudge = randomUnit(rng, dims);
  const neighbour = centres[1].map((x, j) => x + 0.4 * nudge[j]);
  const norm = Math.hypot(...neighbour);
  centres[2] = neighbour.map((x) => x / norm);
  const total = sizes.reduce((a, b) => a + b, 0);
  const matrix = createMatrix(total, dims);
  const labels = new Int32Array(total);
  let row = 0;
  sizes.forEach((size, person) => {
    for (let p = 0; p < size; p++, row++) {
      const v = centres[person].map((x) => x + (rng.normal() * spreads[person]) / Math.sqrt(dims));
      const length = Math.hypot(...v);
      matrix.data.set(
        v.map((x) => x / length),
        row * dims,
      );
      labels[row] = person;
    }
  });
  return { matrix, labels };
}

/**
 * A frontal, level face in the iBUG 68-point layout with round numbers, so that measurements
 * can be worked out by hand: eye centres at (−32, −15) and (32, −15) (interocular 64); jaw on
 * the lower half of an ellipse (radii 70, 90) centred at the origin; brows flat at y = −35;
 * nose bridge 27–30 from (0, −20) to (0, 15); nostrils 31–35 from x = −15 to 15 at y = 25;
 * outer lips an ellipse (25, 10) around (0, 55), inner lips (15, 4).
 */
export function syntheticFace(): number[] {
  const points: [number, number][] = [];
  for (let t = 0; t <= 16; t++) {
    const angle = Math.PI - (t * Math.PI) / 16;
    points.push([70 * Math.cos(angle), 90 * Math.sin(angle)]);
  }
  for (let t = 0; t < 5; t++) points.push([-55 + 10 * t, -35]);
  for (let t = 0; t < 5; t++) points.push([15 + 10 * t, -35]);
  for (let t = 0; t < 4; t++) points.push([0, -20 + (35 * t) / 3]);
  for (let t = 0; t < 5; t++) points.push([-15 + 7.5 * t, 25]);
  const eye = (cx: number): [number, number][] => [
    [cx - 12, -15],
    [cx - 4, -20],
    [cx + 4, -20],
    [cx + 12, -15],
    [cx + 4, -10],
    [cx - 4, -10],
  ];
  points.push(...eye(-32), ...eye(32));
  for (let i = 0; i < 12; i++) {
    const angle = Math.PI - (i * Math.PI) / 6;
    points.push([25 * Math.cos(angle), 55 - 10 * Math.sin(angle)]);
  }
  for (let i = 0; i < 8; i++) {
    const angle = Math.PI - (i * Math.PI) / 4;
    points.push([15 * Math.cos(angle), 55 - 4 * Math.sin(angle)]);
  }
  return points.flat();
}

/** Rotates by `degrees` about the origin, scales, then translates: a similarity transform of a shape. */
export function transformShape(shape: readonly number[], degrees: number, scale: number, dx: number, dy: number): number[] {
  const c = Math.cos((degrees * Math.PI) / 180) * scale;
  const s = Math.sin((degrees * Math.PI) / 180) * scale;
  const out: number[] = [];
  for (let i = 0; i < shape.length; i += 2) {
    out.push(c * shape[i] - s * shape[i + 1] + dx, s * shape[i] + c * shape[i + 1] + dy);
  }
  return out;
}

/**
 * Faces of `sizes.length` people as unit vectors: each person's centre drawn from N(0, centreScale²)
 * per dimension, each face the centre plus N(0, noise²) per dimension, normalised to length 1.
 */
export function unitVectorPeople(options: { sizes: readonly number[]; dims: number; seed: number; noise: number; centreScale?: number }): LabelledMatrix {
  const { sizes, dims, seed, noise, centreScale = 1 } = options;
  const rng = createRng(seed);
  const total = sizes.reduce((a, b) => a + b, 0);
  const matrix = createMatrix(total, dims);
  const labels = new Int32Array(total);
  let row = 0;
  sizes.forEach((size, person) => {
    const centre = Array.from({ length: dims }, () => rng.normal());
    for (let f = 0; f < size; f++, row++) {
      const v = centre.map((x) => x * centreScale + rng.normal() * noise);
      const norm = Math.hypot(...v);
      v.forEach((x, j) => (matrix.data[row * dims + j] = x / norm));
      labels[row] = person;
    }
  });
  return { matrix, labels };
}
