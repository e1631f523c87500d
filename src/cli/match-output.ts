// What `facet match` prints for one photo: a line per face with its suggestion and search cost, its nearest faces, or the same as JSON.
import type { PhotoMatch } from '../shared/contract.ts';

/** The JSON of one photo: `faces` has one entry per face found; `suggestion` is a name or null (unknown). */
export function matchJson(image: string, match: PhotoMatch) {
  return {
    image,
    runId: match.runId,
    space: match.space,
    note: match.note,
    threshold: match.threshold,
    photoInLibrary: match.photoInLibrary,
    faces: match.faces.map((face) => ({
      box: face.box,
      matches: face.matches.map((m) => ({ faceId: m.faceId, photo: m.photo, identity: m.identity, distance: m.distance })),
      suggestion: face.suggestion?.name ?? null,
      clusters: face.clusters,
      scanned: face.scanned,
      ms: face.ms,
    })),
  };
}

const percent = (share: number) => `${(100 * share).toFixed(share < 0.1 ? 1 : 0)} %`;

export function matchText(image: string, match: PhotoMatch): string {
  const { threshold } = match;
  const lines = [
    `${image}: ${match.faces.length} ${match.faces.length === 1 ? 'face' : 'faces'}, run ${match.runId}, cut ${threshold.value.toFixed(3)} (${threshold.source}: ${threshold.detail})`,
  ];
  if (match.note) lines.push(`note: ${match.note}`);
  if (match.photoInLibrary !== null) lines.push(`this photo is already in the library (photo ${match.photoInLibrary}): its own faces are among the matches`);
  match.faces.forEach((face, i) => {
    const { x, y, w, h } = face.box;
    const who = face.suggestion ? `${face.suggestion.name} (${face.suggestion.distance.toFixed(3)})` : 'unknown';
    lines.push(
      `face ${i + 1} at ${Math.round(x)},${Math.round(y)} ${Math.round(w)}×${Math.round(h)}: ${who} — scanned ${percent(face.scanned)} of the library ` +
        `(cluster ${face.clusters.join(', ')}) in ${face.ms.toFixed(2)} ms`,
    );
    for (const m of face.matches) lines.push(`  ${m.distance.toFixed(3)}  ${(m.identity ?? '(untagged)').padEnd(16)}  ${m.photo} (face ${m.faceId})`);
  });
  return lines.join('\n');
}
