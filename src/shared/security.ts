// The renderer's Content-Security-Policy, the same in the Electron window and in `facet serve`, and the header `facet serve` reads its token from.

/** The per-launch token of `facet serve`, on every contract call (HTTP header names are case-insensitive; Node gives them in lower case). */
export const TOKEN_HEADER = 'x-facet-token';

/** No inline or eval'd script; styles may be inline (Vue's style bindings); images from the app itself. */
export function contentSecurityPolicy(extraImageSources: string[] = []): string {
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    ["img-src 'self' data: blob:", ...extraImageSources].join(' '),
    "connect-src 'self'",
    "font-src 'self'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}
