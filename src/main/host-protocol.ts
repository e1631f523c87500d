// Messages between Electron main and the engine host in the utility process.
import type { EngineEvent } from '../shared/contract.ts';

export interface HostMessage {
  id: number;
  method: string;
  params: unknown;
}

export type HostReply =
  | { type: 'reply'; id: number; ok: true; result: unknown }
  | { type: 'reply'; id: number; ok: false; error: { name: string; message: string } }
  | { type: 'event'; event: EngineEvent };
