// The one trusted way from a media request to pixels: catalog ids only, never a path from outside.
import { isAbsolute, join, normalize, sep } from 'node:path';
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
const CACHE_ENTRIES = 4000;

export class MediaRenderer {
  // Face crops are small (about 10 KB) and the grid asks for the same ones again as it scrolls.
  private readonly cache = new Map<string, MediaResponse>();

  constructor(
    private readonly catalog: Catalog,
    private readonly root: string,
  ) {}

  async render(request: MediaRequest): Promise<MediaResponse> {
    const photo = request.kind === 'face' ? this.catalog.faceLocation(request.id) : this.catalog.photoLocation(request.id);
    if (!photo) throw new NotFoundError(`no ${request.kind} ${request.id}`);
    const file = photoFile(this.root, photo.path);
    if (!file) throw new NotFoundError(`no ${request.kind} ${request.id}`);
    const key = `${request.kind}:${request.id}:${photo.box ? Object.values(photo.box).join(',') : ''}`;
    const cached = this.cache.get(key);
    if (cached) return cached;

    let image = (await openImage(file)).rotate();
    if (photo.box) {
      const { x, y, w, h } = photo.box;
      const margin = Math.max(w, h) * FACE_MARGIN;
      const left = Math.max(0, Math.floor(x - margin));
      const top = Math.max(0, Math.floor(y - margin));
      const width = Math.min(photo.width - left, Math.ceil(w + 2 * margin));
      const height = Math.min(photo.height - top, Math.ceil(h + 2 * margin));
      image = image.extract({ left, top, width: Math.max(1, width), height: Math.max(1, height) }).resize(FACE_SIZE, FACE_SIZE, { fit: 'cover' });
    } else {
      image = image.resize(PHOTO_SIZE, PHOTO_SIZE, { fit: 'inside', withoutEnlargement: true });
    }
    const body = await image.flatten({ background: '#ffffff' }).jpeg({ quality: 85, mozjpeg: true }).toBuffer();
    const response = { contentType: 'image/jpeg', body };
    if (this.cache.size >= CACHE_ENTRIES) this.cache.delete(this.cache.keys().next().value!);
    this.cache.set(key, response);
    return response;
  }
}
