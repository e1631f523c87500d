// A catalog of many synthetic faces made from real ones, for the scale benchmark: real descriptors, landmarks and
// quality fields; people whose sizes follow a heavy tail (a few with thousands of faces, many with one or two).
import { join } from 'node:path';
import type { AnalysedFace } from '../../../src/engine/analysis/analysed-face.ts';
import { Catalog } from '../../../src/engine/catalog/catalog.ts';
import { createRng } from '../../../src/core/rng.ts';

export interface RealFace {
  person: string;
  face: AnalysedFace;
}

export interface ScaleLibraryOptions {
  faces: number;
  people: number;
  /** Zipf exponent of the person sizes: size ∝ 1 / rank^exponent, at least 1. */
  exponent: number;
  seed: number;
}

export interface ScaleLibrary {
  catalogFile: string;
  faces: number;
  people: number;
  largestPerson: number;
  singletons: number;
  realFaces: number;
  realPeople: number;
  seconds: number;
}

/** The faces of a scanned catalog with the folder each photo is in as its person. */
export function realFacesOf(catalogFile: string): RealFace[] {
  const catalog = new Catalog(catalogFile, { readOnly: true });
  try {
    return catalog.faces.present().map((row) => ({
      person: row.path.split('/').slice(-2, -1)[0] ?? '',
      face: {
        box: row.box,
        score: row.score,
        landmarks: row.landmarks,
        descriptor: row.descriptor,
        yaw: row.yaw ?? 0,
        roll: row.roll ?? 0,
        fitResidual: row.fitResidual ?? 0,
        padding: row.padding,
      },
    }));
  } finally {
    catalog.close();
  }
}

/** Person sizes summing to `total`: the heavy tail of a personal library. */
function personSizes(total: number, people: number, exponent: number): number[] {
  const weights = Array.from({ length: people }, (_, p) => 1 / (p + 1) ** exponent);
  const sum = weights.reduce((a, b) => a + b, 0);
  const sizes = weights.map((w) => Math.max(1, Math.floor((w / sum) * total)));
  // Rounding leaves a few faces over or short: the largest person takes the difference.
  sizes[0] += total - sizes.reduce((a, b) => a + b, 0);
  return sizes;
}

/**
 * Each synthetic person's centre is drawn from a Gaussian with the mean and spread of the real
 * people's mean descriptors (a random combination of their deviations from the overall mean), so
 * people are as far apart as real people are. Each face is its person's centre plus the deviation
 * of a random real face from its own person's mean (from real people with at least three faces),
 * renormalised, and keeps that real face's box, landmarks and quality fields.
 */
export function buildScaleLibrary(dir: string, real: RealFace[], options: ScaleLibraryOptions): ScaleLibrary {
  const started = performance.now();
  const rng = createRng(options.seed);
  const d = real[0].face.descriptor.length;
  const byPerson = new Map<string, RealFace[]>();
  for (const r of real) byPerson.set(r.person, [...(byPerson.get(r.person) ?? []), r]);
  const means = [...byPerson.values()].map((faces) => {
    const mean = new Float64Array(d);
    for (const { face } of faces) face.descriptor.forEach((v, j) => (mean[j] += v / faces.length));
    return mean;
  });
  const overall = new Float64Array(d);
  for (const mean of means) mean.forEach((v, j) => (overall[j] += v / means.length));
  const deviations: { from: RealFace; by: Float64Array }[] = [];
  [...byPerson.values()].forEach((faces, p) => {
    if (faces.length < 3) return;
    for (const r of faces) deviations.push({ from: r, by: Float64Array.from(r.face.descriptor, (v, j) => v - means[p][j]) });
  });
  if (deviations.length === 0) throw new Error('the real faces need at least one person with three faces or more');

  const sizes = personSizes(options.faces, options.people, options.exponent);
  const catalogFile = join(dir, 'scale.sqlite');
  const catalog = new Catalog(catalogFile);
  try {
    catalog.setRoot(join(dir, 'library'));
    catalog.db.transaction(() => {
      let photo = 0;
      sizes.forEach((size, person) => {
        const centre = Float64Array.from(overall);
        for (const mean of means) {
          const w = rng.normal() / Math.sqrt(means.length);
          mean.forEach((v, j) => (centre[j] += w * (v - overall[j])));
        }
        // One folder per person, so tag import from folders names them all.
        const folder = `person-${String(person + 1).padStart(5, '0')}`;
        for (let f = 0; f < size; f++, photo++) {
          const { from, by } = deviations[rng.int(deviations.length)];
          const descriptor = Float32Array.from(centre, (v, j) => v + by[j]);
          const norm = Math.hypot(...descriptor);
          descriptor.forEach((v, j) => (descriptor[j] = v / norm));
          const path = `${folder}/photo-${String(photo + 1).padStart(6, '0')}.jpg`;
          catalog.photos.add(path, 100_000 + photo, 0, `synthetic-${photo}`);
          const face: AnalysedFace = { ...from.face, landmarks: Float32Array.from(from.face.landmarks), descriptor };
          catalog.faces.storeAnalysis(catalog.photos.idByPath(path)!, { width: 640, height: 480, faces: [face], analysis: { detector: 'synthetic' } });
        }
      });
    })();
  } finally {
    catalog.close();
  }
  return {
    catalogFile,
    faces: options.faces,
    people: sizes.length,
    largestPerson: sizes[0],
    singletons: sizes.filter((s) => s === 1).length,
    realFaces: real.length,
    realPeople: byPerson.size,
    seconds: Math.round((performance.now() - started) / 100) / 10,
  };
}
