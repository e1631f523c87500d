// The app:// protocol the built renderer is loaded from (not file://, which would trust every local file): which URL maps to which file.
import * as nodePath from 'node:path';

export const APP_SCHEME = 'app';
/** The one host of the scheme; the renderer's origin is app://facet. */
const APP_HOST = 'facet';
export const APP_INDEX_URL = `${APP_SCHEME}://${APP_HOST}/index.html`;

type PathApi = typeof nodePath.posix | typeof nodePath.win32;

/**
 * The one trusted mapping of an app:// request to a file: a path inside `rendererDir` (the built renderer folder),
 * or null. Percent-encoded separators and dots cannot climb out, and backslashes, colons (drive letters, NTFS streams)
 * and NUL are refused outright. `path` is the platform's path module, passed in so every platform can be tested anywhere.
 */
export function rendererFilePath(rendererDir: string, requestUrl: string, path: PathApi = nodePath): string | null {
  let url: URL;
  try {
    url = new URL(requestUrl);
  } catch {
    return null;
  }
  if (url.protocol !== `${APP_SCHEME}:` || url.host !== APP_HOST) return null;
  let pathname: string;
  try {
    pathname = decodeURIComponent(url.pathname);
  } catch {
    return null;
  }
  if (/[\\:\0]/.test(pathname)) return null;
  const relative = pathname === '/' ? 'index.html' : pathname.replace(/^\/+/, '');
  const root = path.resolve(rendererDir);
  const file = path.resolve(root, ...relative.split('/'));
  const inside = path.relative(root, file);
  if (inside === '' || inside.startsWith('..') || path.isAbsolute(inside)) return null;
  return file;
}

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.wasm': 'application/wasm',
};

/** Scripts must come with a script type or Chromium refuses to run modules from a custom scheme. */
export function contentTypeOf(file: string): string {
  return CONTENT_TYPES[nodePath.extname(file).toLowerCase()] ?? 'application/octet-stream';
}

/** The renderer's address: the dev server only in an unpackaged app (a packaged one ignores the variable), else app://. */
export function chooseRendererUrl(devServerUrl: string | undefined, isPackaged: boolean): string {
  return devServerUrl && !isPackaged ? devServerUrl : APP_INDEX_URL;
}
