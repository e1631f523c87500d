// Progress reporting and cooperative cancellation for long core computations (the engine runs them off-thread).

export interface ProgressOptions {
  /** Called after each iteration with the number done and the number planned. */
  onProgress?: (iteration: number, total: number) => void;
  /** Polled before each iteration; returning true abandons the work with a CancelledError. */
  shouldStop?: () => boolean;
}

export class CancelledError extends Error {
  constructor(what: string) {
    super(`${what} was cancelled`);
    this.name = 'CancelledError';
  }
}
