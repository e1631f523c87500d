// identities/*: the people, each answered with every person and their cover face.
import type { Handlers, HandlerHost, MethodsOf } from './host.ts';

export function identityHandlers(host: HandlerHost): Handlers<MethodsOf<'identities'>> {
  const identities = () => host.library().catalog.identities;
  return {
    'identities/list': async () => host.identities(),
    'identities/create': async ({ name }) => ({ ...identities().create(name), coverFaceId: null }),
    'identities/rename': async ({ id, name }) => {
      identities().rename(id, name);
      return host.identities();
    },
    'identities/merge': async ({ from, into }) => {
      identities().merge(from, into);
      return host.identities();
    },
    'identities/delete': async ({ id }) => {
      identities().delete(id);
      return host.identities();
    },
  };
}
