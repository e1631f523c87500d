// The faces of one catalog held in memory for the review views: filters, orders and descriptor distances run in JS over it.
import type { FaceMark, FaceSummary, TagSource } from '../shared/contract.ts';
import { qualityFailures, type QualityFailure } from '../core/quality.ts';
import { personModel, type PersonModel } from '../core/suggestions.ts';
import { float32FromBlob } from './catalog/blobs.ts';
import type { Catalog } from './catalog/catalog.ts';
import type { PhotoState } from './catalog/photos.ts';
import type { FaceEdits } from './catalog/edits.ts';

export const DESCRIPTOR_DIMS = 128;

/**
 * The least reach (distance from a person's mean) within which their suggestions are made, so that a
 * person with one or two tagged faces still gets some: face-api's customary same-person distance on
 * unit-length descriptors. Review's confidences were tuned with it; it is not the clustering cut.
 */
const MIN_PERSON_REACH = 0.45;

export interface IndexedFace {
  id: number;
  photoId: number;
  path: string;
  photoState: PhotoState;
  photoWidth: number;
  photoHeight: number;
  box: { x: number; y: number; w: number; h: number };
  score: number;
  /** Estimated head turn in degrees; null when it could not be estimated. */
  yaw: number | null;
  source: 'detector' | 'user';
  /** Not found by the latest analysis of its photo (kept for what the user said about it). */
  missed: boolean;
  /** On a photo that is still there. */
  present: boolean;
  quality: QualityFailure[];
  /** Its row in FaceIndex.descriptors. */
  row: number;
  /** Its place in photo order: by photo path, then left to right, then id. */
  photoRank: number;
}

export interface FaceTag {
  identityId: number;
  identity: string;
  source: TagSource;
}

/** A tagged person: the model suggestions rank against, and the faces it was made from. */
export interface Person {
  name: string;
  model: PersonModel;
  faceIds: number[];
  descriptors: Float32Array;
}

/** What the machine found, rebuilt only when photos or faces change. */
interface MachineFaces {
  faces: IndexedFace[];
  byId: Map<number, IndexedFace>;
  byPhoto: Map<number, IndexedFace[]>;
  /** L2-normalised descriptors, one row of DESCRIPTOR_DIMS per face. */
  descriptors: Float32Array;
}

function loadMachineFaces(catalog: Catalog): MachineFaces {
  const rows = catalog.faces.indexRows();
  const descriptors = new Float32Array(rows.length * DESCRIPTOR_DIMS);
  const faces = rows.map((r, row): IndexedFace => {
    const descriptor = float32FromBlob(r.descriptor);
    let norm = 0;
    for (const v of descriptor) norm += v * v;
    norm = Math.sqrt(norm) || 1;
    for (let j = 0; j < DESCRIPTOR_DIMS; j++) descriptors[row * DESCRIPTOR_DIMS + j] = descriptor[j] / norm;
    return {
      id: r.id,
      photoId: r.photoId,
      path: r.path,
      photoState: r.photoState,
      photoWidth: r.photoWidth ?? 0,
      photoHeight: r.photoHeight ?? 0,
      box: { x: r.x, y: r.y, w: r.w, h: r.h },
      score: r.score,
      yaw: r.yaw,
      source: r.source,
      missed: r.missed === 1,
      present: r.photoState !== 'missing',
      quality: qualityFailures(r),
      row,
      photoRank: 0,
    };
  });
  const inPhotoOrder = [...faces].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : a.box.x - b.box.x || a.id - b.id));
  inPhotoOrder.forEach((face, rank) => (face.photoRank = rank));
  const byPhoto = new Map<number, IndexedFace[]>();
  for (const face of inPhotoOrder) {
    const list = byPhoto.get(face.photoId);
    if (list) list.push(face);
    else byPhoto.set(face.photoId, [face]);
  }
  return { faces, byId: new Map(faces.map((f) => [f.id, f])), byPhoto, descriptors };
}

/** One consistent view of the catalog's faces and the user's edits on them. */
export class FaceIndex {
  readonly faces: readonly IndexedFace[];
  readonly descriptors: Float32Array;
  private readonly tags: Map<number, FaceTag>;
  private readonly marks: Map<number, FaceMark>;
  private readonly rejections: Set<string>;
  private people?: Map<number, Person>;

