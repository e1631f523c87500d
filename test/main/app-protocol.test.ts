// The app:// protocol's one trusted mapping from a URL to a file of the built renderer, on POSIX and Windows paths.
import { posix, win32 } from 'node:path';
import { describe, expect, it } from 'vitest';
import { APP_INDEX_URL, chooseRendererUrl, contentTypeOf, rendererFilePath } from '../../src/main/app-protocol.ts';

const dir = '/opt/Facet/resources/app.asar/out/renderer';
const winDir = 'C:\\Program Files\\Facet\\resources\\app.asar\\out\\renderer';

describe('rendererFilePath', () => {
  it('maps app://facet/ paths to files inside the renderer folder', () => {
    expect(rendererFilePath(dir, 'app://facet/index.html', posix)).toBe(`${dir}/index.html`);
    expect(rendererFilePath(dir, 'app://facet/', posix)).toBe(`${dir}/index.html`);
    expect(rendererFilePath(dir, 'app://facet/assets/index-abc.js', posix)).toBe(`${dir}/assets/index-abc.js`);
    expect(rendererFilePath(dir, 'app://facet/assets/a%20b.css?v=1#x', posix)).toBe(`${dir}/assets/a b.css`);
    expect(rendererFilePath(`${dir}/`, 'app://facet/index.html', posix)).toBe(`${dir}/index.html`);
    expect(rendererFilePath(winDir, 'app://facet/assets/index-abc.js', win32)).toBe(`${winDir}\\assets\\index-abc.js`);
  });

  it('refuses every way out of the folder', () => {
    const escapes = [
      'app://facet/../../../etc/passwd',
      'app://facet/%2e%2e/%2e%2e/etc/passwd',
      'app://facet/assets/..%2F..%2F..%2Fetc%2Fpasswd',
      'app://facet/..%2f',
      'app://facet/%2E%2E%2F%2E%2E%2Fmain%2Findex.js',
      'app://facet/..%5C..%5Cmain%5Cindex.js',
      'app://facet/assets\\..\\..\\main\\index.js',
      'app://facet//etc/passwd',
      'app://facet/%2Fetc%2Fpasswd',
      'app://facet/C:%2FWindows%2Fwin.ini',
      'app://facet/C:/Windows/win.ini',
      'app://facet/index.html:secret',
      'app://facet/index.html%00.png',
      'app://facet/%E0%A4%A',
    ];
    for (const url of escapes) {
      const file = rendererFilePath(dir, url, posix);
      expect(file === null || file.startsWith(`${dir}/`), url).toBe(true);
      const winFile = rendererFilePath(winDir, url, win32);
      expect(winFile === null || winFile.startsWith(`${winDir}\\`), url).toBe(true);
    }
    expect(rendererFilePath(dir, 'app://facet/..%2F..%2Fmain%2Findex.js', posix)).toBeNull();
    expect(rendererFilePath(winDir, 'app://facet/..%5Cmain%5Cindex.js', win32)).toBeNull();
    expect(rendererFilePath(winDir, 'app://facet/C:%5CWindows%5Cwin.ini', win32)).toBeNull();
    expect(rendererFilePath(winDir, 'app://facet/%5C%5Cserver%5Cshare%5Cx', win32)).toBeNull();
  });

  it('refuses the folder itself, other hosts, other schemes and malformed URLs', () => {
    // The URL parser resolves plain dot segments itself; encoded ones are decoded after it and must end inside.
    expect(rendererFilePath(dir, 'app://facet/assets/..', posix)).toBe(`${dir}/index.html`);
    expect(rendererFilePath(dir, 'app://facet/assets%2F..', posix)).toBeNull();
    expect(rendererFilePath(dir, 'app://facet/.%2F', posix)).toBeNull();
    expect(rendererFilePath(dir, 'app://other/index.html', posix)).toBeNull();
    expect(rendererFilePath(dir, 'file:///opt/Facet/resources/app.asar/out/renderer/index.html', posix)).toBeNull();
    expect(rendererFilePath(dir, 'facet-media://face/1', posix)).toBeNull();
    expect(rendererFilePath(dir, 'https://facet/index.html', posix)).toBeNull();
    expect(rendererFilePath(dir, 'not a url', posix)).toBeNull();
    expect(rendererFilePath(dir, '', posix)).toBeNull();
  });
});

describe('contentTypeOf', () => {
  it('names the types the renderer build emits, and nothing executable by guess', () => {
    expect(contentTypeOf('/x/index.html')).toMatch(/^text\/html/);
    expect(contentTypeOf('/x/assets/a.js')).toMatch(/^text\/javascript/);
    expect(contentTypeOf('/x/assets/a.CSS')).toMatch(/^text\/css/);
    expect(contentTypeOf('/x/assets/logo.svg')).toBe('image/svg+xml');
    expect(contentTypeOf('/x/assets/unknown.bin')).toBe('application/octet-stream');
    expect(contentTypeOf('/x/README')).toBe('application/octet-stream');
  });
});

describe('chooseRendererUrl', () => {
  it('honours ELECTRON_RENDERER_URL only in an unpackaged app', () => {
    expect(chooseRendererUrl('http://localhost:5173/', false)).toBe('http://localhost:5173/');
    expect(chooseRendererUrl('http://localhost:5173/', true)).toBe(APP_INDEX_URL);
    expect(chooseRendererUrl('https://evil.example/', true)).toBe(APP_INDEX_URL);
    expect(chooseRendererUrl(undefined, false)).toBe(APP_INDEX_URL);
    expect(chooseRendererUrl('', false)).toBe(APP_INDEX_URL);
    expect(APP_INDEX_URL).toBe('app://facet/index.html');
  });
});
