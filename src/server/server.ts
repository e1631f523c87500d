// `facet serve`: the engine's contract over HTTP and server-sent events on 127.0.0.1, guarded by a per-launch token.
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize, sep } from 'node:path';
import type { AddressInfo } from 'node:net';
import { ContractError } from '../shared/contract.ts';
import { contentSecurityPolicy } from '../shared/security.ts';
import type { Engine } from '../engine/engine.ts';
import { EngineError, NotFoundError, ParamError } from '../engine/errors.ts';
import { parseMediaPath } from '../shared/media.ts';

export const TOKEN_HEADER = 'x-facet-token';
const MAX_BODY = 64 * 1024 * 1024;

export const CONTENT_SECURITY_POLICY = contentSecurityPolicy();

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

export function tokenMatches(given: string | null | undefined, token: string): boolean {
  if (!given) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** HTTP status for an engine error: the caller's fault (4xx) or ours (500). */
export function statusFor(error: unknown): number {
  if (error instanceof ContractError || error instanceof ParamError) return 400;
  if (error instanceof NotFoundError) return 404;
  if (error instanceof EngineError) return 409;
  return 500;
}

function send(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
  res.end(text);
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY) throw new ContractError('request body too large');
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

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

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const actualPort = (server.address() as AddressInfo).port;
    if (!isLoopbackAddress(req.socket.remoteAddress) || !isAllowedHost(req.headers.host, actualPort)) {
      return send(res, 403, { ok: false, error: { name: 'Forbidden', message: 'Facet answers only on this machine' } });
    }
    const url = new URL(req.url ?? '/', `http://${req.headers.host}`);
    const isApi = url.pathname.startsWith('/api/');
    const isMedia = url.pathname.startsWith('/media/');
    if (!isApi && !isMedia) {
      if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, { ok: false, error: { name: 'MethodNotAllowed', message: 'GET only' } });
      return serveStatic(url.pathname, res);
    }
    const given = (req.headers[TOKEN_HEADER] as string | undefined) ?? url.searchParams.get('token');
    if (!tokenMatches(given, token)) return send(res, 401, { ok: false, error: { name: 'Unauthorized', message: 'missing or wrong token' } });

    if (isMedia) {
      const request = parseMediaPath(url.pathname.slice('/media'.length));
      if (!request) return send(res, 404, { ok: false, error: { name: 'NotFound', message: 'media are served by catalog id only' } });
      try {
        const media = await engine.media(request);
        res.writeHead(200, { 'content-type': media.contentType, 'cache-control': 'private, max-age=300', 'x-content-type-options': 'nosniff' });
        res.end(media.body);
      } catch (error) {
        send(res, statusFor(error) === 500 ? 500 : 404, { ok: false, error: { name: (error as Error).name, message: (error as Error).message } });
      }
      return;
    }
    if (url.pathname === '/api/events' && req.method === 'GET') {
      res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store', connection: 'keep-alive' });
      res.write(': connected\n\n');
      streams.add(res);
      req.on('close', () => streams.delete(res));
      return;
    }
    if (url.pathname === '/api/call' && req.method === 'POST') {
      let method: unknown;
      let params: unknown;
      try {
        const body = JSON.parse(await readBody(req));
        method = body?.method;
        params = body?.params;
      } catch (error) {
        return send(res, 400, { ok: false, error: { name: 'ContractError', message: error instanceof ContractError ? error.message : 'the body is not JSON' } });
      }
      try {
        const result = await engine.call(method as string, params);
        return send(res, 200, { ok: true, result });
      } catch (error) {
        const e = error as Error & { field?: string };
        return send(res, statusFor(error), { ok: false, error: { name: e.name, message: e.message, field: e.field } });
      }
    }
    return send(res, 404, { ok: false, error: { name: 'NotFound', message: `no ${req.method} ${url.pathname}` } });
  }

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((error) => {
      if (!res.headersSent) send(res, 500, { ok: false, error: { name: 'Error', message: (error as Error).message } });
      else res.end();
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
