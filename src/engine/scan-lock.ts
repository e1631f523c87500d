// One scan per catalog at a time, across processes: the lock is taken before a scan starts and a stale one (its process gone) is taken over.
import { hostname } from 'node:os';
import type { Catalog } from './catalog/catalog.ts';
import type { ScanLockHolder } from './catalog/scan-lock.ts';
import { EngineError } from './errors.ts';

/** Whether process `pid` runs on this machine: signal 0 checks without sending anything; EPERM means it runs as another user. */
function processRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** A holder on another machine (a catalog on a shared drive) cannot be checked, so it is taken to hold the lock. */
export function holderIsAlive(holder: ScanLockHolder, host: string, running: (pid: number) => boolean): boolean {
  return holder.host !== host || running(holder.pid);
}

/** Takes the catalog's scan lock for job `token`, or throws naming the scan that holds it. */
export function takeScanLock(catalog: Catalog, token: string): void {
  const host = hostname();
  const holder = catalog.scanLock.take({ pid: process.pid, host, token }, (h) => holderIsAlive(h, host, processRunning));
  if (holder) {
    const where = holder.host === host ? `process ${holder.pid}` : `process ${holder.pid} on ${holder.host}`;
    throw new EngineError(
      `catalog ${catalog.file} is being scanned by ${where} since ${holder.startedAt}: wait for that scan to end (or stop it), then scan again`,
    );
  }
}
