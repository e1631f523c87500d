// The catalog's scan lock: which process scans this catalog now, taken and released in write transactions.
import type { Db } from './database.ts';

export interface ScanLockHolder {
  pid: number;
  host: string;
  startedAt: string;
}

export class ScanLockRepository {
  private readonly statements;

  constructor(private readonly db: Db) {
    this.statements = {
      holder: db.prepare<[], ScanLockHolder>('SELECT pid, host, started_at AS startedAt FROM scan_lock WHERE id = 1'),
      take: db.prepare('INSERT OR REPLACE INTO scan_lock (id, pid, host, token) VALUES (1, ?, ?, ?)'),
      release: db.prepare('DELETE FROM scan_lock WHERE id = 1 AND token = ?'),
    };
  }

  /**
   * Takes the lock for `token` unless a holder is there and `stillHolds(holder)` says so; returns
   * that holder when refused. BEGIN IMMEDIATE makes the check and the take one step for every
   * process: of two scans starting at once, one waits for the other's decision.
   */
  take(me: { pid: number; host: string; token: string }, stillHolds: (holder: ScanLockHolder) => boolean): ScanLockHolder | undefined {
    return this.db
      .transaction(() => {
        const holder = this.statements.holder.get();
        if (holder && stillHolds(holder)) return holder;
        this.statements.take.run(me.pid, me.host, me.token);
        return undefined;
      })
      .immediate();
  }

  release(token: string): void {
    this.statements.release.run(token);
  }
}
