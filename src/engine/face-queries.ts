// The review views' reads: faces by filter and order, folders with face counts, one photo with its faces.
import type { FaceSummary, Params, PhotoDetails, Responses } from '../shared/contract.ts';
import { distanceToCentre } from '../core/suggestions.ts';
import type { Catalog } from './catalog/catalog.ts';
import { NotFoundError } from './errors.ts';
import type { FaceIndex, IndexedFace } from './face-index.ts';

type FaceFilter = Params<'faces/ids'>;
type Assignment = { cluster: number; distance: number };

/** The folders a photo path lies under, outermost first: 'a/b/c.jpg' → ['a', 'a/b']. */
function foldersOf(path: string): string[] {
  const parts = path.split('/');
  return parts.slice(0, -1).map((_, i) => parts.slice(0, i + 1).join('/'));
}

/** The run's cluster and distance per face; the run must exist. */
function runAssignments(catalog: Catalog, runId: number | undefined): Map<number, Assignment> | undefined {
  if (runId === undefined) return undefined;
  return new Map(catalog.runs.assignments(runId).map(({ faceId, cluster, distance }) => [faceId, { cluster, distance }]));
}

/** The present faces that pass every filter given, in id order. */
function selectFaces(index: FaceIndex, filter: FaceFilter, run: Map<number, Assignment> | undefined): IndexedFace[] {
  const folder = filter.folder?.replace(/\/+$/, '');
  const prefix = folder ? `${folder}/` : '';
  return index.faces.filter((face) => {
    if (!face.present) return false;
    if (filter.photoId !== undefined && face.photoId !== filter.photoId) return false;
    if (prefix && !face.path.startsWith(prefix)) return false;
    const mark = index.mark(face.id);
    if (filter.marked === 'hide' ? mark !== null : filter.marked === 'only' ? mark === null : false) return false;
    const tag = index.tag(face.id);
    if (filter.untagged && tag) return false;
    if (filter.identityId !== undefined && tag?.identityId !== filter.identityId) return false;
    if (filter.quality !== undefined) {
      const passed = face.quality.length === 0;
      if (filter.quality === 'passed' ? !passed : filter.quality === 'filtered' ? passed : !face.quality.some((q) => q.gate === filter.quality)) return false;
    }
    if (filter.cluster !== undefined && run!.get(face.id)?.cluster !== filter.cluster) return false;
    return true;
  });
}

/** Ascending by `key`, faces without one last, then by id. */
function byKey(key: (face: IndexedFace) => number | null | undefined) {
  return (a: IndexedFace, b: IndexedFace): number => {
    const ka = key(a) ?? null;
    const kb = key(b) ?? null;
    if (ka === null || kb === null) return ka === kb ? a.id - b.id : ka === null ? 1 : -1;
    return ka - kb || a.id - b.id;
  };
}

const byPhoto = (a: IndexedFace, b: IndexedFace) => a.photoRank - b.photoRank;

export function listFaces(catalog: Catalog, index: FaceIndex, params: Params<'faces/list'>): Responses['faces/list'] {
  const run = runAssignments(catalog, params.runId);
  const faces = selectFaces(index, params, run);
  let personDistance: Map<number, number> | undefined;
  if (params.order === 'mistakes') {
    const person = index.persons().get(params.identityId!);
    personDistance = new Map(person ? faces.map((f) => [f.id, distanceToCentre(index.descriptors, f.row, person.model.centre)]) : []);
  }
  switch (params.order) {
    case 'newest':
      faces.reverse();
      break;
    case 'oldest':
      break;
    case 'photo':
      faces.sort(byPhoto);
      break;
    case 'score':
      faces.sort(byKey((f) => f.score));
      break;
    case 'cluster-distance':
      faces.sort(byKey((f) => run!.get(f.id)?.distance));
      break;
    case 'mistakes':
      faces.sort(byKey((f) => (personDistance!.has(f.id) ? -personDistance!.get(f.id)! : null)));
      break;
  }
  const page = faces.slice(params.offset, params.offset + params.limit).map((face): FaceSummary => {
    const summary = index.summary(face);
    if (run) {
      const assignment = run.get(face.id);
      summary.cluster = assignment?.cluster ?? null;
      summary.clusterDistance = assignment?.distance ?? null;
    }
    if (personDistance) summary.personDistance = personDistance.get(face.id) ?? null;
    return summary;
  });
  return { total: faces.length, faces: page };
}

export function faceIds(catalog: Catalog, index: FaceIndex, filter: FaceFilter): Responses['faces/ids'] {
  return {
    ids: selectFaces(index, filter, runAssignments(catalog, filter.runId))
      .sort(byPhoto)
      .map((f) => f.id),
  };
}

/** Every folder holding photos with faces, at any depth, with the faces under it that the views show by default (unmarked). */
export function faceFolders(index: FaceIndex): Responses['faces/folders'] {
  const counts = new Map<string, number>();
  for (const face of index.faces) {
    if (!face.present || index.mark(face.id) !== null) continue;
    for (const folder of foldersOf(face.path)) counts.set(folder, (counts.get(folder) ?? 0) + 1);
  }
  return [...counts].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([folder, faces]) => ({ folder, faces }));
}

export function photoDetails(catalog: Catalog, index: FaceIndex, photoId: number): PhotoDetails {
  const photo = catalog.photos.get(photoId);
  if (!photo) throw new NotFoundError(`no photo with id ${photoId}: it may have been removed from the library; reload the list`);
  const landmarks = catalog.faces.landmarksOf(photoId);
  return {
    id: photo.id,
    path: photo.path,
    width: photo.width ?? 0,
    height: photo.height ?? 0,
    state: photo.state,
    faces: index.photoFaces(photoId).map((face) => ({ ...index.summary(face), landmarks: Array.from(landmarks.get(face.id) ?? []) })),
    ...catalog.photos.neighbours(photo.path),
  };
}
