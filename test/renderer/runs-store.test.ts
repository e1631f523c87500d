// The runs store over a stand-in bridge: one clustering at a time with the newest request winning, no run made twice,
// progress only for slow runs, cancel by the job's id, and what is shown after a run is deleted.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { JobProgress, Request, RunReport } from '../../src/shared/contract.ts';
import { deferred, installFakeBridge, type FakeBridge } from './fake-bridge.ts';

type RunsStore = typeof import('../../src/renderer/src/stores/runs.ts');

let bridge: FakeBridge;
let store: RunsStore;

beforeEach(async () => {
  // Each test gets fresh stores: the runs store keeps its queue and cache in its module.
  vi.resetModules();
  bridge = installFakeBridge();
  store = await import('../../src/renderer/src/stores/runs.ts');
});

afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllGlobals();
});

/** A stored run as the engine reports it; only the id and the settings matter to the store. */
function report(id: number, params: Request<'runs/create'>): RunReport {
  const k = params.k ?? 10;
  const scores = { precision: 1, recall: 1, f1: 1 };
  return {
    id,
    createdAt: new Date(Date.UTC(2026, 0, id)).toISOString(),
    params: { features: 'descriptor', k, algorithm: 'kmeans', restarts: 10, seed: 1, includeFiltered: false },
    features: 'descriptor',
    k,
    algorithm: 'kmeans',
    seed: 1,
    durationMs: 5,
    faces: 40,
    headline: { cohesion: 1, ari: 1, nmi: 1, pairwiseF1: 1, speedup: k, taggedFaces: 40 },
    cut: null,
    metrics: {
      taggedFaces: 40,
      identities: 4,
      cohesion: { weighted: 1, mean: 1, perIdentity: [] },
      pairwise: scores,
      bcubed: scores,
      purity: 1,
      inversePurity: 1,
      nmi: 1,
      ari: 1,
      searchCost: 1 / k,
      speedup: k,
      matchingRecall: [],
      table: { identities: [], clusters: [], counts: [] },
    },
    details: {
      faces: 40,
      filteredOut: 0,
      markedOut: 0,
      dimensions: 128,
      pca: null,
      clusters: [],
      pose: { yaw: { faces: 40, byCluster: 0, byIdentity: 0 }, roll: { faces: 40, byCluster: 0, byIdentity: 0 } },
    },
  };
}

function progress(jobId: string, done: number): JobProgress {
  return { jobId, kind: 'cluster', stage: 'working', state: 'running', done, total: 10, faces: 0, failures: 0, rate: 0, secondsLeft: null };
}

/** Lets every answer already given reach the store (and whatever it starts next). */
const settled = () => new Promise((resolve) => setTimeout(resolve, 0));

/** Answers runs/create with runs that end when the test says, numbered from 1 in the order asked. */
function pendingRuns(): { finish: (index: number) => Promise<void>; fail: (index: number, error: Error) => Promise<void> } {
  const pending: ReturnType<typeof deferred<void>>[] = [];
  bridge.answer('runs/create', (params) => {
    const run = deferred<void>();
    pending.push(run);
    const id = pending.length;
    return run.promise.then(() => report(id, params));
  });
  return {
    finish: async (index) => {
      pending[index - 1].resolve();
      await settled();
    },
    fail: async (index, error) => {
      pending[index - 1].reject(error);
      await settled();
    },
  };
}

