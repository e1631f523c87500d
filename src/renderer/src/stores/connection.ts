// Whether engine events reach the page; the frame shows a banner while they do not.
import { ref } from 'vue';
import { api, type ConnectionState } from '../api/index.ts';

export const connection = ref<ConnectionState>('connecting');

const resyncListeners = new Set<() => void>();

/** Called after events were lost and come back, so stores can fetch what they missed. */
export function onReconnect(listener: () => void): () => void {
  resyncListeners.add(listener);
  return () => resyncListeners.delete(listener);
}

let wasDown = false;
api.onConnection((state) => {
  connection.value = state;
  if (state === 'reconnecting' || state === 'lost') wasDown = true;
  if (state === 'connected' && wasDown) {
    wasDown = false;
    for (const listener of resyncListeners) listener();
  }
});
