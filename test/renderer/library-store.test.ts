// The library store over a stand-in bridge: opening (and saying why it failed), asking again after the engine restarts,
// and a counts refresh that finds the library gone.
import { afterEach, beforeEach, expect, it, vi } from 'vitest';
import type { LibraryInfo, LibraryStats } from '../../src/shared/contract.ts';
import { installFakeBridge, type FakeBridge } from './fake-bridge.ts';

let bridge: FakeBridge;
let store: typeof import('../../src/renderer/src/stores/library.ts');
let toasts: typeof import('../../src/renderer/src/stores/toasts.ts').toasts;

beforeEach(async () => {
  vi.resetModules();
  bridge = installFakeBridge();
  bridge.answer('library/failures', () => [{ path: 'bad/empty.jpg', reason: 'empty file' }]);
  store = await import('../../src/renderer/src/stores/library.ts');
  ({ toasts } = await import('../../src/renderer/src/stores/toasts.ts'));
});

afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllGlobals();
});

function stats(photos: number): LibraryStats {
  return {
    photos,
    pending: 0,
    analysed: photos,
    failed: 1,
    missing: 0,
    faces: photos,
    paddedFaces: 0,
    photosWithoutFaces: 0,
    identities: 0,
    taggedFaces: 0,
    markedFaces: 0,
  };
}

const opened = (root: string, photos: number): LibraryInfo => ({ root, catalogFile: `${root}.sqlite`, stats: stats(photos) });

it("opens a library with its counts and failed files; a refusal is told in the user's language and changes nothing", async () => {
  bridge.answer('library/open', ({ root }) => opened(root, 40));
  expect(await store.openLibrary('/photos/cast')).toBe(true);
  expect(store.library).toMatchObject({ status: 'open', root: '/photos/cast', stats: { photos: 40 }, failures: [{ path: 'bad/empty.jpg' }], opening: false });

  bridge.answer('library/open', () => {
    throw new Error("Error invoking remote method 'facet:call': EngineError: library folder /nowhere does not exist");
  });
  expect(await store.openLibrary('/nowhere')).toBe(false);
  expect(toasts.at(-1)).toMatchObject({ kind: 'error', title: 'Could not open the library', message: expect.stringContaining('/nowhere does not exist') });
  expect(store.library).toMatchObject({ status: 'open', root: '/photos/cast', opening: false });
});

it('asks the engine again which library is open once it has restarted', async () => {
  vi.useFakeTimers();
  bridge.answer('library/current', () => opened('/photos/cast', 40));
  store.handleLibraryEvent({ type: 'engine/crashed', code: 1 });
  // The restarted engine needs a moment before it answers.
  expect(bridge.paramsOf('library/current')).toEqual([]);
  await vi.advanceTimersByTimeAsync(1_500);
  expect(bridge.paramsOf('library/current')).toEqual([{}]);
  expect(store.library).toMatchObject({ status: 'open', root: '/photos/cast' });
});

it('shows the library closed when a counts refresh finds none open, and tells other failures', async () => {
  bridge.answer('library/open', ({ root }) => opened(root, 40));
  await store.openLibrary('/photos/cast');
  bridge.answer('library/stats', () => stats(41));
  await store.refreshStats();
  expect(store.library.stats?.photos).toBe(41);

  bridge.answer('library/stats', () => {
    throw new Error("Error invoking remote method 'facet:call': EngineError: catalog is locked");
  });
  await store.refreshStats();
  expect(toasts.at(-1)).toMatchObject({ kind: 'error', title: 'Could not read the library counts' });
  expect(store.library.status).toBe('open');

  bridge.answer('library/stats', () => {
    throw new Error("Error invoking remote method 'facet:call': NoLibraryError: no library is open: open a photo folder first");
  });
  bridge.answer('library/current', () => null);
  await store.refreshStats();
  expect(store.library).toMatchObject({ status: 'closed', root: null, stats: null });
});
