// `facet serve`'s guards: the token on /api/ and /media/, loopback-only hosts, ids-only media, static files.
import { existsSync, mkdtempSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import sharp from 'sharp';
import { Engine } from '../../src/engine/engine.ts';
import { MATCH_IMAGE_MAX_BYTES, TAG_CSV_MAX_CHARS } from '../../src/shared/contract.ts';
import { logFileIn } from '../../src/engine/log.ts';
import { buildSyntheticCatalog } from '../helpers/synthetic-catalog.ts';
import {
  LARGE_BODIES_AT_ONCE,
  MAX_BODY_BYTES,
  givenToken,
  isAllowedHost,
  isJsonContentType,
  isLoopbackAddress,
  isSameOriginRequest,
  startServer,
  tokenMatches,
  type FacetServer,
} from '../../src/server/server.ts';

describe('guards as predicates', () => {
  it('knows loopback addresses', () => {
    for (const a of ['127.0.0.1', '127.1.2.3', '::1', '::ffff:127.0.0.1']) expect(isLoopbackAddress(a)).toBe(true);
    for (const a of ['10.0.0.1', '192.168.1.2', '::ffff:10.0.0.1', '', undefined, '0.0.0.0', 'fe80::1']) expect(isLoopbackAddress(a)).toBe(false);
  });

  it('accepts only loopback Host headers on its own port', () => {
    expect(isAllowedHost('127.0.0.1:4000', 4000)).toBe(true);
    expect(isAllowedHost('localhost:4000', 4000)).toBe(true);
    expect(isAllowedHost('127.0.0.1:4001', 4000)).toBe(false);
    expect(isAllowedHost('evil.example:4000', 4000)).toBe(false);
    expect(isAllowedHost('127.0.0.1', 4000)).toBe(false);
    expect(isAllowedHost(undefined, 4000)).toBe(false);
  });

  it('compares tokens exactly', () => {
    expect(tokenMatches('abc', 'abc')).toBe(true);
    expect(tokenMatches('abd', 'abc')).toBe(false);
    expect(tokenMatches('ab', 'abc')).toBe(false);
    expect(tokenMatches('', 'abc')).toBe(false);
    expect(tokenMatches(null, 'abc')).toBe(false);
  });

  it('lets only same-origin pages, or no page, reach the API', () => {
    const host = '127.0.0.1:4000';
    expect(isSameOriginRequest(undefined, undefined, host)).toBe(true);
    expect(isSameOriginRequest('http://127.0.0.1:4000', 'same-origin', host)).toBe(true);
    expect(isSameOriginRequest(undefined, 'none', host)).toBe(true);
    expect(isSameOriginRequest('http://localhost:4000', 'same-origin', 'localhost:4000')).toBe(true);
    expect(isSameOriginRequest('http://evil.example', undefined, host)).toBe(false);
    expect(isSameOriginRequest('http://localhost:4000', undefined, host)).toBe(false);
    expect(isSameOriginRequest('https://127.0.0.1:4000', undefined, host)).toBe(false);
    expect(isSameOriginRequest('http://127.0.0.1:4001', undefined, host)).toBe(false);
    expect(isSameOriginRequest('null', undefined, host)).toBe(false);
    expect(isSameOriginRequest(undefined, 'cross-site', host)).toBe(false);
    expect(isSameOriginRequest(undefined, 'same-site', host)).toBe(false);
    expect(isSameOriginRequest('http://127.0.0.1:4000', 'cross-site', host)).toBe(false);
  });

  it('takes the token from the query only for GET media and the event stream', () => {
    const query = new URLSearchParams('token=t');
    expect(givenToken('POST', '/api/call', 'h', query)).toBe('h');
    expect(givenToken('POST', '/api/call', undefined, query)).toBeNull();
    expect(givenToken('GET', '/api/call', undefined, query)).toBeNull();
    expect(givenToken('GET', '/api/events', undefined, query)).toBe('t');
    expect(givenToken('POST', '/api/events', undefined, query)).toBeNull();
    expect(givenToken('GET', '/media/face/1', undefined, query)).toBe('t');
    expect(givenToken('HEAD', '/media/face/1', undefined, query)).toBe('t');
    expect(givenToken('POST', '/media/face/1', undefined, query)).toBeNull();
    expect(givenToken('GET', '/media/face/1', ['a', 'b'], query)).toBe('t');
  });

  it("holds the contract's largest requests under the body limit", () => {
    const csv = JSON.stringify({ method: 'tags/import', params: { from: 'csv', csv: 'a/b.jpg,Zoë\r\n'.repeat(TAG_CSV_MAX_CHARS / 13) } });
    const image = JSON.stringify({ method: 'match/photo', params: { image: 'A'.repeat(Math.ceil(MATCH_IMAGE_MAX_BYTES / 3) * 4) } });
    expect(Buffer.byteLength(csv)).toBeLessThan(MAX_BODY_BYTES);
    expect(Buffer.byteLength(image)).toBeLessThan(MAX_BODY_BYTES);
  });

  it('reads only JSON bodies', () => {
    expect(isJsonContentType('application/json')).toBe(true);
    expect(isJsonContentType('Application/JSON; charset=utf-8')).toBe(true);
    for (const type of [undefined, '', 'text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data', 'application/jsonx'])
      expect(isJsonContentType(type)).toBe(false);
  });
});

interface Reply {
  ok: boolean;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the assertions read each reply's fields directly; the server's schemas are tested elsewhere
  result?: Record<string, any>;
  error?: { name: string; message: string; field?: string };
}
const json = async (res: Response) => (await res.json()) as Reply;

describe('the server', () => {
  let dir: string;
  let engine: Engine;
  let server: FacetServer;
  const base = () => `http://127.0.0.1:${server.port}`;
  const call = (method: string, params: unknown, token: string | null = server.token) =>
    fetch(`${base()}/api/call`, {
      method: 'POST',
      headers: token === null ? { 'content-type': 'application/json' } : { 'content-type': 'application/json', 'x-facet-token': token },
      body: JSON.stringify({ method, params }),
    });
  /** A raw request (fetch would set Origin and Sec-Fetch-* its own way), with its status, headers and body. */
  const raw = async (method: string, path: string, headers: Record<string, string | number | undefined>, body?: string | Buffer) => {
    const { request } = await import('node:http');
    return new Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }>((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port: server.port, method, path, headers, agent: false }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString() }));
      });
      req.on('error', reject);
      req.end(body);
    });
  };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'facet-server-'));
    mkdirSync(join(dir, 'library'));
    mkdirSync(join(dir, 'renderer', 'assets'), { recursive: true });
    writeFileSync(join(dir, 'renderer', 'index.html'), '<!doctype html><title>Facet</title>');
    writeFileSync(join(dir, 'renderer', 'assets', 'app.js'), 'console.log(1)');
    engine = new Engine({ dataDir: join(dir, 'data') });
    server = await startServer({ engine, port: 0, rendererDir: join(dir, 'renderer') });
  });

  afterAll(async () => {
    await server.close();
    await engine.close();
    // The engine logged its start and exit (and media errors) in the data folder, never the token.
    const log = readFileSync(logFileIn(join(dir, 'data')), 'utf8');
    expect(log).toContain('engine started');
    expect(log).not.toContain(server.token);
    rmSync(dir, { recursive: true, force: true });
  });

  it('prints a loopback URL carrying the token', () => {
    expect(server.url).toBe(`http://127.0.0.1:${server.port}/?token=${server.token}`);
    expect(server.token.length).toBeGreaterThanOrEqual(32);
  });

  it('answers 401 on /api/ and /media/ without the right token', async () => {
    expect((await call('library/stats', {}, null)).status).toBe(401);
    expect((await call('library/stats', {}, 'wrong')).status).toBe(401);
    expect((await fetch(`${base()}/api/events`)).status).toBe(401);
    expect((await fetch(`${base()}/media/face/1`)).status).toBe(401);
    expect((await fetch(`${base()}/media/face/1?token=nope`)).status).toBe(401);
  });

  it('runs contract calls with the token in the header, never from the query', async () => {
    const opened = await call('library/open', { root: join(dir, 'library') });
    expect(opened.status).toBe(200);
    expect(opened.headers.get('x-content-type-options')).toBe('nosniff');
    expect(opened.headers.get('cache-control')).toBe('no-store');
    const body = await json(opened);
    expect(body.ok).toBe(true);
    expect(body.result!.stats.photos).toBe(0);
    const viaQuery = await fetch(`${base()}/api/call?token=${server.token}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ method: 'library/stats', params: {} }),
    });
    expect(viaQuery.status).toBe(401);
  });

  it('refuses a cross-site form: another Origin, a cross-site fetch, a body that is not JSON', async () => {
    const host = `127.0.0.1:${server.port}`;
    const body = JSON.stringify({ method: 'identities/create', params: { name: 'Mallory' } });
    const headers = { host, 'content-type': 'application/json', 'x-facet-token': server.token };
    for (const extra of [{ origin: 'http://evil.example' }, { origin: 'null' }, { 'sec-fetch-site': 'cross-site' }, { 'sec-fetch-site': 'same-site' }]) {
      const res = await raw('POST', '/api/call', { ...headers, ...extra }, body);
      expect(res.status, JSON.stringify(extra)).toBe(403);
      expect(JSON.parse(res.body).error.message).toMatch(/^requests from another site are refused/);
    }
    const media = await raw('GET', `/media/face/1?token=${server.token}`, { host, 'sec-fetch-site': 'cross-site' });
    expect(media.status).toBe(403);
    // The request of the issue: a text/plain POST with the token in the query.
    const form = await raw('POST', `/api/call?token=${server.token}`, { host, 'content-type': 'text/plain' }, body);
    expect(form.status).toBe(401);
    const plain = await raw('POST', '/api/call', { ...headers, 'content-type': 'text/plain' }, body);
    expect(plain.status).toBe(415);
    expect(JSON.parse(plain.body).error.message).toContain('Content-Type: application/json');
    expect((await engine.call('identities/list', {})).map((i) => i.name)).not.toContain('Mallory');
    const sameOrigin = await raw(
      'POST',
      '/api/call',
      { ...headers, origin: `http://${host}`, 'sec-fetch-site': 'same-origin' },
      JSON.stringify({ method: 'library/current', params: {} }),
    );
    expect(sameOrigin.status).toBe(200);
  });

  it('refuses bodies over the limit, saying the limit, and more than two large bodies at once', async () => {
    const host = `127.0.0.1:${server.port}`;
    const headers = { host, 'content-type': 'application/json', 'x-facet-token': server.token };
    const declared = await raw('POST', '/api/call', { ...headers, 'content-length': MAX_BODY_BYTES + 1 }, Buffer.alloc(MAX_BODY_BYTES + 1, 32));
    expect(declared.status).toBe(413);
    expect(JSON.parse(declared.body).error.message).toMatch(/^the request is over 16 MB, the most Facet reads: split a large tag CSV/);
    const chunked = await raw('POST', '/api/call', { ...headers, 'transfer-encoding': 'chunked' }, Buffer.alloc(MAX_BODY_BYTES + 1, 32));
    expect(chunked.status).toBe(413);

    // Two large uploads held open take both slots; a third is turned away at once, then welcome again.
    const { request } = await import('node:http');
    const size = 3 * 1024 * 1024;
    const text = JSON.stringify({ method: 'library/current', params: {}, padding: ' '.repeat(size) });
    const held = Array.from({ length: LARGE_BODIES_AT_ONCE }, () => {
      const req = request({
        host: '127.0.0.1',
        port: server.port,
        method: 'POST',
        path: '/api/call',
        headers: { ...headers, 'content-length': Buffer.byteLength(text) },
      });
      const status = new Promise<number>((resolve, reject) => {
        req.on('response', (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        });
        req.on('error', reject);
      });
      req.write(text.slice(0, 1000));
      return { req, status };
    });
    await new Promise((resolve) => setTimeout(resolve, 300));
    const third = await raw('POST', '/api/call', { ...headers, 'content-length': Buffer.byteLength(text) }, text);
    expect(third.status).toBe(503);
    expect(third.headers['retry-after']).toBe('5');
    expect(JSON.parse(third.body).error.message).toMatch(/^the server is already reading 2 large requests: try again in a few seconds/);
    expect((await call('library/current', {})).status).toBe(200);
    for (const { req } of held) req.end(text.slice(1000));
    expect(await Promise.all(held.map((h) => h.status))).toEqual(held.map(() => 200));
    expect((await raw('POST', '/api/call', { ...headers, 'content-length': Buffer.byteLength(text) }, text)).status).toBe(200);
  });

  it('answers a malformed % escape with 400, and wrong methods with 405 and Allow', async () => {
    const host = `127.0.0.1:${server.port}`;
    for (const path of ['/%E0%A4%A', '/assets/%zz.js', `/media/face/%?token=${server.token}`])
      expect((await raw('GET', path, { host })).status, path).toBe(400);
    for (const method of ['POST', 'DELETE', 'PUT']) {
      const res = await raw(method, `/media/face/1?token=${server.token}`, { host, 'x-facet-token': server.token, 'content-type': 'application/json' }, '{}');
      expect(res.status, method).toBe(405);
      expect(res.headers.allow).toBe('GET, HEAD');
    }
    const get = await raw('GET', '/api/call', { host, 'x-facet-token': server.token });
    expect([get.status, get.headers.allow]).toEqual([405, 'POST']);
    const post = await raw('POST', '/api/events', { host, 'x-facet-token': server.token });
    expect([post.status, post.headers.allow]).toEqual([405, 'GET']);
    expect((await raw('DELETE', '/', { host })).headers.allow).toBe('GET, HEAD');
  });

  it('opens libraries by full path only: no catalog file, no relative path, no disk root or system folder', async () => {
    const refused = async (params: unknown, pattern: RegExp) => {
      const res = await call('library/open', params);
      expect(res.status, JSON.stringify(params)).toBe(400);
      expect((await json(res)).error!.message).toMatch(pattern);
    };
    await refused({ root: join(dir, 'library'), db: join(dir, 'elsewhere.sqlite') }, /db/);
    await refused({ db: join(dir, 'elsewhere.sqlite') }, /root/);
    await refused({ root: 'library' }, /^"library" is not a full path: give the photo folder's full path/);
    await refused({ root: '/' }, /^\/ is the whole disk/);
    await refused({ root: '/proc' }, /^\/proc is inside the system folder \/proc/);
    await refused({ root: '/etc/ssh' }, /system folder \/etc,/);
    expect(existsSync(join(dir, 'elsewhere.sqlite'))).toBe(false);
    // A link does not smuggle a system folder in.
    symlinkSync('/etc', join(dir, 'etc-link'));
    await refused({ root: join(dir, 'etc-link') }, /leads to \/etc: .*system folder \/etc/);
    // ~ is the home folder (this one does not exist, so nothing is created there).
    const missing = await call('library/open', { root: '~/facet-no-such-folder-4f1c' });
    expect((await json(missing)).error!.message).toBe(`library folder ${join(homedir(), 'facet-no-such-folder-4f1c')} does not exist or cannot be read`);
  });

  it('reports bad requests with a status and the field', async () => {
    const bad = await call('runs/create', { k: -3 });
    expect(bad.status).toBe(400);
    expect((await json(bad)).error!.field).toBe('k');
    expect((await call('no/such', {})).status).toBe(400);
    const notJson = await fetch(`${base()}/api/call`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-facet-token': server.token },
      body: '{',
    });
    expect(notJson.status).toBe(400);
    expect((await call('runs/get', { id: 99 })).status).toBe(404);
  });

  it('serves media by id only: a path is 404, an unknown id is 404', async () => {
    for (const path of ['/media/face/..%2F..%2Fetc%2Fpasswd', '/media/photo/etc/passwd', '/media/face/abc', '/media/x/1', '/media/face/1/2']) {
      expect((await fetch(`${base()}${path}?token=${server.token}`)).status, path).toBe(404);
    }
    expect((await fetch(`${base()}/media/face/123456?token=${server.token}`)).status).toBe(404);
  });

  it('serves the renderer with its CSP, falls back to the app for routes, and never leaves its folder', async () => {
    const page = await fetch(`${base()}/`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(page.headers.get('content-security-policy')).not.toContain('unsafe-eval');
    expect((await fetch(`${base()}/assets/app.js`)).headers.get('content-type')).toContain('javascript');
    expect(await (await fetch(`${base()}/library`)).text()).toContain('<title>Facet</title>');
    expect((await fetch(`${base()}/assets/missing.js`)).status).toBe(404);
    expect((await fetch(`${base()}/..%2f..%2fpackage.json`)).status).toBe(404);
  });

  it('refuses a foreign Host header (DNS rebinding)', async () => {
    const { request } = await import('node:http');
    const status = await new Promise<number>((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port: server.port, path: '/', headers: { host: 'evil.example' } }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', reject);
      req.end();
    });
    expect(status).toBe(403);
  });

  it('streams engine events to subscribers', async () => {
    const controller = new AbortController();
    const res = await fetch(`${base()}/api/events?token=${server.token}`, { signal: controller.signal });
    expect(res.headers.get('content-type')).toBe('text/event-stream');
    const reader = res.body!.getReader();
    await reader.read(); // the ": connected" comment
    await call('library/open', { root: join(dir, 'library') });
    const { value } = await reader.read();
    const text = new TextDecoder().decode(value);
    expect(text).toMatch(/^data: /);
    expect(JSON.parse(text.slice(6)).type).toBe('library/opened');
    controller.abort();
  });
});

