// The transport in an ordinary browser, over `facet serve`: POST /api/call, server-sent events, /media/ URLs.
import type { Method, Request, Responses } from '../../../shared/contract.ts';
import { TOKEN_HEADER } from '../../../shared/security.ts';
import { ApiError } from './api-error.ts';
import type { AppEvent, ConnectionState, FacetTransport } from './transport.ts';

const TOKEN_KEY = 'facet.token';

/**
 * The per-launch token: taken from `?token=` once, then removed from the address bar (so it is not
 * left in history or screenshots) and kept in sessionStorage so a reload of the tab still works.
 */
export function takeToken(): string | null {
  const url = new URL(window.location.href);
  const fromUrl = url.searchParams.get('token');
  if (fromUrl) {
    try {
      sessionStorage.setItem(TOKEN_KEY, fromUrl);
    } catch {
      // Storage can be disabled; the token still lives in memory for this page.
    }
    url.searchParams.delete('token');
    window.history.replaceState(window.history.state, '', `${url.pathname}${url.search}${url.hash}`);
    return fromUrl;
  }
  try {
    return sessionStorage.getItem(TOKEN_KEY);
  } catch {
    return null;
  }
}

const NO_TOKEN = 'this page has no session token: open the address that `facet serve` printed (it ends in ?token=…)';

export function httpTransport(token: string | null, base = ''): FacetTransport {
  const eventListeners = new Set<(event: AppEvent) => void>();
  const connectionListeners = new Set<(state: ConnectionState) => void>();
  let connection: ConnectionState = 'connecting';
  let source: EventSource | undefined;

  const setConnection = (state: ConnectionState) => {
    if (state === connection) return;
    connection = state;
    for (const listener of connectionListeners) listener(state);
  };

  const withToken = (path: string) => `${base}${path}?token=${encodeURIComponent(token ?? '')}`;

  /** One EventSource for the page, opened with the first subscriber; it reconnects by itself. */
  const openEvents = () => {
    if (source || !token) {
      if (!token) setConnection('lost');
      return;
    }
    source = new EventSource(withToken('/api/events'));
    source.onopen = () => setConnection('connected');
    source.onerror = () => setConnection(source?.readyState === EventSource.CLOSED ? 'lost' : 'reconnecting');
    source.onmessage = (message: MessageEvent<string>) => {
      let event: AppEvent;
      try {
        event = JSON.parse(message.data) as AppEvent;
      } catch {
        return; // Not an event of ours (a comment or keep-alive): nothing to do.
      }
      for (const listener of eventListeners) listener(event);
    };
  };

  return {
    kind: 'browser',
    async call<M extends Method>(method: M, params?: Request<M>): Promise<Responses[M]> {
      if (!token) throw new ApiError(NO_TOKEN, 'Unauthorized', undefined, 401);
      let response: Response;
      try {
        response = await fetch(`${base}/api/call`, {
          method: 'POST',
          // Ahead of the face crops queued for the same few connections: a click must not wait behind a screenful of images.
          priority: 'high',
          headers: { 'Content-Type': 'application/json', [TOKEN_HEADER]: token },
          body: JSON.stringify({ method, params: params ?? {} }),
        });
      } catch {
        throw new ApiError('the Facet server does not answer: is `facet serve` still running?', 'NetworkError');
      }
      let body: { ok?: boolean; result?: unknown; error?: { name?: string; message?: string; field?: string } } | undefined;
      try {
        body = await response.json();
      } catch {
        body = undefined;
      }
      if (response.ok && body?.ok) return body.result as Responses[M];
      if (response.status === 401)
        throw new ApiError(
          `the server refused this page's token: ${NO_TOKEN.replace(/^this page has no session token: /, '')}`,
          'Unauthorized',
          undefined,
          401,
        );
      const error = body?.error;
      // No reason in the reply (a proxy, a crash mid-answer): only the status is left to report.
      if (!error?.message) throw new ApiError(`${method}: HTTP ${response.status} without a reason`, 'ServerError', undefined, response.status);
      throw new ApiError(error.message, error.name ?? 'Error', error.field, response.status);
    },
    onEvent(listener) {
      eventListeners.add(listener);
      openEvents();
      return () => eventListeners.delete(listener);
    },
    onConnection(listener) {
      connectionListeners.add(listener);
      listener(connection);
      return () => connectionListeners.delete(listener);
    },
    faceUrl: (faceId) => withToken(`/media/face/${faceId}`),
    photoUrl: (photoId) => withToken(`/media/photo/${photoId}`),
  };
}
