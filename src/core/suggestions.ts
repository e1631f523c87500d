// "Is this X?": ranks untagged faces against tagged people by the distance of L2-normalised descriptors to each person's mean.

/** Rows of descriptors, one per id, packed as ids.length × dims. */
export interface DescriptorRows {
  ids: readonly number[];
  data: Float32Array;
  dims: number;
}

/**
 * A person as suggestions see them: the mean of their tagged descriptors, their own faces' distances to it (ascending),
 * and their reach: the farthest a face may lie from the mean and still be suggested.
 */
export interface PersonModel {
  identityId: number;
  centre: Float64Array;
  ownDistances: Float64Array;
  reach: number;
}

/**
 * The confidence is the share of the person's own faces at least as far from their mean, smoothed with this many
 * imagined faces spread evenly between the mean and the reach: with two tagged faces the share alone says little
 * (both lie at the same distance, so every new face would be "farther than all"); with hundreds the prior fades.
 */
const PRIOR_FACES = 3;

export interface RankedSuggestion {
  faceId: number;
  identityId: number;
  distance: number;
  confidence: number;
}

/** The mean of rows `data[row·dims …]`, over every row. */
export function meanRow(data: Float32Array, dims: number): Float64Array {
  const rows = data.length / dims;
  const mean = new Float64Array(dims);
  for (let r = 0; r < rows; r++) for (let j = 0; j < dims; j++) mean[j] += data[r * dims + j];
  if (rows > 0) for (let j = 0; j < dims; j++) mean[j] /= rows;
  return mean;
}

/** Euclidean distance from row `row` of `data` to `centre`. */
export function distanceToCentre(data: Float32Array, row: number, centre: Float64Array): number {
  const dims = centre.length;
  const offset = row * dims;
  let sum = 0;
  for (let j = 0; j < dims; j++) {
    const d = data[offset + j] - centre[j];
    sum += d * d;
  }
  return Math.sqrt(sum);
}

/**
 * A person from the descriptors of their tagged faces (at least one row). The reach is the farthest of their own
 * faces, but never less than `minReach`: a person tagged on a few near-identical faces still gets suggestions.
 */
export function personModel(identityId: number, descriptors: Float32Array, dims: number, minReach = 0): PersonModel {
  const centre = meanRow(descriptors, dims);
  const rows = descriptors.length / dims;
  const ownDistances = new Float64Array(rows);
  for (let r = 0; r < rows; r++) ownDistances[r] = distanceToCentre(descriptors, r, centre);
  ownDistances.sort();
  return { identityId, centre, ownDistances, reach: Math.max(minReach, ownDistances[rows - 1] ?? 0) };
}

/**
 * How sure a suggestion at `distance` from the person's mean is, from 1 (at the mean) to 0 (beyond the reach): the
 * share of their own faces at least as far, smoothed by PRIOR_FACES imagined faces spread evenly up to the reach.
 */
export function confidenceAt(person: PersonModel, distance: number): number {
  if (!(distance <= person.reach) || person.reach <= 0) return distance === 0 ? 1 : 0;
  const own = person.ownDistances;
  let low = 0;
  let high = own.length;
  while (low < high) {
    const mid = (low + high) >> 1;
    if (own[mid] < distance) low = mid + 1;
    else high = mid;
  }
  const prior = PRIOR_FACES * (1 - distance / person.reach);
  return (own.length - low + prior) / (own.length + PRIOR_FACES);
}

/** The row of `data` nearest `centre`, or -1 when there are no rows (the first on a tie). */
export function nearestRow(data: Float32Array, centre: Float64Array): number {
  let best = -1;
  let bestDistance = Infinity;
  for (let r = 0; r < data.length / centre.length; r++) {
    const d = distanceToCentre(data, r, centre);
    if (d < bestDistance) {
      best = r;
      bestDistance = d;
    }
  }
  return best;
}

export interface RankOptions {
  /** Rank the candidates of this one person (nearest first); otherwise each face's most likely person. */
  identityId?: number;
  /** Pairs the user said are not the person: never suggested. */
  isRejected?: (faceId: number, identityId: number) => boolean;
}

/**
 * Suggestions with confidence above 0. For one person: by distance, nearest first. For everyone:
 * each face's best person (highest confidence, then smaller distance), by confidence then
 * distance. Ties fall to the smaller face id, so the order is total.
 */
export function rankSuggestions(candidates: DescriptorRows, people: readonly PersonModel[], options: RankOptions = {}): RankedSuggestion[] {
  const considered = options.identityId === undefined ? people : people.filter((p) => p.identityId === options.identityId);
  const out: RankedSuggestion[] = [];
  for (let row = 0; row < candidates.ids.length; row++) {
    const faceId = candidates.ids[row];
    let best: RankedSuggestion | undefined;
    for (const person of considered) {
      if (options.isRejected?.(faceId, person.identityId)) continue;
      const distance = distanceToCentre(candidates.data, row, person.centre);
      const confidence = confidenceAt(person, distance);
      if (confidence <= 0) continue;
      if (!best || confidence > best.confidence || (confidence === best.confidence && distance < best.distance))
        best = { faceId, identityId: person.identityId, distance, confidence };
    }
    if (best) out.push(best);
  }
  const byId = (a: RankedSuggestion, b: RankedSuggestion) => a.faceId - b.faceId;
  return options.identityId === undefined
    ? out.sort((a, b) => b.confidence - a.confidence || a.distance - b.distance || byId(a, b))
    : out.sort((a, b) => a.distance - b.distance || byId(a, b));
}
