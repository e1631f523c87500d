// features/*: what each feature set offers: its identity signal and its PCA curve.
import { featureSignals, featureVariance } from '../clustering.ts';
import type { Handlers, HandlerHost, MethodsOf } from './host.ts';

/** Curves kept per library: a handful of feature sets is what a person compares. */
const VARIANCE_CURVES_KEPT = 8;

export function featureHandlers(host: HandlerHost): Handlers<MethodsOf<'features'>> {
  return {
    'features/identity-signal': async () => featureSignals(host.library().catalog),
    'features/variance': async ({ features, includeFiltered }) => {
      const { catalog, varianceCurves } = host.library();
      const { machine, edits } = catalog.revisions;
      const key = JSON.stringify([features, includeFiltered, machine, edits, catalog.dataVersion()]);
      const cached = varianceCurves.get(key);
      if (cached) return cached;
      const curve = featureVariance(catalog, features, includeFiltered);
      if (varianceCurves.size >= VARIANCE_CURVES_KEPT) varianceCurves.delete(varianceCurves.keys().next().value!);
      varianceCurves.set(key, curve);
      return curve;
    },
  };
}
