// The one trusted way from a media request to pixels: catalog ids only, never a path from outside.
import { isAbsolute, join, normalize, sep } from 'node:path';
import sharp, { type Sharp } from 'sharp';
import { alignedCropFrame, cropToPhoto, type CropFrame } from '../core/face-alignment.ts';
import type { Catalog } from './catalog/catalog.ts';
import { openImage } from './analysis/decode.ts';
import { NotFoundError } from './errors.ts';
import type { MediaRequest } from '../shared/media.ts';

export interface MediaResponse {
  contentType: string;
  body: Buffer;
}

/** The photo's file, if its catalog path stays inside the library root (it always should). */
export function photoFile(root: string, relativePath: string): string | null {
  if (relativePath === '' || isAbsolute(relativePath) || relativePath.includes('\0')) return null;
  const normalised = normalize(relativePath);
  if (normalised === '..' || normalised.startsWith(`..${sep}`) || isAbsolute(normalised)) return null;
  return join(root, normalised);
}

/** Faces are shown with some context around the detector's tight box. */
const FACE_MARGIN = 0.3;
const FACE_SIZE = 192;
const PHOTO_SIZE = 1600;
/** Rendered media kept in memory: about 6,000 face crops; a few large photos cannot push it past this. */
export const MEDIA_CACHE_BYTES = 64 * 1024 * 1024;
/** Where a turned crop reaches beyond the photo: a quiet grey (the app's empty-tile colour), not a white that glares. */
const BACKGROUND = 230;

export interface RawRegion {
  data: Buffer;
  width: number;
  height: number;
  channels: number;
  /** The region's top-left corner in photo pixels, and region pixels per photo pixel. */
  left: number;
  top: number;
  scale: number;
}

/**
 * Samples the crop described by `frame` from the region, bilinearly, as packed RGB. The crop is an
 * affine image of the region, so each pixel's source point is a step from its neighbour's, and the
 * loop allocates nothing: a point object and a closure per pixel made this loop most of a crop's cost.
 */
export function sampleCrop(region: RawRegion, frame: CropFrame, size: number): Buffer {
  const out = Buffer.alloc(size * size * 3, BACKGROUND);
  const { data, width, height, channels } = region;
  // Region pixel coordinates (centres at integers) of crop pixel (u + 0.5, v + 0.5): origin + u·stepU + v·stepV.
  const toRegion = (p: { x: number; y: number }) => ({ x: (p.x - region.left) * region.scale - 0.5, y: (p.y - region.top) * region.scale - 0.5 });
  const origin = toRegion(cropToPhoto(frame, size, 0.5, 0.5));
  const alongU = toRegion(cropToPhoto(frame, size, 1.5, 0.5));
  const alongV = toRegion(cropToPhoto(frame, size, 0.5, 1.5));
  const stepU = { x: alongU.x - origin.x, y: alongU.y - origin.y };
  const stepV = { x: alongV.x - origin.x, y: alongV.y - origin.y };
  const green = Math.min(1, channels - 1);
  const blue = Math.min(2, channels - 1);
  for (let v = 0; v < size; v++) {
    let x = origin.x + v * stepV.x;
    let y = origin.y + v * stepV.y;
    for (let u = 0; u < size; u++, x += stepU.x, y += stepU.y) {
      if (x < -0.5 || y < -0.5 || x > width - 0.5 || y > height - 0.5) continue;
      const x0 = Math.max(0, Math.floor(x));
      const y0 = Math.max(0, Math.floor(y));
      const x1 = Math.min(width - 1, x0 + 1);
      const y1 = Math.min(height - 1, y0 + 1);
      const fx = Math.min(1, Math.max(0, x - x0));
      const fy = Math.min(1, Math.max(0, y - y0));
      const w00 = (1 - fx) * (1 - fy);
      const w10 = fx * (1 - fy);
      const w01 = (1 - fx) * fy;
      const w11 = fx * fy;
      const i00 = (y0 * width + x0) * channels;
      const i10 = (y0 * width + x1) * channels;
      const i01 = (y1 * width + x0) * channels;
      const i11 = (y1 * width + x1) * channels;
      const o = (v * size + u) * 3;
      out[o] = Math.round(data[i00] * w00 + data[i10] * w10 + data[i01] * w01 + data[i11] * w11);
      out[o + 1] = Math.round(data[i00 + green] * w00 + data[i10 + green] * w10 + data[i01 + green] * w01 + data[i11 + green] * w11);
      out[o + 2] = Math.round(data[i00 + blue] * w00 + data[i10 + blue] * w10 + data[i01 + blue] * w01 + data[i11 + blue] * w11);
    }
  }
  return out;
}

