// The renderer's only door to the app: named contract calls and an event subscription, nothing else.
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { CALL_CHANNEL, CHOOSE_FOLDER_CHANNEL, EVENT_CHANNEL, type FacetApi } from '../shared/channels.ts';
import type { EngineEvent, Method, Request, Responses } from '../shared/contract.ts';

const api: FacetApi = {
  call<M extends Method>(method: M, params?: Request<M>): Promise<Responses[M]> {
    return ipcRenderer.invoke(CALL_CHANNEL, method, params ?? {});
  },
  onEvent(listener: (event: EngineEvent) => void): () => void {
    const wrapped = (_e: IpcRendererEvent, event: EngineEvent) => listener(event);
    ipcRenderer.on(EVENT_CHANNEL, wrapped);
    return () => ipcRenderer.off(EVENT_CHANNEL, wrapped);
  },
  chooseFolder(): Promise<string | null> {
    return ipcRenderer.invoke(CHOOSE_FOLDER_CHANNEL);
  },
};

contextBridge.exposeInMainWorld('facet', api);
