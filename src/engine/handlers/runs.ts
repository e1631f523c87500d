// runs/*: clustering runs, their faces, maps, exports and comparisons.
import { createRun, exportRun, runInput, toReport, toSummary } from '../clustering.ts';
import { cachedMap, colouredMap } from '../projections.ts';
import { clusterSummaries, compareRuns } from '../run-analysis.ts';
import type { Handlers, HandlerHost, MethodsOf } from './host.ts';

export function runHandlers(host: HandlerHost): Handlers<MethodsOf<'runs'>> {
  const catalog = () => host.library().catalog;
  return {
    'runs/create': async (params) => {
      const { catalog } = host.library();
      const limits = host.jobLimits();
      const input = runInput(catalog, params, limits);
      return host.runStepJob('cluster', 'the clustering', (job) => createRun(catalog, input, job, host.clusterInWorkerAbove(), limits));
    },
    'runs/list': async () => catalog().runs.list().map(toSummary),
    'runs/get': async ({ id }) => toReport(catalog().runs.get(id)),
    'runs/delete': async ({ id }) => {
      catalog().runs.delete(id);
      return { deleted: 1 };
    },
    'runs/assignments': async ({ id }) => catalog().runs.assignments(id),
    'runs/export': async ({ id }) => exportRun(catalog(), id),
    'runs/projection': async ({ id, method, seed }) => {
      const { catalog, faces } = host.library();
      const points = cachedMap(catalog, id, method, seed) ?? (await host.mapJob(catalog, id, method, seed));
      return colouredMap(catalog, faces.current(), id, method, points);
    },
    'runs/clusters': async ({ id, samples }) => {
      const { catalog, faces } = host.library();
      return clusterSummaries(catalog, faces.current(), id, samples);
    },
    'runs/compare': async ({ a, b }) => compareRuns(catalog(), a, b),
  };
}
