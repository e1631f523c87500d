// The transport inside Electron: the preload's window.facet bridge and the facet-media: protocol.
import type { FacetApi } from '../../../shared/channels.ts';
import type { Method, Request, Responses } from '../../../shared/contract.ts';
import { MEDIA_SCHEME } from '../../../shared/media.ts';
import { fromIpcError } from './api-error.ts';
import type { AppEvent, ConnectionState, FacetTransport } from './transport.ts';

export function electronTransport(bridge: FacetApi): FacetTransport {
  return {
    kind: 'desktop',
    async call<M extends Method>(method: M, params?: Request<M>): Promise<Responses[M]> {
      try {
        return await bridge.call(method, params);
      } catch (error) {
        throw fromIpcError(error);
      }
    },
    onEvent(listener: (event: AppEvent) => void) {
      return bridge.onEvent(listener);
    },
    onConnection(listener: (state: ConnectionState) => void) {
      // IPC is always there while the window is; an engine restart arrives as an 'engine/crashed' event.
      listener('connected');
      return () => undefined;
    },
    faceUrl: (faceId) => `${MEDIA_SCHEME}://face/${faceId}`,
    photoUrl: (photoId) => `${MEDIA_SCHEME}://photo/${photoId}`,
    chooseFolder: () => bridge.chooseFolder(),
  };
}
