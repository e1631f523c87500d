// The one gate every IPC call passes: the sender must be our own renderer, the payload must fit the contract.
import { isMethod, parseRequest, ContractError, type Method } from '../shared/contract.ts';


/** True when `frameUrl` is a page this app loaded itself: the built renderer file or the dev server. */
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
  if (frame.protocol === 'file:') return renderer.protocol === 'file:' && frame.pathname === renderer.pathname;
  return frame.origin === renderer.origin;
}

/** Validates an IPC call; throws ContractError (sent back to the renderer) when it does not fit. */
export function checkCall(method: unknown, params: unknown): { method: Method; params: unknown } {
  if (!isMethod(method)) throw new ContractError(`unknown method ${JSON.stringify(method)}`, 'method');
  return { method, params: parseRequest(method, params) };
}
