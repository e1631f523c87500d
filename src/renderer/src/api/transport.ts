// The one interface every view talks through, whichever way the engine is reached (Electron IPC or HTTP).
import type { EngineEvent, Method, Request, Responses } from '../../../shared/contract.ts';

/** Whether engine events are flowing: 'connecting' at first, 'reconnecting' after a drop, 'lost' when given up. */
export type ConnectionState = 'connecting' | 'connected' | 'reconnecting' | 'lost';

/** An event from the engine (or, for 'engine/crashed', the Electron shell); stores ignore types they do not know. */
export type AppEvent = EngineEvent;

export interface FacetTransport {
  /** 'desktop' inside Electron (window.facet), 'browser' over `facet serve`. */
  readonly kind: 'desktop' | 'browser';
  /** A typed contract call; rejects with an ApiError carrying the engine's message. */
  call<M extends Method>(method: M, params?: Request<M>): Promise<Responses[M]>;
  /** Subscribes to engine events; returns the unsubscribe function. */
  onEvent(listener: (event: AppEvent) => void): () => void;
  /** Subscribes to the event connection's state (called at once with the current one). */
  onConnection(listener: (state: ConnectionState) => void): () => void;
  /** URL of one face's crop, by catalog id. */
  faceUrl(faceId: number): string;
  /** URL of one photo, by catalog id. */
  photoUrl(photoId: number): string;
  /** The native folder picker, where there is one (Electron); resolves null when the user cancels. */
  readonly chooseFolder?: () => Promise<string | null>;
}