  constructor(
    private readonly machine: MachineFaces,
    edits: FaceEdits,
  ) {
    this.faces = machine.faces;
    this.descriptors = machine.descriptors;
    this.tags = new Map(edits.tags.map(({ faceId, ...tag }) => [faceId, tag]));
    this.marks = new Map(edits.marks.map(({ faceId, mark }) => [faceId, mark]));
    this.rejections = new Set(edits.rejections.map(({ faceId, identityId }) => `${faceId}:${identityId}`));
  }

  face(id: number): IndexedFace | undefined {
    return this.machine.byId.get(id);
  }

  /** The faces of one photo, left to right. */
  photoFaces(photoId: number): readonly IndexedFace[] {
    return this.machine.byPhoto.get(photoId) ?? [];
  }

  tag(faceId: number): FaceTag | undefined {
    return this.tags.get(faceId);
  }

  mark(faceId: number): FaceMark | null {
    return this.marks.get(faceId) ?? null;
  }

  isRejected(faceId: number, identityId: number): boolean {
    return this.rejections.has(`${faceId}:${identityId}`);
  }

  /**
   * Every person with tagged, unmarked faces on present photos: the mean of their descriptors and
   * those faces. Built once per index.
   */
  persons(): Map<number, Person> {
    if (this.people) return this.people;
    const grouped = new Map<number, { name: string; faces: IndexedFace[] }>();
    for (const face of this.faces) {
      const tag = this.tags.get(face.id);
      if (!tag || !face.present || this.marks.has(face.id)) continue;
      const entry = grouped.get(tag.identityId) ?? { name: tag.identity, faces: [] };
      entry.faces.push(face);
      grouped.set(tag.identityId, entry);
    }
    this.people = new Map(
      [...grouped].map(([identityId, { name, faces }]) => {
        const descriptors = this.packDescriptors(faces);
        return [
          identityId,
          { name, model: personModel(identityId, descriptors, DESCRIPTOR_DIMS, MIN_PERSON_REACH), faceIds: faces.map((f) => f.id), descriptors },
        ];
      }),
    );
    return this.people;
  }

  /** The descriptors of these faces, packed one row each. */
  packDescriptors(faces: readonly IndexedFace[]): Float32Array {
    const out = new Float32Array(faces.length * DESCRIPTOR_DIMS);
    faces.forEach((f, i) => out.set(this.descriptors.subarray(f.row * DESCRIPTOR_DIMS, (f.row + 1) * DESCRIPTOR_DIMS), i * DESCRIPTOR_DIMS));
    return out;
  }

  summary(face: IndexedFace): FaceSummary {
    const tag = this.tags.get(face.id);
    return {
      id: face.id,
      photoId: face.photoId,
      photo: face.path,
      box: { ...face.box },
      score: face.score,
      identityId: tag?.identityId ?? null,
      identity: tag?.identity ?? null,
      tagSource: tag?.source ?? null,
      mark: this.mark(face.id),
      source: face.source,
      quality: face.quality.map((q) => ({ ...q })),
    };
  }
}

/**
 * The face index of one catalog, rebuilt when it changed: the machine part (descriptors, about
 * 0.5 KB a face) only when photos or faces changed, the user's edits after every edit. Another
 * process writing to the same catalog shows in SQLite's data_version and rebuilds both.
 */
export class FaceIndexCache {
  private machine?: { revision: number; dataVersion: number; faces: MachineFaces };
  private index?: { revision: number; dataVersion: number; index: FaceIndex };

  constructor(private readonly catalog: Catalog) {}

  current(): FaceIndex {
    const { machine, edits } = this.catalog.revisions;
    const dataVersion = this.catalog.dataVersion();
    if (!this.machine || this.machine.revision !== machine || this.machine.dataVersion !== dataVersion) {
      this.machine = { revision: machine, dataVersion, faces: loadMachineFaces(this.catalog) };
      this.index = undefined;
    }
    if (!this.index || this.index.revision !== edits || this.index.dataVersion !== dataVersion) {
      this.index = { revision: edits, dataVersion, index: new FaceIndex(this.machine.faces, this.catalog.edits.all()) };
    }
    return this.index.index;
  }
}
