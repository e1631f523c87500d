// The Match view's plain logic: checking and reading a chosen file before it is sent, pairing a matched face with the
// library's face on the same photo, and keeping one match/photo call in flight with the newest request waiting.
import type { Box, FaceSummary } from '../../../../shared/contract.ts';
import { MATCH_IMAGE_MAX_BYTES } from '../../../../shared/limits.ts';

/** A file refused before sending, with the locale key (match.drop.*) that says why. */
export type FileProblem = 'tooLarge' | 'notImage' | 'empty' | 'unreadable';

/** Why this file cannot be matched, or null: checked in the browser so a wrong file costs no round trip. */
export function fileProblem(file: { size: number; type: string; name: string }): FileProblem | null {
  if (file.size === 0) return 'empty';
  if (file.size > MATCH_IMAGE_MAX_BYTES) return 'tooLarge';
  // Some systems give no type for HEIC or odd extensions: those go to the engine, which reads the bytes themselves.
  if (file.type !== '' && !file.type.startsWith('image/')) return 'notImage';
  if (file.type === '' && !/\.(jpe?g|png|webp|gif|bmp|tiff?|avif|heic|heif)$/i.test(file.name)) return 'notImage';
  return null;
}

/** Size in MB with one decimal, for the messages. */
export function megabytes(bytes: number): string {
  return (bytes / 1024 / 1024).toFixed(1);
}

/** The file's bytes in base64, as match/photo takes them; chunked so a 10 MB photo does not overflow the call stack. */
export async function fileToBase64(file: Blob): Promise<string> {
  const bytes = new Uint8Array(await file.arrayBuffer());
  const CHUNK = 0x8000;
  let binary = '';
  for (let i = 0; i < bytes.length; i += CHUNK) binary += String.fromCharCode(...bytes.subarray(i, i + CHUNK));
  return btoa(binary);
}

/** Intersection over union of two boxes: 1 for the same box, 0 when they do not touch. */
function boxIou(a: Box, b: Box): number {
  const w = Math.min(a.x + a.w, b.x + b.w) - Math.max(a.x, b.x);
  const h = Math.min(a.y + a.h, b.y + b.h) - Math.max(a.y, b.y);
  if (w <= 0 || h <= 0) return 0;
  const overlap = w * h;
  return overlap / (a.w * a.h + b.w * b.h - overlap);
}

/** Below this the boxes are of different faces: the same photo analysed again gives boxes within a pixel or two. */
const SAME_FACE_IOU = 0.5;

/** The library face at the same place as `box`, the best overlap above the cut; null when none is there. */
export function libraryFaceAt(box: Box, faces: readonly FaceSummary[]): FaceSummary | null {
  let best: FaceSummary | null = null;
  let bestIou = SAME_FACE_IOU;
  for (const face of faces) {
    const iou = boxIou(box, face.box);
    if (iou >= bestIou) {
      best = face;
      bestIou = iou;
    }
  }
  return best;
}

/**
 * Runs `work` for the newest request only: while one call is in flight, later requests wait, each replacing the one
 * before, so a dragged slider costs at most one call more than it needs and the last value always wins.
 */
export function latestOnly<Q, R>(
  work: (request: Q) => Promise<R>,
  done: (request: Q, outcome: { ok: true; value: R } | { ok: false; error: unknown }) => void,
) {
  let waiting: { request: Q } | null = null;
  let busy = false;

  async function pump(): Promise<void> {
    busy = true;
    while (waiting) {
      const { request } = waiting;
      waiting = null;
      let outcome: { ok: true; value: R } | { ok: false; error: unknown };
      try {
        outcome = { ok: true, value: await work(request) };
      } catch (error) {
        outcome = { ok: false, error };
      }
      // An answer already overtaken by a newer request is not shown: the newer one is about to be asked.
      if (!waiting) done(request, outcome);
    }
    busy = false;
  }

  return {
    request(request: Q): void {
      waiting = { request };
      if (!busy) void pump();
    },
    /** Forgets a request still waiting (the photo was put away). */
    drop(): void {
      waiting = null;
    },
  };
}
