/**
 * @module store/wal-checkpoint
 * WAL checkpoints of tocsin.db off the event loop. SQLite's automatic checkpoint runs in the commit that takes
 * the WAL past 1000 pages: it copies the pages into the database file and fsyncs it (6-45 ms measured, roughly
 * every 250 silence commits), on the event loop when the main connection made that commit. Here the main
 * connection's automatic checkpoint is off; the writer thread's connection keeps its own (its commits
 * checkpoint on the thread), and a timer asks the thread for a PASSIVE checkpoint (it never waits for a lock;
 * the main connection's writes go on meanwhile) once the main connection's writes have grown the WAL past
 * `maxBytes`. The main connection truncates the WAL when it starts it over (journal_size_limit = 0), so the
 * file's size tells how much was written since the last complete checkpoint.
 */
import { statSync } from 'node:fs';
import type { Clock, TimerHandle } from '../types/clock';
import type { Logger } from '../types/logger';
import type { DB } from './db';
import type { SqliteWriterThread } from './sqlite-writer-thread';

export interface WalCheckpointOptions {
  clock: Clock;
  logger: Logger;
  /** how often the WAL's size is looked at (default 5 s) */
  intervalMs?: number;
  /** the size past which a checkpoint runs (default 4 MiB: SQLite's 1000 pages of 4 KiB) */
  maxBytes?: number;
}

export class WalCheckpointer {
  readonly #db: DB;
  readonly #writer: SqliteWriterThread;
  readonly #o: Required<WalCheckpointOptions>;
  #timer: TimerHandle | undefined;
  #running: Promise<boolean> | undefined;

  /** Turns the main connection's automatic checkpoint off (start() checks the WAL from then on). */
  constructor(db: DB, writer: SqliteWriterThread, o: WalCheckpointOptions) {
    this.#db = db;
    this.#writer = writer;
    this.#o = { intervalMs: 5_000, maxBytes: 4 * 1024 * 1024, ...o };
    db.pragma('wal_autocheckpoint = 0');
    db.pragma('journal_size_limit = 0');
  }

  start(): void {
    this.#timer?.cancel();
    const tick = () => {
      void this.check();
      this.#timer = this.#o.clock.setTimer(this.#o.intervalMs, tick);
    };
    this.#timer = this.#o.clock.setTimer(this.#o.intervalMs, tick);
  }

  /** Stops the timer; resolves once a checkpoint under way has ended (before the thread closes). */
  async stop(): Promise<void> {
    this.#timer?.cancel();
    this.#timer = undefined;
    await this.#running;
  }

  /**
   * Checkpoints on the thread if the WAL is past `maxBytes` (one at a time); resolves true once a checkpoint ran.
   * A failure is logged (the next check tries again; SQLite's own checkpoint at close still runs).
   */
  check(): Promise<boolean> {
    if (this.#running) return this.#running;
    let size: number;
    try {
      size = statSync(`${this.#db.name}-wal`).size;
    } catch {
      return Promise.resolve(false); // no WAL file (yet)
    }
    if (size < this.#o.maxBytes) return Promise.resolve(false);
    this.#running = this.#writer.get('PRAGMA wal_checkpoint(PASSIVE)', []).then(
      () => true,
      (err: unknown) => {
        this.#o.logger.warn({ err, walBytes: size }, 'Checkpointing the WAL failed');
        return false;
      },
    );
    const done = this.#running;
    void done.then(() => {
      if (this.#running === done) this.#running = undefined;
    });
    return done;
  }
}
