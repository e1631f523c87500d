// Main's side of the engine host: starts it in a utility process, relays calls, restarts it if it dies (backing off, up to a limit).
import { utilityProcess, type UtilityProcess } from 'electron';
import type { EngineEvent } from '../shared/contract.ts';
import type { MediaResponse } from '../engine/media.ts';
import type { MediaRequest } from '../shared/media.ts';
import type { HostMessage, HostReply } from './host-protocol.ts';

type Pending = { resolve: (v: unknown) => void; reject: (e: Error) => void };
type DistributiveOmit<T, K extends keyof T> = T extends unknown ? Omit<T, K> : never;

/** A host that keeps dying (a bad model file, a catalog that crashes it) must not be restarted forever at full speed. */
export const RESTART_POLICY = { firstDelayMs: 500, maxRestarts: 5, windowMs: 2 * 60_000 };

/**
 * After a crash at `now`: the crashes still inside the window (this one included), and how long to wait before the
 * next start (doubling from firstDelayMs with each recent crash), or null to give up after maxRestarts in the window.
 */
export function planRestart(crashes: readonly number[], now: number, policy = RESTART_POLICY): { crashes: number[]; delayMs: number | null } {
  const recent = [...crashes.filter((t) => now - t < policy.windowMs), now];
  const delayMs = recent.length > policy.maxRestarts ? null : policy.firstDelayMs * 2 ** (recent.length - 1);
  return { crashes: recent, delayMs };
}

export class EngineClient {
  private host?: UtilityProcess;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private stopping = false;
  private crashes: number[] = [];
  private restartTimer?: ReturnType<typeof setTimeout>;
  /** Set once the host died too often: why it is not restarted, given to every call from then on. */
  private gaveUp?: string;

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
      this.host = undefined;
      const rejectPending = (why: string) => {
        for (const call of this.pending.values()) call.reject(new Error(why));
        this.pending.clear();
      };
      if (this.stopping) return rejectPending(`the engine stopped (exit code ${code})`);
      const plan = planRestart(this.crashes, Date.now());
      this.crashes = plan.crashes;
      if (plan.delayMs === null) {
        const minutes = RESTART_POLICY.windowMs / 60_000;
        this.gaveUp = `the engine stopped ${plan.crashes.length} times in ${minutes} minutes (last exit code ${code}) and was not restarted; restart Facet`;
        rejectPending(this.gaveUp);
        this.onEvent({ type: 'engine/crashed', code, gaveUp: true });
        return;
      }
      rejectPending(`the engine stopped (exit code ${code}); it is restarting`);
      this.onEvent({ type: 'engine/crashed', code });
      this.restartTimer = setTimeout(() => this.start(), plan.delayMs);
    });
    this.host = host;
  }

  private send(message: DistributiveOmit<HostMessage, 'id'>): Promise<unknown> {
    const host = this.host;
    if (!host) return Promise.reject(new Error(this.gaveUp ?? 'the engine is restarting; try again'));
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
    clearTimeout(this.restartTimer);
    this.host?.kill();
  }
}
