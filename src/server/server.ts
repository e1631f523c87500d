// `facet serve`: the engine's contract over HTTP and server-sent events on 127.0.0.1, guarded by a per-launch token.
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize, sep } from 'node:path';
import type { AddressInfo } from 'node:net';
import { ContractError, MATCH_IMAGE_MAX_BYTES } from '../shared/contract.ts';
import { contentSecurityPolicy, TOKEN_HEADER } from '../shared/security.ts';
import type { Engine } from '../engine/engine.ts';
import { EngineError, NotFoundError, ParamError } from '../engine/errors.ts';
import { parseMediaPath } from '../shared/media.ts';

/** The largest contract requests are a tag CSV (TAG_CSV_MAX_CHARS) and a photo to match (MATCH_IMAGE_MAX_BYTES in base64); 16 MB holds either in JSON. */
export const MAX_BODY_BYTES = 16 * 1024 * 1024;
/** Bodies above this take one of LARGE_BODIES_AT_ONCE slots while they are read and handled: a few copies of 16 MB, never dozens. */
const LARGE_BODY_BYTES = 1024 * 1024;
export const LARGE_BODIES_AT_ONCE = 2;

const CONTENT_SECURITY_POLICY = contentSecurityPolicy();

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
};

export function isLoopbackAddress(address: string | undefined): boolean {
  if (!address) return false;
  const v4 = address.startsWith('::ffff:') ? address.slice(7) : address;
  return v4.startsWith('127.') || address === '::1';
}

/** Host header check against DNS rebinding: only the loopback names this server answers on. */
export function isAllowedHost(host: string | undefined, port: number): boolean {
  return host === `127.0.0.1:${port}` || host === `localhost:${port}` || host === `[::1]:${port}`;
}

/**
 * Cross-site request forgery guard: browsers say which page sent a request. Only this server's own
 * pages (same origin) or no page at all (curl, a typed address) may reach the API and the media.
 */
export function isSameOriginRequest(origin: string | undefined, fetchSite: string | undefined, host: string): boolean {
  if (fetchSite !== undefined && fetchSite !== 'same-origin' && fetchSite !== 'none') return false;
  return origin === undefined || origin === `http://${host}`;
}

/**
 * The token where this request may carry it: the header always; the query only for GET and HEAD of
 * media and GET of the event stream, which <img> and EventSource cannot give headers. A token in the
 * query of a POST is ignored, so a cross-site form cannot carry one.
 */
export function givenToken(method: string | undefined, pathname: string, header: string | string[] | undefined, query: URLSearchParams): string | null {
  if (typeof header === 'string') return header;
  const queryAllowed = ((method === 'GET' || method === 'HEAD') && pathname.startsWith('/media/')) || (method === 'GET' && pathname === '/api/events');
  return queryAllowed ? query.get('token') : null;
}

/** Only JSON is read from POST /api/call: a cross-site form can send text/plain or form data without asking, never application/json. */
export function isJsonContentType(contentType: string | undefined): boolean {
  return contentType?.split(';')[0].trim().toLowerCase() === 'application/json';
}

export function tokenMatches(given: string | null | undefined, token: string): boolean {
  if (!given) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** HTTP status for an engine error: the caller's fault (4xx) or ours (500). */
function statusFor(error: unknown): number {
  if (error instanceof ContractError || error instanceof ParamError) return 400;
  if (error instanceof NotFoundError) return 404;
  if (error instanceof EngineError) return 409;
  return 500;
}

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', 'x-content-type-options': 'nosniff', ...headers });
  res.end(text);
}

function fail(res: ServerResponse, status: number, name: string, message: string, headers: Record<string, string> = {}): void {
  send(res, status, { ok: false, error: { name, message } }, headers);
}

