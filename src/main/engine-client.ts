// Main's side of the engine host: starts it in a utility process, relays calls, restarts it if it dies.
import { utilityProcess, type UtilityProcess } from 'electron';
import type { EngineEvent } from '../shared/contract.ts';
import type { MediaResponse } from '../engine/media.ts';
import type { MediaRequest } from '../shared/media.ts';
import type { HostMessage, HostReply } from './host-protocol.ts';

type Pending = { resolve: (v: unknown) => void; reject: (e: Error) => void };
type DistributiveOmit<T, K extends keyof T> = T extends unknown ? Omit<T, K> : never;

export class EngineClient {
  private host?: UtilityProcess;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private stopping = false;

  constructor(
    private readonly hostScript: string,
    private readonly env: Record<string, string>,
    private readonly onEvent: (event: EngineEvent) => void,
  ) {}

  start(): void {
    const host = utilityProcess.fork(this.hostScript, [], { serviceName: 'Facet engine', env: { ...process.env, ...this.env } as Record<string, string> });
    host.on('message', (reply: HostReply) => {
      if (reply.type === 'event') return this.onEvent(reply.event);
      const call = this.pending.get(reply.id);
      this.pending.delete(reply.id);
      if (!call) return;
      if (reply.ok) call.resolve(reply.result);
      else call.reject(Object.assign(new Error(reply.error.message), { name: reply.error.name }));
    });
    host.on('exit', (code) => {
      for (const call of this.pending.values()) call.reject(new Error(`the engine stopped (exit code ${code}); it is restarting`));
      this.pending.clear();
      this.host = undefined;
      if (this.stopping) return;
      this.onEvent({ type: 'engine/crashed', code });
      this.start();
    });
    this.host = host;
  }

  private send(message: DistributiveOmit<HostMessage, 'id'>): Promise<unknown> {
    const host = this.host;
    if (!host) return Promise.reject(new Error('the engine is restarting; try again'));
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      host.postMessage({ ...message, id } as HostMessage);
    });
  }

  call(method: string, params: unknown): Promise<unknown> {
    return this.send({ type: 'call', method, params });
  }

  async media(request: MediaRequest): Promise<MediaResponse> {
    const response = (await this.send({ type: 'media', request })) as { contentType: string; body: Uint8Array };
    return { contentType: response.contentType, body: Buffer.from(response.body) };
  }

  stop(): void {
    this.stopping = true;
    this.host?.kill();
  }
}
