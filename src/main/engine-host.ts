// Runs the engine in Electron's utility process so long scans never block the window.
import { Engine } from '../engine/engine.ts';
import { useBundledWorkers } from '../engine/worker-threads.ts';
import type { HostMessage, HostReply } from './host-protocol.ts';

useBundledWorkers(import.meta.dirname);
const port = process.parentPort;
const engine = new Engine({ dataDir: process.env.FACET_DATA_DIR });

engine.onEvent((event) => port.postMessage({ type: 'event', event } satisfies HostReply));

port.on('message', async ({ data }: { data: HostMessage }) => {
  try {
    const result = data.type === 'call' ? await engine.call(data.method, data.params) : await engine.media(data.request);
    port.postMessage({ type: 'reply', id: data.id, ok: true, result } satisfies HostReply);
  } catch (error) {
    const e = error as Error;
    port.postMessage({ type: 'reply', id: data.id, ok: false, error: { name: e.name, message: e.message } } satisfies HostReply);
  }
});
