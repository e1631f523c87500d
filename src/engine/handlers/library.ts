// library/*: opening a photo folder, its counts and failed files, and scanning it.
import type { Handlers, HandlerHost, MethodsOf } from './host.ts';

export function libraryHandlers(host: HandlerHost): Handlers<MethodsOf<'library'>> {
  return {
    'library/open': async ({ root, moved }) => host.openLibrary(root, moved),
    'library/current': async () => host.currentLibrary(),
    'library/stats': async () => host.library().catalog.stats(),
    'library/failures': async ({ limit }) => host.library().catalog.failures(limit),
    'library/scan': async (params) => host.startScan(params),
  };
}
