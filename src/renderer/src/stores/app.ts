// Starts the stores once: subscribes to engine events and asks the engine what is already going on.
import { api } from '../api/index.ts';
import { onReconnect } from './connection.ts';
import { handleLibraryEvent, loadLibrary } from './library.ts';
import { attachToRunningScan, handleScanEvent } from './scan.ts';

let started = false;

export async function startStores(): Promise<void> {
  if (started) return;
  started = true;
  api.onEvent((event) => {
    handleLibraryEvent(event);
    handleScanEvent(event);
  });
  onReconnect(() => void Promise.all([loadLibrary(), attachToRunningScan()]));
  await loadLibrary();
  await attachToRunningScan();
}