describe('making runs', () => {
  it('clusters one request at a time: a newer request replaces the waiting one, and the last settings are shown', async () => {
    const runs = pendingRuns();
    store.cluster({ k: 3 });
    store.cluster({ k: 4 });
    store.cluster({ k: 5 });
    expect(bridge.paramsOf('runs/create')).toEqual([{ k: 3 }]);

    await runs.finish(1);
    expect(bridge.paramsOf('runs/create')).toEqual([{ k: 3 }, { k: 5 }]);
    expect(store.runs.clustering?.params).toEqual({ k: 5 });
    await runs.finish(2);
    expect(store.runs.clustering).toBeNull();
    expect(store.runs.current).toMatchObject({ id: 2, k: 5 });
    expect(store.runs.list.map((r) => r.id)).toEqual([1, 2]);
  });

  it('makes no second run of the settings in flight, nor of the run shown while the tags are unchanged; after a tag it runs again', async () => {
    const runs = pendingRuns();
    store.cluster({ k: 3 });
    store.cluster({ k: 4 });
    // Back to the settings in flight (a slider dragged there and back): the waiting request is dropped.
    store.cluster({ k: 3 });
    await runs.finish(1);
    expect(bridge.paramsOf('runs/create')).toEqual([{ k: 3 }]);

    store.cluster({ k: 3 });
    expect(bridge.paramsOf('runs/create')).toHaveLength(1);

    bridge.answer('faces/tag', () => ({ tagged: 1, previous: [{ faceId: 7, identityId: null, mark: null }] }));
    bridge.answer('identities/list', () => []);
    const { tagFaces } = await import('../../src/renderer/src/stores/edits.ts');
    await tagFaces([7], 2);
    store.cluster({ k: 3 });
    expect(bridge.paramsOf('runs/create')).toEqual([{ k: 3 }, { k: 3 }]);
  });

  it('shows progress only once a run has taken a second, follows its own job, and cancels it by that job', async () => {
    vi.useFakeTimers();
    const run = deferred<RunReport>();
    bridge.answer('runs/create', () => run.promise);
    bridge.answer('job/cancel', () => ({ cancelled: true }));
    store.cluster({ k: 3 });

    bridge.emit({ type: 'job/progress', progress: progress('job-a', 1) });
    bridge.emit({ type: 'job/progress', progress: progress('job-b', 9) });
    bridge.emit({ type: 'job/progress', progress: { ...progress('job-c', 1), kind: 'map' } });
    expect(store.runs.clustering).toMatchObject({ jobId: 'job-a', progress: { jobId: 'job-a', done: 1 }, slow: false });
    vi.advanceTimersByTime(999);
    expect(store.runs.clustering?.slow).toBe(false);
    vi.advanceTimersByTime(1);
    expect(store.runs.clustering?.slow).toBe(true);

    await store.cancelClustering();
    expect(bridge.paramsOf('job/cancel')).toEqual([{ jobId: 'job-a' }]);
    run.reject(new Error("Error invoking remote method 'facet:call': JobCancelledError: cancelled"));
    await vi.waitFor(() => expect(store.runs.clustering).toBeNull());
    // The user asked for it: no error to show.
    expect(store.runs.clusterError).toBeNull();
  });

  it('keeps the error of a run that failed, as the engine named it, and the run shown before', async () => {
    const runs = pendingRuns();
    store.cluster({ k: 3 });
    await runs.finish(1);
    store.cluster({ k: 400 });
    await runs.fail(2, new Error("Error invoking remote method 'facet:call': ParamError: 400 clusters asked for, but only 40 faces"));
    expect(store.runs.clusterError).toMatchObject({ name: 'ParamError', message: '400 clusters asked for, but only 40 faces' });
    expect(store.runs.current).toMatchObject({ id: 1, k: 3 });
  });
});

describe('the run shown', () => {
  it('after the shown run is deleted, shows the latest left; a run opened before opens without asking again', async () => {
    const list = [report(1, { k: 2 }), report(2, { k: 3 }), report(3, { k: 4 })];
    bridge.answer('runs/list', () => list);
    bridge.answer('runs/get', ({ id }) => list.find((r) => r.id === (id ?? list.at(-1)!.id))!);
    bridge.answer('runs/delete', ({ id }) => ({ deleted: id }));
    await store.loadRuns();
    await store.showRun(2);
    await store.showRun();
    expect(store.runs.current?.id).toBe(3);

    await store.deleteRun(3);
    expect(store.runs.list.map((r) => r.id)).toEqual([1, 2]);
    expect(store.runs.current?.id).toBe(2);
    // Run 2 was opened before: only the two first openings reached the engine.
    expect(bridge.paramsOf('runs/get')).toEqual([{ id: 2 }, {}]);
  });
});
