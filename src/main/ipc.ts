// The IPC gate: every call passes the sender check, then the contract (parseCall), then, for library/open, the offered-roots check.
import { ipcMain, type IpcMainInvokeEvent } from 'electron';
import { CALL_CHANNEL, CHOOSE_FOLDER_CHANNEL } from '../shared/channels.ts';
import { parseCall, type Params } from '../shared/contract.ts';
import type { OfferedRoots } from './library-roots.ts';

/** True when `frameUrl` is a page this app loaded itself: the app:// renderer or the dev server. */
export function isTrustedSender(frameUrl: string | undefined, rendererUrl: string): boolean {
  if (!frameUrl) return false;
  let frame: URL;
  let renderer: URL;
  try {
    frame = new URL(frameUrl);
    renderer = new URL(rendererUrl);
  } catch {
    return false;
  }
  // Every local file shares file://'s empty host, so no file is trusted. Protocol and host are compared rather than
  // `origin`, which is "null" for every custom scheme alike.
  if (frame.protocol === 'file:') return false;
  return frame.protocol === renderer.protocol && frame.host === renderer.host;
}

export interface IpcDeps {
  rendererUrl: string;
  call(method: string, params: unknown): Promise<unknown>;
  chooseFolder(): Promise<string | null>;
  roots: Pick<OfferedRoots, 'addChosen' | 'addOpened' | 'check'>;
}

function assertTrusted(event: IpcMainInvokeEvent, rendererUrl: string): void {
  if (!isTrustedSender(event.senderFrame?.url, rendererUrl)) throw new Error('IPC call refused: unknown sender');
}

/** Registers the renderer's two channels; nothing reaches the engine without passing every check here. */
export function registerIpcHandlers(deps: IpcDeps): void {
  ipcMain.handle(CALL_CHANNEL, async (event, method: unknown, params: unknown) => {
    assertTrusted(event, deps.rendererUrl);
    const call = parseCall(method, params);
    if (call.method !== 'library/open') return deps.call(call.method, call.params);
    const { root } = call.params as Params<'library/open'>;
    const offered = deps.roots.check(root);
    if (!offered.ok) throw new Error(offered.reason);
    const info = await deps.call(call.method, call.params);
    deps.roots.addOpened(root);
    return info;
  });
  ipcMain.handle(CHOOSE_FOLDER_CHANNEL, async (event) => {
    assertTrusted(event, deps.rendererUrl);
    const root = await deps.chooseFolder();
    if (root) deps.roots.addChosen(root);
    return root;
  });
}
