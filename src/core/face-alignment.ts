// Where a face crop sits in its photo: turned so the eyes are level, centred between the eyes and the mouth.
import { centroidOf, eyeFrame, type Point, type Shape } from './geometry.ts';

const MOUTH = Array.from({ length: 20 }, (_, i) => 48 + i);

/** A square of `side` photo pixels around `centre`, its horizontal axis along the eye line (`angle`, radians). */
export interface CropFrame {
  centre: Point;
  angle: number;
  side: number;
}

/**
 * The crop for a face: the eye line (from the eye centres, points 36–41 and 42–47) becomes
 * horizontal, the point halfway between the eyes' midpoint and the mouth's centre becomes the
 * crop's centre, and the crop spans the box's longer side plus `margin` of it on each side.
 */
export function alignedCropFrame(landmarks: Shape, box: { w: number; h: number }, margin: number): CropFrame {
  const eyes = eyeFrame(landmarks);
  const mouth = centroidOf(landmarks, MOUTH);
  return {
    centre: { x: (eyes.centre.x + mouth.x) / 2, y: (eyes.centre.y + mouth.y) / 2 },
    angle: Math.atan2(eyes.right.y - eyes.left.y, eyes.right.x - eyes.left.x),
    side: Math.max(box.w, box.h) * (1 + 2 * margin),
  };
}

/** The photo point that a crop of `size` × `size` pixels shows at (u, v) (pixel centres at +0.5). */
export function cropToPhoto(frame: CropFrame, size: number, u: number, v: number): Point {
  const scale = frame.side / size;
  const dx = (u - size / 2) * scale;
  const dy = (v - size / 2) * scale;
  const cos = Math.cos(frame.angle);
  const sin = Math.sin(frame.angle);
  return { x: frame.centre.x + dx * cos - dy * sin, y: frame.centre.y + dx * sin + dy * cos };
}

/** Where a photo point lands in the crop: the inverse of cropToPhoto. */
export function photoToCrop(frame: CropFrame, size: number, p: Point): Point {
  const scale = size / frame.side;
  const dx = p.x - frame.centre.x;
  const dy = p.y - frame.centre.y;
  const cos = Math.cos(frame.angle);
  const sin = Math.sin(frame.angle);
  return { x: size / 2 + (dx * cos + dy * sin) * scale, y: size / 2 + (-dx * sin + dy * cos) * scale };
}
