// "Is this X?" and "who are these?": suggestions for untagged faces, unknown groups, and each person's cover face.
import type { Identity, Params, Responses } from '../shared/contract.ts';
import type { Matrix } from '../core/matrix.ts';
import { distanceToCentre, meanRow, nearestRow, rankSuggestions } from '../core/suggestions.ts';
import { calibrationSample, clusteringThreshold } from '../core/threshold-calibration.ts';
import { suggestIdentities, suggestionMethod, type SuggestMethod } from '../core/threshold-clustering.ts';
import type { Catalog } from './catalog/catalog.ts';
import { DESCRIPTOR_DIMS, type FaceIndex, type IndexedFace } from './face-index.ts';
import type { GroupsRequest, GroupsResult } from './groups-worker.ts';
import type { JobLimits } from './job-limits.ts';
import { runTask } from './worker-threads.ts';

/** Faces worth suggesting a person for: on present photos, found by the latest analysis, untagged, unmarked, past the gates. */
function candidates(index: FaceIndex): IndexedFace[] {
  return index.faces.filter((f) => f.present && !f.missed && f.quality.length === 0 && !index.tag(f.id) && index.mark(f.id) === null);
}

export function listSuggestions(catalog: Catalog, index: FaceIndex, params: Params<'suggestions/list'>): Responses['suggestions/list'] {
  if (params.identityId !== undefined) catalog.identities.get(params.identityId);
  const faces = candidates(index);
  const persons = index.persons();
  const ranked = rankSuggestions(
    { ids: faces.map((f) => f.id), data: index.packDescriptors(faces), dims: DESCRIPTOR_DIMS },
    [...persons.values()].map((p) => p.model),
    { identityId: params.identityId, isRejected: (faceId, identityId) => index.isRejected(faceId, identityId) },
  );
  return {
    total: ranked.length,
    suggestions: ranked.slice(params.offset, params.offset + params.limit).map((s) => ({
      ...s,
      photoId: index.face(s.faceId)!.photoId,
      identity: persons.get(s.identityId)!.name,
    })),
  };
}

/**
 * Groups of untagged faces that look like one unknown person each, largest first, each nearest its mean first; cut
 * where asked, else where the tagged people are best regrouped (as a threshold run would), else at the default.
 * Above `inWorkerAbove` faces the grouping runs in a worker thread within `limits`: in-process, a library-sized
 * grouping would hold the engine, and every view waiting on it, for its whole length.
 */
export async function unknownGroups(
  index: FaceIndex,
  params: Params<'suggestions/groups'>,
  { inWorkerAbove, limits }: { inWorkerAbove: number; limits: JobLimits },
): Promise<Responses['suggestions/groups']> {
  const faces = candidates(index);
  const threshold = params.threshold ?? calibratedCut(index, suggestionMethod(faces.length));
  if (faces.length === 0) return { threshold, untagged: 0, groups: [] };
  const descriptors = index.packDescriptors(faces);
  const matrix: Matrix = { rows: faces.length, cols: DESCRIPTOR_DIMS, data: Float64Array.from(descriptors) };
  const { assignments, clusters } =
    faces.length > inWorkerAbove ? await groupInWorker({ ...matrix, threshold }, limits) : suggestIdentities(matrix, { threshold });
  const members: number[][] = Array.from({ length: clusters }, () => []);
  assignments.forEach((cluster, row) => members[cluster].push(row));
  const groups = members
    .filter((rows) => rows.length >= params.minSize)
    .slice(0, params.limit)
    .map((rows) => {
      const packed = index.packDescriptors(rows.map((row) => faces[row]));
      const centre = meanRow(packed, DESCRIPTOR_DIMS);
      const order = rows
        .map((row, i) => ({ faceId: faces[row].id, distance: distanceToCentre(packed, i, centre) }))
        .sort((a, b) => a.distance - b.distance || a.faceId - b.faceId);
      return { faceIds: order.map((o) => o.faceId), size: rows.length };
    });
  return { threshold, untagged: faces.length, groups };
}

function groupInWorker(request: GroupsRequest, limits: JobLimits): Promise<GroupsResult> {
  return runTask<GroupsResult>(new URL('./groups-worker.ts', import.meta.url), 'groups-worker', request, {
    transferList: [request.data.buffer as ArrayBuffer],
    what: 'grouping the unknown people',
    job: 'groups',
    limits,
  });
}

function calibratedCut(index: FaceIndex, method: SuggestMethod): number {
  const persons = [...index.persons().values()];
  const rows = persons.flatMap((p, person) => p.faceIds.map((_, row) => ({ person, row })));
  // Only the faces calibration samples are copied: a library may hold 100,000 tagged faces.
  const used = calibrationSample(rows.map((r) => r.person)).map((i) => rows[i]);
  const data = new Float64Array(used.length * DESCRIPTOR_DIMS);
  used.forEach(({ person, row }, i) => data.set(persons[person].descriptors.subarray(row * DESCRIPTOR_DIMS, (row + 1) * DESCRIPTOR_DIMS), i * DESCRIPTOR_DIMS));
  const labels = used.map((r) => r.person);
  return clusteringThreshold({ rows: used.length, cols: DESCRIPTOR_DIMS, data }, labels, method).value;
}

/** Every identity with its cover: the tagged, unmarked face nearest the person's mean descriptor. */
export function identitiesWithCovers(catalog: Catalog, index: FaceIndex): Identity[] {
  const persons = index.persons();
  return catalog.identities.list().map((identity) => {
    const person = persons.get(identity.id);
    return { ...identity, coverFaceId: person ? person.faceIds[nearestRow(person.descriptors, person.model.centre)] : null };
  });
}
