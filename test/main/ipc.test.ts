// The IPC gate: only our own renderer may call, every payload must fit the contract (parseCall, shared with the engine),
// and library/open takes only folders main itself offered. Electron is mocked: the gate's handlers are called directly.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { CALL_CHANNEL, CHOOSE_FOLDER_CHANNEL } from '../../src/shared/channels.ts';
import { ContractError, parseCall } from '../../src/shared/contract.ts';

const handlers = new Map<string, (event: unknown, ...args: unknown[]) => Promise<unknown>>();
vi.mock('electron', () => ({
  ipcMain: { handle: (channel: string, handler: (event: unknown, ...args: unknown[]) => Promise<unknown>) => handlers.set(channel, handler) },
}));

const { isTrustedSender, registerIpcHandlers } = await import('../../src/main/ipc.ts');
const { OfferedRoots } = await import('../../src/main/library-roots.ts');

describe('isTrustedSender', () => {
  const built = 'app://facet/index.html';
  const dev = 'http://localhost:5173/';

  it('accepts the app:// renderer and the dev server', () => {
    expect(isTrustedSender(built, built)).toBe(true);
    expect(isTrustedSender('app://facet/index.html#/library', built)).toBe(true);
    expect(isTrustedSender('http://localhost:5173/faces', dev)).toBe(true);
  });

  it('refuses files, other schemes, hosts, origins, missing and malformed senders', () => {
    expect(isTrustedSender('file:///tmp/evil.html', built)).toBe(false);
    expect(isTrustedSender('file:///opt/Facet/out/renderer/index.html', 'file:///opt/Facet/out/renderer/index.html')).toBe(false);
    // A custom scheme's origin is "null" for every such URL: the check must not compare origins.
    expect(isTrustedSender('evil://facet/index.html', built)).toBe(false);
    expect(isTrustedSender('evil://x/', built)).toBe(false);
    expect(isTrustedSender('app://other/index.html', built)).toBe(false);
    expect(isTrustedSender('https://example.com/', built)).toBe(false);
    expect(isTrustedSender('http://localhost:5174/', dev)).toBe(false);
    expect(isTrustedSender('http://127.0.0.1:5173/', dev)).toBe(false);
    expect(isTrustedSender(built, dev)).toBe(false);
    expect(isTrustedSender(undefined, built)).toBe(false);
    expect(isTrustedSender('', built)).toBe(false);
    expect(isTrustedSender('not a url', built)).toBe(false);
  });
});

