// Which face a photo-level label (a folder name, a CSV row) belongs to.

export interface LabelCandidate {
  box: { x: number; y: number; w: number; h: number };
}

/**
 * A label names the photo's subject: the face nearest the image centre, the larger on a tie
 * (within a pixel). Bystanders in the background stay untagged. Returns the index, or -1.
 */
export function subjectFace(faces: readonly LabelCandidate[], width: number, height: number): number {
  let best = -1;
  let bestDistance = Infinity;
  let bestArea = 0;
  faces.forEach((face, i) => {
    const d = Math.hypot(face.box.x + face.box.w / 2 - width / 2, face.box.y + face.box.h / 2 - height / 2);
    const area = face.box.w * face.box.h;
    if (d < bestDistance - 1 || (Math.abs(d - bestDistance) <= 1 && area > bestArea)) {
      best = i;
      bestDistance = d;
      bestArea = area;
    }
  });
  return best;
}
