// Catalogs with hand-made faces (chosen boxes, quality fields and descriptors) for engine tests that need no face models.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { AnalysedFace } from '../../src/engine/analysis/analysed-face.ts';
import { Catalog } from '../../src/engine/catalog/catalog.ts';
import { REFERENCE_PRE_SHAPE } from '../../src/core/reference-shape.ts';
import { tempDir } from './temp.ts';

interface SyntheticFace {
  name: string;
  x: number;
  y?: number;
  /** The box is square, `size` px a side (default 100). */
  size?: number;
  score?: number;
  yaw?: number;
  fitResidual?: number;
  /** A unit descriptor: an angle in degrees in the plane of dimensions 0 and 1, or the whole vector. */
  descriptor: number | Float32Array;
  /** Turns the landmarks by this many degrees in the image plane (default 0). */
  roll?: number;
}

export interface SyntheticPhoto {
  path: string;
  width?: number;
  height?: number;
  faces: SyntheticFace[];
  /** Stored, then marked missing (as if the file went away). */
  missing?: boolean;
}

/** The unit descriptor at `degrees` in the plane of dimensions 0 and 1. */
export function unitDescriptor(degrees: number): Float32Array {
  const d = new Float32Array(128);
  d[0] = Math.cos((degrees * Math.PI) / 180);
  d[1] = Math.sin((degrees * Math.PI) / 180);
  return d;
}

/** The mean face shape filling the box, turned by `roll` degrees about the box centre. */
function shapeInBox(box: { x: number; y: number; w: number; h: number }, roll = 0): Float32Array {
  const a = (roll * Math.PI) / 180;
  const cx = box.x + box.w / 2;
  const cy = box.y + box.h / 2;
  const out = new Float32Array(136);
  for (let i = 0; i < 68; i++) {
    const x = REFERENCE_PRE_SHAPE[2 * i] * box.w * 2.5;
    const y = REFERENCE_PRE_SHAPE[2 * i + 1] * box.h * 2.5;
    out[2 * i] = cx + x * Math.cos(a) - y * Math.sin(a);
    out[2 * i + 1] = cy + x * Math.sin(a) + y * Math.cos(a);
  }
  return out;
}

function syntheticFace(face: SyntheticFace): AnalysedFace {
  const side = face.size ?? 100;
  const box = { x: face.x, y: face.y ?? 20, w: side, h: side };
  return {
    box,
    score: face.score ?? 0.95,
    landmarks: shapeInBox(box, face.roll),
    descriptor: typeof face.descriptor === 'number' ? unitDescriptor(face.descriptor) : face.descriptor,
    yaw: face.yaw ?? 0,
    roll: face.roll ?? 0,
    fitResidual: face.fitResidual ?? 0.1,
    padding: 0,
  };
}

/**
 * Stores the photos (in the order given, so ids follow it) and their faces into a new catalog
 * whose library root is an empty temp folder. Returns the files and each face's and photo's id by name/path.
 */
export function buildSyntheticCatalog(photos: readonly SyntheticPhoto[]): {
  root: string;
  catalog: string;
  faceIds: Record<string, number>;
  photoIds: Record<string, number>;
} {
  const dir = tempDir('facet-synthetic-');
  const root = join(dir, 'photos');
  mkdirSync(root);
  const file = join(dir, 'catalog.sqlite');
  const catalog = new Catalog(file);
  const faceIds: Record<string, number> = {};
  const photoIds: Record<string, number> = {};
  try {
    catalog.db.transaction(() => {
      for (const photo of photos) {
        catalog.photos.add(photo.path, 1000, 1_700_000_000_000, `hash-of-${photo.path}`);
        const photoId = catalog.photos.idByPath(photo.path)!;
        photoIds[photo.path] = photoId;
        catalog.faces.storeAnalysis(photoId, { width: photo.width ?? 1000, height: photo.height ?? 800, faces: photo.faces.map(syntheticFace), analysis: {} });
        const stored = catalog.db
          .prepare<[number], { id: number }>('SELECT id FROM faces WHERE photo_id = ? ORDER BY id')
          .all(photoId)
          .map((r) => r.id);
        photo.faces.forEach((face, i) => (faceIds[face.name] = stored[i]));
        if (photo.missing) catalog.photos.markMissing([photoId]);
      }
    })();
  } finally {
    catalog.close();
  }
  return { root, catalog: file, faceIds, photoIds };
}
