// The sender check every IPC call passes before its payload is parsed against the contract (parseCall).

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