/** A request refused before the engine sees it, with the status and headers that say why. */
class HttpError extends Error {
  constructor(
    readonly status: number,
    override readonly name: string,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

const MB = 1024 * 1024;
const tooLarge = () =>
  new HttpError(
    413,
    'PayloadTooLarge',
    `the request is over ${MAX_BODY_BYTES / MB} MB, the most Facet reads: split a large tag CSV into smaller files and import them one after another; a photo to match can be at most ${MATCH_IMAGE_MAX_BYTES / MB} MB`,
  );
const busy = () =>
  new HttpError(503, 'Busy', `the server is already reading ${LARGE_BODIES_AT_ONCE} large requests: try again in a few seconds`, { 'retry-after': '5' });

export interface FacetServer {
  url: string;
  token: string;
  port: number;
  close(): Promise<void>;
}

export interface ServeOptions {
  engine: Engine;
  port?: number;
  /** The built renderer (out/renderer); without it only /api/ and /media/ answer. */
  rendererDir?: string;
}

export async function startServer({ engine, port = 0, rendererDir }: ServeOptions): Promise<FacetServer> {
  const token = randomBytes(24).toString('base64url');
  const streams = new Set<ServerResponse>();
  const unsubscribe = engine.onEvent((event) => {
    const line = `data: ${JSON.stringify(event)}\n\n`;
    for (const res of streams) res.write(line);
  });

  async function serveStatic(pathname: string, res: ServerResponse): Promise<void> {
    if (!rendererDir) return send(res, 404, { ok: false, error: { name: 'NotFound', message: 'the renderer is not built: npm run build' } });
    const relative = normalize(decodeURIComponent(pathname)).replace(/^([/\\])+/, '');
    if (relative.split(sep).includes('..')) return send(res, 404, { ok: false, error: { name: 'NotFound', message: 'not found' } });
    let file = join(rendererDir, relative || 'index.html');
    const info = await stat(file).catch(() => undefined);
    // Unknown paths without an extension are the app's own routes: serve the app.
    if (!info?.isFile()) {
      if (extname(relative)) return send(res, 404, { ok: false, error: { name: 'NotFound', message: 'not found' } });
      file = join(rendererDir, 'index.html');
    }
    const body = await readFile(file);
    const type = CONTENT_TYPES[extname(file)] ?? 'application/octet-stream';
    res.writeHead(200, {
      'content-type': type,
      'content-security-policy': CONTENT_SECURITY_POLICY,
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
      'cache-control': type.startsWith('text/html') ? 'no-store' : 'max-age=3600',
    });
    res.end(body);
  }

  /** Large bodies being read or handled now (see LARGE_BODIES_AT_ONCE). */
  let largeBodies = 0;

  /**
   * Reads a JSON body of at most MAX_BODY_BYTES, then calls `use` with it. A body over LARGE_BODY_BYTES
   * (declared, or found while reading) holds a slot until `use` is done; without a free slot it is refused.
   */
  async function withBody(req: IncomingMessage, use: (text: string) => Promise<void>): Promise<void> {
    let holdsSlot = false;
    const takeSlot = () => {
      if (largeBodies >= LARGE_BODIES_AT_ONCE) throw busy();
      largeBodies++;
      holdsSlot = true;
    };
    try {
      const declared = Number(req.headers['content-length'] ?? 0);
      if (declared > MAX_BODY_BYTES) throw tooLarge();
      if (declared > LARGE_BODY_BYTES) takeSlot();
      const chunks: Buffer[] = [];
      let size = 0;
      for await (const chunk of req) {
        size += (chunk as Buffer).length;
        if (size > MAX_BODY_BYTES) throw tooLarge();
        if (size > LARGE_BODY_BYTES && !holdsSlot) takeSlot();
        chunks.push(chunk as Buffer);
      }
      await use(Buffer.concat(chunks, size).toString('utf8'));
    } finally {
      if (holdsSlot) largeBodies--;
    }
  }

  async function handleCall(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (!isJsonContentType(req.headers['content-type'])) {
      return fail(res, 415, 'UnsupportedMediaType', 'POST /api/call takes a JSON body: send Content-Type: application/json');
    }
    await withBody(req, async (text) => {
      let method: unknown;
      let params: unknown;
      try {
        const body = JSON.parse(text);
        method = body?.method;
        params = body?.params;
      } catch {
        return fail(res, 400, 'ContractError', 'the body is not JSON');
      }
      try {
        const result = await engine.call(method as string, params);
        send(res, 200, { ok: true, result });
      } catch (error) {
        const e = error as Error & { field?: string };
        send(res, statusFor(error), { ok: false, error: { name: e.name, message: e.message, field: e.field } });
      }
    });
  }

  async function serveMedia(req: IncomingMessage, res: ServerResponse, pathname: string): Promise<void> {
    if (req.method !== 'GET' && req.method !== 'HEAD') return fail(res, 405, 'MethodNotAllowed', 'media are read with GET or HEAD', { allow: 'GET, HEAD' });
    const request = parseMediaPath(pathname.slice('/media'.length));
    if (!request) return fail(res, 404, 'NotFound', 'media are served by catalog id only');
    try {
      const media = await engine.media(request);
      // The URL carries the token: nothing of it may stay in a cache after the page is gone.
      res.writeHead(200, {
        'content-type': media.contentType,
        'content-length': String(media.body.length),
        'cache-control': 'private, no-store',
        'x-content-type-options': 'nosniff',
      });
      res.end(media.body);
    } catch (error) {
      fail(res, statusFor(error) === 500 ? 500 : 404, (error as Error).name, (error as Error).message);
    }
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const actualPort = (server.address() as AddressInfo).port;
    const host = req.headers.host;
    if (!isLoopbackAddress(req.socket.remoteAddress) || !host || !isAllowedHost(host, actualPort)) {
      return fail(res, 403, 'Forbidden', 'Facet answers only on this machine');
    }
    const url = new URL(req.url ?? '/', `http://${host}`);
    try {
      decodeURIComponent(url.pathname);
    } catch {
      return fail(res, 400, 'BadRequest', 'the address has a malformed % escape');
    }
    const isApi = url.pathname.startsWith('/api/');
    const isMedia = url.pathname.startsWith('/media/');
    if (!isApi && !isMedia) {
      if (req.method !== 'GET' && req.method !== 'HEAD') return fail(res, 405, 'MethodNotAllowed', 'GET only', { allow: 'GET, HEAD' });
      return serveStatic(url.pathname, res);
    }
    const origin = req.headers.origin;
    const fetchSite = req.headers['sec-fetch-site'];
    if (!isSameOriginRequest(origin, typeof fetchSite === 'string' ? fetchSite : undefined, host)) {
      return fail(
        res,
        403,
        'Forbidden',
        `requests from another site are refused (${origin ?? fetchSite}): open Facet from the address \`facet serve\` printed`,
      );
    }
    const given = givenToken(req.method, url.pathname, req.headers[TOKEN_HEADER], url.searchParams);
    if (!tokenMatches(given, token)) return fail(res, 401, 'Unauthorized', 'missing or wrong token');

    if (isMedia) return serveMedia(req, res, url.pathname);
    if (url.pathname === '/api/events') {
      if (req.method !== 'GET') return fail(res, 405, 'MethodNotAllowed', 'the event stream is read with GET', { allow: 'GET' });
      res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store', 'x-content-type-options': 'nosniff', connection: 'keep-alive' });
      res.write(': connected\n\n');
      streams.add(res);
      req.on('close', () => streams.delete(res));
      return;
    }
    if (url.pathname === '/api/call') {
      if (req.method !== 'POST') return fail(res, 405, 'MethodNotAllowed', 'contract calls are sent with POST', { allow: 'POST' });
      return handleCall(req, res);
    }
    return fail(res, 404, 'NotFound', `no ${req.method} ${url.pathname}`);
  }

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((error) => {
      if (res.headersSent) return res.end();
      if (!(error instanceof HttpError)) return fail(res, 500, 'Error', (error as Error).message);
      // The rest of a refused body is read and dropped (not kept), so the client sees this answer instead of a reset.
      fail(res, error.status, error.name, error.message, { ...error.headers, connection: 'close' });
      req.resume();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', resolve);
  });
  const actual = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${actual}/?token=${token}`,
    token,
    port: actual,
    close: async () => {
      unsubscribe();
      for (const res of streams) res.end();
      streams.clear();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
