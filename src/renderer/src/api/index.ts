// Picks the transport once for the whole app: the Electron bridge when the preload put it there, HTTP otherwise.
import { electronTransport } from './electron-transport.ts';
import { httpTransport, takeToken } from './http-transport.ts';
import type { FacetTransport } from './transport.ts';

export type { AppEvent, ConnectionState, FacetTransport } from './transport.ts';
export { isNoLibraryError } from './api-error.ts';

export const api: FacetTransport = window.facet ? electronTransport(window.facet) : httpTransport(takeToken());