describe('media over HTTP', () => {
  it('are served with GET and HEAD, never cached (the URL holds the token), never sniffed', async () => {
    const built = buildSyntheticCatalog([{ path: 'a.jpg', width: 400, height: 300, faces: [{ name: 'ann', x: 150, y: 100, descriptor: 0 }] }]);
    await sharp({ create: { width: 400, height: 300, channels: 3, background: '#808080' } })
      .jpeg()
      .toFile(join(built.root, 'a.jpg'));
    const engine = new Engine({ dataDir: join(built.root, '..', 'data') });
    await engine.openCatalogFile(built.catalog, built.root);
    const server = await startServer({ engine, port: 0 });
    try {
      for (const path of [`/media/photo/${built.photoIds['a.jpg']}`, `/media/face/${built.faceIds.ann}`]) {
        for (const method of ['GET', 'HEAD']) {
          const res = await fetch(`http://127.0.0.1:${server.port}${path}?token=${server.token}`, { method });
          expect(res.status, `${method} ${path}`).toBe(200);
          expect(res.headers.get('content-type')).toBe('image/jpeg');
          expect(res.headers.get('cache-control')).toBe('private, no-store');
          expect(res.headers.get('x-content-type-options')).toBe('nosniff');
          expect((await res.arrayBuffer()).byteLength > 0).toBe(method === 'GET');
        }
      }
    } finally {
      await server.close();
      await engine.close();
    }
  });
});

describe('a server started with --db FILE', () => {
  it('keeps that catalog for the folder the page opens, and says which library is open', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'facet-serve-db-'));
    mkdirSync(join(dir, 'photos'));
    const engine = new Engine({ dataDir: join(dir, 'data'), catalogFile: join(dir, 'chosen.sqlite') });
    try {
      expect(await engine.call('library/current', {})).toBeNull();
      const info = await engine.call('library/open', { root: join(dir, 'photos') });
      expect(info.catalogFile).toBe(join(dir, 'chosen.sqlite'));
      expect((await engine.call('library/current', {}))?.root).toBe(info.root);
    } finally {
      await engine.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
