// Messages between Electron main and the engine host in the utility process.
import type { EngineEvent } from '../shared/contract.ts';
import type { MediaRequest } from '../shared/media.ts';

export type HostMessage = { type: 'call'; id: number; method: string; params: unknown } | { type: 'media'; id: number; request: MediaRequest };

export type HostReply =
  | { type: 'reply'; id: number; ok: true; result: unknown }
  | { type: 'reply'; id: number; ok: false; error: { name: string; message: string } }
  | { type: 'event'; event: EngineEvent };