/** Rendered media by key, least recently used first out, held under a budget of bytes (not of entries: a photo is 30 times a crop). */
export class MediaCache {
  private readonly entries = new Map<string, MediaResponse>();
  private size = 0;

  constructor(private readonly maxBytes = MEDIA_CACHE_BYTES) {}

  get bytes(): number {
    return this.size;
  }

  get(key: string): MediaResponse | undefined {
    const hit = this.entries.get(key);
    if (hit) {
      // Map order is insertion order: moving a hit to the end keeps the oldest unused first.
      this.entries.delete(key);
      this.entries.set(key, hit);
    }
    return hit;
  }

  set(key: string, response: MediaResponse): void {
    const length = response.body.length;
    if (length > this.maxBytes) return;
    const previous = this.entries.get(key);
    if (previous) {
      this.size -= previous.body.length;
      this.entries.delete(key);
    }
    while (this.size + length > this.maxBytes) {
      const [oldest, evicted] = this.entries.entries().next().value!;
      this.entries.delete(oldest);
      this.size -= evicted.body.length;
    }
    this.entries.set(key, response);
    this.size += length;
  }
}

export class MediaRenderer {
  // Face crops are small (about 10 KB) and the grid asks for the same ones again as it scrolls.
  private readonly cache = new MediaCache();

  constructor(
    private readonly catalog: Catalog,
    private readonly root: string,
  ) {}

  async render(request: MediaRequest): Promise<MediaResponse> {
    const photo = request.kind === 'face' ? this.catalog.faces.location(request.id) : this.catalog.photos.location(request.id);
    if (!photo) throw new NotFoundError(`no ${request.kind} ${request.id}`);
    const file = photoFile(this.root, photo.path);
    if (!file) throw new NotFoundError(`no ${request.kind} ${request.id}`);
    const frame = photo.landmarks && alignedCropFrame(photo.landmarks, photo.box, FACE_MARGIN);
    // The crop's own geometry is in the key, so a face re-analysed to another place is drawn afresh.
    const key = `${request.kind}:${request.id}:${frame ? [frame.centre.x, frame.centre.y, frame.angle, frame.side].join(',') : ''}`;
    const cached = this.cache.get(key);
    if (cached) return cached;

    const image = (await openImage(file)).rotate();
    const jpeg = frame
      ? await this.alignedFace(image, frame, photo.width, photo.height)
      : image.resize(PHOTO_SIZE, PHOTO_SIZE, { fit: 'inside', withoutEnlargement: true });
    // Plain libjpeg-turbo: mozjpeg's smaller files cost about ten times the encoding time per crop, and crops go
    // over loopback or IPC, where the bytes saved are worth nothing next to a grid that appears sooner.
    const body = await jpeg.flatten({ background: '#ffffff' }).jpeg({ quality: 85 }).toBuffer();
    const response = { contentType: 'image/jpeg', body };
    this.cache.set(key, response);
    return response;
  }

  /**
   * The face turned so its eyes are level: only the region the turned square can reach is
   * decoded, scaled down near the output size by libvips, then turned and sampled here.
   */
  private async alignedFace(image: Sharp, frame: CropFrame, width: number, height: number): Promise<Sharp> {
    const reach = frame.side * Math.SQRT1_2 + 2;
    const left = Math.max(0, Math.floor(frame.centre.x - reach));
    const top = Math.max(0, Math.floor(frame.centre.y - reach));
    const regionWidth = Math.max(1, Math.min(width, Math.ceil(frame.centre.x + reach)) - left);
    const regionHeight = Math.max(1, Math.min(height, Math.ceil(frame.centre.y + reach)) - top);
    const scale = Math.min(1, FACE_SIZE / frame.side);
    const { data, info } = await image
      .extract({ left, top, width: regionWidth, height: regionHeight })
      .resize(Math.max(1, Math.round(regionWidth * scale)), Math.max(1, Math.round(regionHeight * scale)), { fit: 'fill' })
      .flatten({ background: '#ffffff' })
      .raw()
      .toBuffer({ resolveWithObject: true });
    const region: RawRegion = { data, width: info.width, height: info.height, channels: info.channels, left, top, scale: info.width / regionWidth };
    return sharp(sampleCrop(region, frame, FACE_SIZE), { raw: { width: FACE_SIZE, height: FACE_SIZE, channels: 3 } });
  }
}