describe('the gate (registerIpcHandlers)', () => {
  const rendererUrl = 'app://facet/index.html';
  const fromRenderer = { senderFrame: { url: 'app://facet/index.html#/library' } };
  let calls: { method: string; params: unknown }[];
  let dialogAnswer: string | null;
  let recentFile: string;
  const context = { platform: 'linux' as const, home: '/home/ann' };

  function register(roots = new OfferedRoots(recentFile, context)) {
    registerIpcHandlers({
      rendererUrl,
      call: async (method, params) => {
        calls.push({ method, params });
        return { root: (params as { root?: string }).root };
      },
      chooseFolder: async () => dialogAnswer,
      roots,
    });
    return roots;
  }
  const invoke = (channel: string, event: unknown, ...args: unknown[]) => handlers.get(channel)!(event, ...args);

  beforeEach(() => {
    handlers.clear();
    calls = [];
    dialogAnswer = null;
    recentFile = join(mkdtempSync(join(tmpdir(), 'facet-ipc-')), 'recent-libraries.json');
  });

  it('refuses an unknown sender before looking at the call', async () => {
    register();
    await expect(invoke(CALL_CHANNEL, { senderFrame: { url: 'https://evil.example/' } }, 'library/stats', {})).rejects.toThrow(/unknown sender/);
    await expect(invoke(CHOOSE_FOLDER_CHANNEL, { senderFrame: null })).rejects.toThrow(/unknown sender/);
    expect(calls).toEqual([]);
  });

  it('refuses library/open for a folder the renderer names itself', async () => {
    register();
    await expect(invoke(CALL_CHANNEL, fromRenderer, 'library/open', { root: '/home/ann/secrets' })).rejects.toThrow(/choose the folder with Open folder…/);
    await expect(invoke(CALL_CHANNEL, fromRenderer, 'library/open', { root: '/etc' })).rejects.toThrow(/system folder/);
    expect(calls).toEqual([]);
  });

  it("opens a folder main's dialog returned, also once moved, and remembers it on disk, most recent first", async () => {
    register();
    dialogAnswer = '/home/ann/Pictures';
    expect(await invoke(CHOOSE_FOLDER_CHANNEL, fromRenderer)).toBe('/home/ann/Pictures');
    await invoke(CALL_CHANNEL, fromRenderer, 'library/open', { root: '/home/ann/Pictures/' });
    await invoke(CALL_CHANNEL, fromRenderer, 'library/open', { root: '/home/ann/Pictures', moved: true });
    expect(calls.map((c) => c.params)).toEqual([{ root: '/home/ann/Pictures/' }, { root: '/home/ann/Pictures', moved: true }]);
    dialogAnswer = '/home/ann/Holidays';
    await invoke(CHOOSE_FOLDER_CHANNEL, fromRenderer);
    await invoke(CALL_CHANNEL, fromRenderer, 'library/open', { root: '/home/ann/Holidays' });
    expect(JSON.parse(readFileSync(recentFile, 'utf8'))).toEqual(['/home/ann/Holidays', '/home/ann/Pictures']);
  });

  it('after a restart, opens only folders from the recent list', async () => {
    register();
    dialogAnswer = '/home/ann/Pictures';
    await invoke(CHOOSE_FOLDER_CHANNEL, fromRenderer);
    await invoke(CALL_CHANNEL, fromRenderer, 'library/open', { root: '/home/ann/Pictures' });
    handlers.clear();
    register();
    await invoke(CALL_CHANNEL, fromRenderer, 'library/open', { root: '/home/ann/Pictures' });
    await expect(invoke(CALL_CHANNEL, fromRenderer, 'library/open', { root: '/home/ann/Other' })).rejects.toThrow(/Open folder/);
    expect(calls).toHaveLength(2);
  });

  it('does not remember a folder the engine failed to open', async () => {
    const roots = new OfferedRoots(recentFile, context);
    registerIpcHandlers({ rendererUrl, call: async () => Promise.reject(new Error('no such folder')), chooseFolder: async () => '/home/ann/Gone', roots });
    await invoke(CHOOSE_FOLDER_CHANNEL, fromRenderer);
    await expect(invoke(CALL_CHANNEL, fromRenderer, 'library/open', { root: '/home/ann/Gone' })).rejects.toThrow(/no such folder/);
    expect(roots.recent).toEqual([]);
  });

  it('passes other calls through parsed', async () => {
    register();
    await invoke(CALL_CHANNEL, fromRenderer, 'library/scan', {});
    expect(calls).toEqual([{ method: 'library/scan', params: { detector: 'cascade', minScore: 0.5, reanalyse: false } }]);
    await expect(invoke(CALL_CHANNEL, fromRenderer, 'library/scan', { detector: 'yolo' })).rejects.toThrow(ContractError);
  });
});

describe('parseCall', () => {
  it('passes a valid call with its defaults filled in', () => {
    expect(parseCall('library/scan', {})).toEqual({
      method: 'library/scan',
      params: { detector: 'cascade', minScore: 0.5, reanalyse: false },
    });
  });

  it('refuses unknown methods, prototype keys and malformed params, naming the field', () => {
    expect(() => parseCall('library/delete-everything', {})).toThrow(ContractError);
    expect(() => parseCall('__proto__', {})).toThrow(/unknown method/);
    expect(() => parseCall(42, {})).toThrow(/unknown method/);
    expect(() => parseCall('library/scan', { detector: 'yolo' })).toThrow(/detector/);
    expect(() => parseCall('library/scan', { minScore: 2 })).toThrow(/minScore/);
    expect(() => parseCall('library/scan', { extra: true })).toThrow(ContractError);
    expect(() => parseCall('faces/tag', { faceIds: ['1'], identityId: 1 })).toThrow(/faceIds/);
    try {
      parseCall('runs/create', { k: 0 });
      expect.unreachable();
    } catch (error) {
      expect((error as ContractError).field).toBe('k');
    }
  });
});
