// suggestions/*: who an untagged face may be, and groups of unknown people.
import { listSuggestions, unknownGroups } from '../suggestions.ts';
import type { Handlers, HandlerHost, MethodsOf } from './host.ts';

export function suggestionHandlers(host: HandlerHost): Handlers<MethodsOf<'suggestions'>> {
  return {
    'suggestions/list': async (params) => {
      const { catalog, faces } = host.library();
      return listSuggestions(catalog, faces.current(), params);
    },
    'suggestions/reject': async ({ faceIds, identityId }) => ({ rejected: host.library().catalog.edits.reject(faceIds, identityId) }),
    'suggestions/groups': async (params) =>
      unknownGroups(host.library().faces.current(), params, { inWorkerAbove: host.clusterInWorkerAbove(), limits: host.jobLimits() }),
  };
}
