// Media requests by catalog id, as every transport names them: `face/<id>` or `photo/<id>`.

/** Electron's protocol for face crops and photos: `facet-media://face/<id>`. */
export const MEDIA_SCHEME = 'facet-media';

type MediaKind = 'face' | 'photo';

export interface MediaRequest {
  kind: MediaKind;
  id: number;
}

/** A positive catalog id as digits only: no sign, no exponent, no leading zero, no path. */
const ID = /^[1-9][0-9]{0,14}$/;

/**
 * Reads `face/<id>` or `photo/<id>` (what follows /media/ over HTTP, or the facet-media: URL's
 * host and path in Electron). Anything else — a path, `..`, an encoded slash, an unknown kind,
 * a query — is refused with null.
 */
export function parseMediaPath(path: string): MediaRequest | null {
  const match = /^\/?(face|photo)\/([^/]+)$/.exec(path);
  if (!match || !ID.test(match[2])) return null;
  return { kind: match[1] as MediaKind, id: Number(match[2]) };
}
