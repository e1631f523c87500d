// Facet's log file in the data folder (<data>/logs/facet.log): engine starts and exits, failed jobs, media errors; rotated by size, never a secret.
import { appendFileSync, mkdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** A log a person can open and send: about 1 MB a file, three files at most (facet.log, facet.log.1, facet.log.2). */
export const LOG_MAX_BYTES = 1024 * 1024;
export const LOG_FILES_KEPT = 3;

export function logFileIn(dataDir: string): string {
  return join(dataDir, 'logs', 'facet.log');
}

export type LogLevel = 'info' | 'error';

/**
 * Appends one line per event, synchronously (an exit or crash right after still leaves it written).
 * Callers pass what happened and why; nothing here knows the server's token, and nothing should pass it.
 */
export class Log {
  constructor(
    readonly file: string,
    private readonly maxBytes = LOG_MAX_BYTES,
    private readonly kept = LOG_FILES_KEPT,
  ) {}

  info(message: string): void {
    this.write('info', message);
  }

  error(message: string): void {
    this.write('error', message);
  }

  private write(level: LogLevel, message: string): void {
    const line = `${new Date().toISOString()} ${level} ${message.replace(/[\r\n]+/g, ' ')}\n`;
    try {
      mkdirSync(dirname(this.file), { recursive: true });
      if (this.size() + Buffer.byteLength(line) > this.maxBytes) this.rotate();
      appendFileSync(this.file, line, { mode: 0o600 });
    } catch {
      // A full disk or a read-only data folder must not stop a scan or a page: the log is only a record.
    }
  }

  private size(): number {
    try {
      return statSync(this.file).size;
    } catch {
      return 0;
    }
  }

  /** facet.log → facet.log.1 → … → facet.log.<kept-1>; the oldest is dropped. */
  private rotate(): void {
    rmSync(`${this.file}.${this.kept - 1}`, { force: true });
    for (let i = this.kept - 2; i >= 1; i--) {
      try {
        renameSync(`${this.file}.${i}`, `${this.file}.${i + 1}`);
      } catch {
        // That generation does not exist yet (a young log).
      }
    }
    renameSync(this.file, `${this.file}.1`);
  }
}
