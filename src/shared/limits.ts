// Size limits of the contract that the renderer checks too, kept apart from contract.ts so the renderer can read them
// without bundling zod (whose compiled checks call eval, which the app's Content-Security-Policy refuses).

/**
 * The largest photo match/photo takes, decoded: 10 MB holds any camera's JPEG, and its base64 text (13.4 MB) stays
 * under the HTTP server's 16 MB body limit (MAX_BODY_BYTES).
 */
export const MATCH_IMAGE_MAX_BYTES = 10 * 1024 * 1024;
