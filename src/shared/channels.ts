// The Electron bridge: the IPC channel names main and the preload share, and the API the preload exposes as window.facet.
import type { EngineEvent, Method, Request, Responses } from './contract.ts';

export const CALL_CHANNEL = 'facet:call';
export const EVENT_CHANNEL = 'facet:event';
/** Electron only: the native folder picker, which a browser has no equivalent of. */
export const CHOOSE_FOLDER_CHANNEL = 'facet:choose-folder';

/** window.facet: the preload implements it, the renderer reads it (without Electron's types). */
export interface FacetApi {
  call<M extends Method>(method: M, params?: Request<M>): Promise<Responses[M]>;
  /** Subscribes to engine events; returns the unsubscribe function. */
  onEvent(listener: (event: EngineEvent) => void): () => void;
  /** The native folder picker; resolves to null when the user cancels. */
  chooseFolder(): Promise<string | null>;
}
