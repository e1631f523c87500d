// The scan store over a stand-in bridge: progress that overtakes the reply, another job's events, the finishing card and
// its 5-second fallback, a failed scan, and the notice when the Electron engine host dies.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { JobProgress, ScanSummary } from '../../src/shared/contract.ts';
import { deferred, installFakeBridge, type FakeBridge } from './fake-bridge.ts';

let bridge: FakeBridge;
let store: typeof import('../../src/renderer/src/stores/scan.ts');
let toasts: typeof import('../../src/renderer/src/stores/toasts.ts').toasts;

beforeEach(async () => {
  vi.resetModules();
  bridge = installFakeBridge();
  bridge.answer('library/failures', () => []);
  store = await import('../../src/renderer/src/stores/scan.ts');
  ({ toasts } = await import('../../src/renderer/src/stores/toasts.ts'));
});

afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllGlobals();
});

function progress(jobId: string, done: number, state: JobProgress['state'] = 'running'): JobProgress {
  return { jobId, kind: 'scan', stage: 'analysing', state, done, total: 40, faces: done, failures: 0, rate: 4, secondsLeft: (40 - done) / 4 };
}

function summary(jobId: string, state: ScanSummary['state'], error?: string): ScanSummary {
  return {
    jobId,
    state,
    backend: 'wasm',
    detector: 'cascade',
    photos: 40,
    added: 40,
    changed: 0,
    relinked: 0,
    analysed: 40,
    failed: [],
    missing: 0,
    faces: 40,
    paddedFaces: 0,
    elapsedMs: 8_000,
    stageMedianMs: null,
    ...(error === undefined ? {} : { error }),
  };
}

describe('following a scan', () => {
  it('keeps the progress that overtook the reply to library/scan, and ignores another job while its own runs', async () => {
    const reply = deferred<{ jobId: string }>();
    bridge.answer('library/scan', () => reply.promise);
    const started = store.startScan();
    expect(store.scanRunning.value).toBe(true);

    store.handleScanEvent({ type: 'job/progress', progress: progress('scan-1', 3) });
    reply.resolve({ jobId: 'scan-1' });
    await started;
    expect(store.scan).toMatchObject({ jobId: 'scan-1', progress: { jobId: 'scan-1', done: 3 }, starting: false });

    store.handleScanEvent({ type: 'job/progress', progress: progress('scan-2', 30) });
    expect(store.scan.progress).toMatchObject({ jobId: 'scan-1', done: 3 });
  });

  it('keeps the card up between the last progress and the summary, and settles on its own when no summary comes in 5 s', async () => {
    vi.useFakeTimers();
    bridge.answer('library/scan', () => ({ jobId: 'scan-1' }));
    await store.startScan();
    store.handleScanEvent({ type: 'job/progress', progress: progress('scan-1', 39) });
    store.handleScanEvent({ type: 'job/progress', progress: progress('scan-1', 40, 'done') });
    expect(store.scan.progress).toMatchObject({ done: 40, state: 'running', stage: 'done' });

    await vi.advanceTimersByTimeAsync(4_999);
    expect(store.scan.progress?.state).toBe('running');
    await vi.advanceTimersByTimeAsync(1);
    expect(store.scan.progress).toMatchObject({ done: 40, state: 'done' });
    expect(store.scanRunning.value).toBe(false);
  });

  it('ends with the summary when it comes, and says why a scan stopped', async () => {
    bridge.answer('library/scan', () => ({ jobId: 'scan-1' }));
    await store.startScan();
    store.handleScanEvent({ type: 'job/progress', progress: progress('scan-1', 12, 'failed') });
    store.handleScanEvent({
      type: 'job/finished',
      jobId: 'scan-1',
      kind: 'scan',
      summary: summary('scan-1', 'failed', 'library folder /photos is not reachable'),
    });
    expect(store.scan.summary).toMatchObject({ jobId: 'scan-1', state: 'failed' });
    expect(store.scan.progress).toMatchObject({ state: 'failed', stage: 'done', secondsLeft: 0 });
    expect(toasts.at(-1)).toMatchObject({ kind: 'error', title: 'The scan stopped', message: expect.stringContaining('/photos is not reachable') });
  });
});

describe('when the engine host dies', () => {
  it('says the engine is restarting, and ends the scan that was running', async () => {
    bridge.answer('library/scan', () => ({ jobId: 'scan-1' }));
    await store.startScan();
    store.handleScanEvent({ type: 'engine/crashed', code: 1 });
    expect(store.scan.progress).toMatchObject({ state: 'failed', stage: 'done' });
    expect(toasts.at(-1)).toMatchObject({ kind: 'error', title: 'The engine stopped', message: expect.stringMatching(/^It is restarting\./) });
  });

  it('says it gave up, with the exit code, when main stopped restarting it', () => {
    store.handleScanEvent({ type: 'engine/crashed', code: 134, gaveUp: true });
    expect(toasts.at(-1)).toMatchObject({ kind: 'error', message: expect.stringContaining('last exit code 134') });
  });
});
