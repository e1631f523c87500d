// `facet serve`'s guards: the token on /api/ and /media/, loopback-only hosts, ids-only media, static files.
import { existsSync, mkdtempSync, mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Engine } from '../../src/engine/engine.ts';
import { isAllowedHost, isLoopbackAddress, startServer, tokenMatches, type FacetServer } from '../../src/server/server.ts';

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
});

interface Reply {
  ok: boolean;
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
      headers: token === null ? {} : { 'x-facet-token': token },
      body: JSON.stringify({ method, params }),
    });

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

  it('runs contract calls with the token, in the header or the query', async () => {
    const opened = await call('library/open', { root: join(dir, 'library') });
    expect(opened.status).toBe(200);
    const body = await json(opened);
    expect(body.ok).toBe(true);
    expect(body.result!.stats.photos).toBe(0);
    const viaQuery = await fetch(`${base()}/api/call?token=${server.token}`, {
      method: 'POST',
      body: JSON.stringify({ method: 'library/stats', params: {} }),
    });
    expect((await json(viaQuery)).result!.faces).toBe(0);
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
    const notJson = await fetch(`${base()}/api/call`, { method: 'POST', headers: { 'x-facet-token': server.token }, body: '{' });
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

describe('a server started with --db FILE', () => {
  it('keeps that catalog for the folder the page opens, and says which library is open', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'facet-serve-db-'));
    mkdirSync(join(dir, 'photos'));
    const engine = new Engine({ dataDir: join(dir, 'data'), catalog: join(dir, 'chosen.sqlite') });
    try {
      expect(await engine.call('library/current', {})).toBeNull();
      const info = await engine.call('library/open', { root: join(dir, 'photos') });
      expect(info.catalog).toBe(join(dir, 'chosen.sqlite'));
      expect((await engine.call('library/current', {}))?.root).toBe(info.root);
    } finally {
      await engine.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
