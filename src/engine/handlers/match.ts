// match/*: who is in a photo that need not be in the library.
import type { Handlers, HandlerHost, MethodsOf } from './host.ts';

export function matchHandlers(host: HandlerHost): Handlers<MethodsOf<'match'>> {
  return {
    'match/photo': async ({ image, runId, nprobe, top }) => host.matchPhoto(Buffer.from(image, 'base64'), runId, nprobe, top),
  };
}
