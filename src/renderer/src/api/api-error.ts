// The error every failed call rejects with: the engine's error name, its message and the offending field.

export class ApiError extends Error {
  constructor(
    message: string,
    override readonly name: string = 'Error',
    readonly field?: string,
    /** HTTP status over `facet serve`; undefined in Electron. */
    readonly status?: number,
  ) {
    super(message);
  }
}

/** The text to show a person for anything thrown. */
function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message || error.name;
  if (typeof error === 'string') return error;
  return 'something went wrong';
}

/** The engine refuses library calls before a folder is opened; that is a state, not a failure. */
export function isNoLibraryError(error: unknown): boolean {
  return error instanceof Error && error.name === 'NoLibraryError';
}

/**
 * Electron wraps errors thrown in the main process as
 * "Error invoking remote method 'facet:call': EngineError: <message>"; keep the engine's part.
 */
export function fromIpcError(error: unknown): ApiError {
  const raw = errorMessage(error);
  const stripped = raw.replace(/^Error invoking remote method '[^']*':\s*/, '');
  const named = /^([A-Za-z]*Error):\s*([\s\S]*)$/.exec(stripped);
  if (named) return new ApiError(named[2], named[1]);
  return new ApiError(stripped, error instanceof Error ? error.name : 'Error');
}
