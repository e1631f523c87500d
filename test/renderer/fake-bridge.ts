// A stand-in for the preload's window.facet in the renderer's store tests: the real Electron transport and stores run on
// it; the test answers each contract call (recorded in order) and sends the engine's events.
import { vi } from 'vitest';
// Vue's DOM runtime looks for a document once, as it loads: loaded here, before the stand-in document below exists.
import 'vue';
import type { FacetApi } from '../../src/shared/channels.ts';
import type { EngineEvent, Method, Request, Responses } from '../../src/shared/contract.ts';

type Answer<M extends Method> = (params: Request<M>) => Responses[M] | Promise<Responses[M]>;

export class FakeBridge implements FacetApi {
  readonly calls: { method: Method; params: unknown }[] = [];
  private readonly answers = new Map<Method, Answer<Method>>();
  private readonly listeners = new Set<(event: EngineEvent) => void>();

  answer<M extends Method>(method: M, answer: Answer<M>): void {
    this.answers.set(method, answer as unknown as Answer<Method>);
  }

  async call<M extends Method>(method: M, params?: Request<M>): Promise<Responses[M]> {
    this.calls.push({ method, params });
    const answer = this.answers.get(method) as unknown as Answer<M> | undefined;
    // Worded as Electron words an error thrown in main, which the transport takes apart.
    if (!answer) throw new Error(`Error invoking remote method 'facet:call': EngineError: the test gave no answer to ${method}`);
    return answer(params as Request<M>);
  }

  /** The calls of one method, their parameters in order. */
  paramsOf<M extends Method>(method: M): Request<M>[] {
    return this.calls.filter((c) => c.method === method).map((c) => c.params as Request<M>);
  }

  onEvent(listener: (event: EngineEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  emit(event: EngineEvent): void {
    for (const listener of this.listeners) listener(event);
  }

  async chooseFolder(): Promise<string | null> {
    return null;
  }
}

/**
 * Puts a FakeBridge where the preload would, with the little of a page that the stores and vue-i18n read (the document's
 * language, the browser's languages), in English. Call it before importing the stores; vi.unstubAllGlobals() undoes it.
 */
export function installFakeBridge(): FakeBridge {
  const bridge = new FakeBridge();
  vi.stubGlobal('window', { facet: bridge });
  vi.stubGlobal('document', { documentElement: { lang: '' } });
  vi.stubGlobal('navigator', { language: 'en-US', languages: ['en-US'] });
  return bridge;
}

/** A promise the test settles when it chooses: a call still in flight. */
export function deferred<T>(): { promise: Promise<T>; resolve: (value: T) => void; reject: (error: unknown) => void } {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}
