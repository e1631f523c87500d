// The renderer's only door to the app: named contract calls and an event subscription, nothing else.
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { CALL_CHANNEL, CHOOSE_FOLDER_CHANNEL, EVENT_CHANNEL } from '../shared/channels.ts';
import type { EngineEvent, Method, Request, Responses } from '../shared/contract.ts';


const api = {
  call<M extends Method>(method: M, params?: Request<M>): Promise<Responses[M]> {
    return ipcRenderer.invoke(CALL_CHANNEL, method, params ?? {});
  },
  onEvent(listener: (event: EngineEvent) => void): () => void {
    const wrapped = (_e: IpcRendererEvent, event: EngineEvent) => listener(event);
    ipcRenderer.on(EVENT_CHANNEL, wrapped);
    return () => ipcRenderer.off(EVENT_CHANNEL, wrapped);
  },
  /** The native folder picker; resolves to null when the user cancels. */
  chooseFolder(): Promise<string | null> {
    return ipcRenderer.invoke(CHOOSE_FOLDER_CHANNEL);
  },
};

export type FacetApi = typeof api;
contextBridge.exposeInMainWorld('facet', api);
