// A synthetic photo library for the UI benchmark: small drawn JPEGs, their faces written through the real Catalog, a few hundred tagged through the engine.
import { mkdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { createRng, type Rng } from '../../../src/core/rng.ts';
import { REFERENCE_PRE_SHAPE } from '../../../src/core/reference-shape.ts';
import type { AnalysedFace } from '../../../src/engine/analysis/analysed-face.ts';
import { Catalog } from '../../../src/engine/catalog/catalog.ts';
import { Engine } from '../../../src/engine/engine.ts';
import { hashFile } from '../../../src/engine/library/reconcile.ts';
import { gaussianBlobs } from '../../core/synthetic.ts';

export interface SyntheticLibraryOptions {
  photos: number;
  facesPerPhoto: number;
  /** Descriptor centres: faces of one person lie around the same point of the unit sphere. */
  people: number;
  /** People given a name, and how many of their faces carry it. */
  namedPeople: number;
  taggedFacesPerPerson: number;
  seed: number;
}

export interface SyntheticLibrary {
  root: string;
  catalogFile: string;
  photos: number;
  faces: number;
  taggedFaces: number;
  names: string[];
  seconds: { images: number; catalog: number; tags: number; total: number };
}

const WIDTH = 640;
const HEIGHT = 480;
const DESCRIPTOR_DIMS = 128;
/** Photos are drawn this many at a time: sharp renders on its own threads, two cores gain little beyond. */
const DRAWING_CONCURRENCY = 4;

/** Where a frontal face's eyes and mouth sit in a detector box, as fractions of its height. */
const EYE_LEVEL = 0.35;
const MOUTH_LEVEL = 0.75;

interface PlannedFace {
  box: { x: number; y: number; w: number; h: number };
  person: number;
}

const personName = (person: number): string => `Person ${String(person + 1).padStart(2, '0')}`;

/** The reference shape's mean eye and mouth heights, to scale it so they land at EYE_LEVEL and MOUTH_LEVEL. */
function referenceLevels(): { eyes: number; mouth: number } {
  const meanY = (from: number, to: number) => {
    let sum = 0;
    for (let p = from; p <= to; p++) sum += REFERENCE_PRE_SHAPE[2 * p + 1];
    return sum / (to - from + 1);
  };
  // iBUG 68: 36–47 are the eyes, 48–67 the lips.
  return { eyes: meanY(36, 47), mouth: meanY(48, 67) };
}

const levels = referenceLevels();
const shapeScale = (MOUTH_LEVEL - EYE_LEVEL) / (levels.mouth - levels.eyes);
const shapeOffset = EYE_LEVEL - levels.eyes * shapeScale;

/** The mean face shape laid into the box (in photo pixels), each point nudged by about 1 % of the box. */
function landmarksIn(box: PlannedFace['box'], rng: Rng): Float32Array {
  const points = new Float32Array(REFERENCE_PRE_SHAPE.length);
  for (let i = 0; i < points.length; i += 2) {
    points[i] = box.x + box.w * (0.5 + shapeScale * REFERENCE_PRE_SHAPE[i] + 0.01 * rng.normal());
    points[i + 1] = box.y + box.h * (shapeOffset + shapeScale * REFERENCE_PRE_SHAPE[i + 1] + 0.01 * rng.normal());
  }
  return points;
}

/** One face per cell of a grid over the photo, each box a random size and place inside its cell. */
function planFaces(count: number, people: number, rng: Rng): PlannedFace[] {
  const columns = Math.ceil(Math.sqrt((count * WIDTH) / HEIGHT));
  const rows = Math.ceil(count / columns);
  const cellW = WIDTH / columns;
  const cellH = HEIGHT / rows;
  return Array.from({ length: count }, (_, i) => {
    const w = Math.round(Math.min(cellW, cellH / 1.15) * (0.6 + 0.35 * rng.next()));
    const h = Math.round(w * 1.15);
    const x = Math.floor((i % columns) * cellW + rng.next() * (cellW - w));
    const y = Math.floor(Math.floor(i / columns) * cellH + rng.next() * (cellH - h));
    return { box: { x, y, w, h }, person: rng.int(people) };
  });
}

const colour = (rng: Rng, min = 0, max = 255) => `rgb(${[0, 1, 2].map(() => Math.round(min + rng.next() * (max - min))).join(',')})`;

/** A gradient, a few shapes, and a cartoon face (skin, eyes, mouth) in each box, so crops look like faces in screenshots. */
function photoSvg(faces: PlannedFace[], skins: string[], rng: Rng): string {
  const shapes = Array.from({ length: 6 }, () => {
    const x = Math.round(rng.next() * WIDTH);
    const y = Math.round(rng.next() * HEIGHT);
    const size = Math.round(30 + rng.next() * 120);
    return rng.next() < 0.5
      ? `<circle cx="${x}" cy="${y}" r="${size / 2}" fill="${colour(rng)}" opacity="0.5"/>`
      : `<rect x="${x}" y="${y}" width="${size}" height="${size * 0.6}" fill="${colour(rng)}" opacity="0.5"/>`;
  });
  const drawn = faces.map(({ box: { x, y, w, h }, person }) => {
    const cx = x + w / 2;
    const eyeY = y + h * EYE_LEVEL;
    return [
      `<ellipse cx="${cx}" cy="${y + h * 0.55}" rx="${w * 0.42}" ry="${h * 0.5}" fill="${skins[person]}"/>`,
      `<circle cx="${cx - w * 0.18}" cy="${eyeY}" r="${w * 0.06}" fill="#222"/>`,
      `<circle cx="${cx + w * 0.18}" cy="${eyeY}" r="${w * 0.06}" fill="#222"/>`,
      `<rect x="${cx - w * 0.15}" y="${y + h * MOUTH_LEVEL - h * 0.03}" width="${w * 0.3}" height="${h * 0.06}" rx="${h * 0.03}" fill="#833"/>`,
    ].join('');
  });
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}">
    <defs><linearGradient id="g" x1="0" y1="0" x2="1" y2="1"><stop offset="0" stop-color="${colour(rng)}"/><stop offset="1" stop-color="${colour(rng)}"/></linearGradient></defs>
    <rect width="100%" height="100%" fill="url(#g)"/>${shapes.join('')}${drawn.join('')}</svg>`;
}

/** Unit-length descriptors, `counts[p]` of them around person p's centre (same person ≈ 0.5 apart, others ≈ 1.4). */
function descriptorsByPerson(counts: number[], seed: number): Float32Array[][] {
  const { matrix } = gaussianBlobs({ sizes: counts, dims: DESCRIPTOR_DIMS, seed, spread: 0.35, separation: 1 });
  const byPerson: Float32Array[][] = [];
  let row = 0;
  for (const count of counts) {
    const rows: Float32Array[] = [];
    for (let i = 0; i < count; i++, row++) {
      const v = Float32Array.from(matrix.data.subarray(row * DESCRIPTOR_DIMS, (row + 1) * DESCRIPTOR_DIMS));
      const norm = Math.hypot(...v);
      rows.push(v.map((x) => x / norm));
    }
    byPerson.push(rows);
  }
  return byPerson;
}

async function inBatches<T>(items: T[], size: number, work: (item: T) => Promise<void>): Promise<void> {
  for (let i = 0; i < items.length; i += size) await Promise.all(items.slice(i, i + size).map(work));
}

const secondsSince = (start: number) => Math.round((performance.now() - start) / 100) / 10;

/** Builds the library in `dir` (photos under dir/library, the catalog at dir/catalog.db, engine data in dir/data). */
export async function buildSyntheticLibrary(dir: string, options: SyntheticLibraryOptions): Promise<SyntheticLibrary> {
  const started = performance.now();
  const rng = createRng(options.seed);
  const root = join(dir, 'library');
  const catalogFile = join(dir, 'catalog.db');
  const skins = Array.from({ length: options.people }, () => colour(rng, 120, 240));
  const photos = Array.from({ length: options.photos }, (_, i) => ({
    // A folder per fifty photos, so the folder filter has choices.
    path: `album-${String(Math.floor(i / 50) + 1).padStart(2, '0')}/photo-${String(i + 1).padStart(4, '0')}.jpg`,
    faces: planFaces(options.facesPerPhoto, options.people, rng),
  }));

  await inBatches(photos, DRAWING_CONCURRENCY, async (photo) => {
    const file = join(root, photo.path);
    mkdirSync(join(file, '..'), { recursive: true });
    writeFileSync(
      file,
      await sharp(Buffer.from(photoSvg(photo.faces, skins, rng)))
        .jpeg({ quality: 80 })
        .toBuffer(),
    );
  });
  const imagesSeconds = secondsSince(started);

  const catalogStarted = performance.now();
  const counts = new Array<number>(options.people).fill(0);
  for (const photo of photos) for (const face of photo.faces) counts[face.person]++;
  const descriptors = descriptorsByPerson(counts, options.seed + 1);
  const used = new Array<number>(options.people).fill(0);
  const facesOfPerson: number[][] = Array.from({ length: options.people }, () => []);

  const catalog = new Catalog(catalogFile);
  try {
    catalog.setRoot(root);
    const faceIds = catalog.db.prepare<[number], { id: number }>('SELECT id FROM faces WHERE photo_id = ? ORDER BY id');
    for (const photo of photos) {
      const file = join(root, photo.path);
      const { size, mtimeMs } = statSync(file);
      catalog.photos.add(photo.path, size, mtimeMs, await hashFile(file));
      const photoId = catalog.photos.idByPath(photo.path)!;
      const faces: AnalysedFace[] = photo.faces.map(({ box, person }) => ({
        box,
        score: 0.75 + 0.24 * rng.next(),
        landmarks: landmarksIn(box, rng),
        descriptor: descriptors[person][used[person]++],
        yaw: 3 * rng.normal(),
        roll: 2 * rng.normal(),
        fitResidual: 0.1 + 0.02 * rng.normal(),
        padding: 0,
      }));
      catalog.faces.storeAnalysis(photoId, { width: WIDTH, height: HEIGHT, faces, analysis: { detector: 'synthetic' } });
      // Faces are stored in the order given, so ids in id order follow the plan.
      faceIds.all(photoId).forEach(({ id }, i) => facesOfPerson[photo.faces[i].person].push(id));
    }
  } finally {
    catalog.close();
  }
  const catalogSeconds = secondsSince(catalogStarted);

  const tagsStarted = performance.now();
  const engine = new Engine({ dataDir: join(dir, 'data') });
  const names: string[] = [];
  let taggedFaces = 0;
  try {
    await engine.openCatalogFile(catalogFile);
    for (let person = 0; person < options.namedPeople; person++) {
      const identity = await engine.call('identities/create', { name: personName(person) });
      const faceIds = facesOfPerson[person].slice(0, options.taggedFacesPerPerson);
      if (faceIds.length === 0) continue;
      taggedFaces += (await engine.call('faces/tag', { faceIds, identityId: identity.id })).tagged;
      names.push(identity.name);
    }
  } finally {
    await engine.close();
  }

  return {
    root,
    catalogFile,
    photos: photos.length,
    faces: photos.length * options.facesPerPhoto,
    taggedFaces,
    names,
    seconds: { images: imagesSeconds, catalog: catalogSeconds, tags: secondsSince(tagsStarted), total: secondsSince(started) },
  };
}
