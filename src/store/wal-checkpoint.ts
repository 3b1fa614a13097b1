/**
 * @module store/wal-checkpoint
 * WAL checkpoints of tocsin.db off the event loop. SQLite's automatic checkpoint runs in the commit that takes
 * the WAL past 1000 pages: it copies the pages into the database file and fsyncs it (6-45 ms measured, roughly
 * every 250 silence commits), on the event loop when the main connection made that commit. Here the main
 * connection's automatic checkpoint is off; the writer thread's connection keeps its own (its commits
 * checkpoint on the thread), and a timer asks the thread for a PASSIVE checkpoint (it never waits for a lock;
 * the main connection's writes go on meanwhile) when the WAL file was written since the last one and is past
 * `maxBytes` (SQLite writes the WAL over from its start after a complete checkpoint, without shrinking the file:
 * once past, every check that finds new writes checkpoints them, at most one per `intervalMs`).
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
  /** the WAL file's modification time at the last checkpoint */
  #checkpointedAt = -1;

  /** Turns the main connection's automatic checkpoint off (start() checks the WAL from then on). */
  constructor(db: DB, writer: SqliteWriterThread, o: WalCheckpointOptions) {
    this.#db = db;
    this.#writer = writer;
    this.#o = { intervalMs: 5_000, maxBytes: 4 * 1024 * 1024, ...o };
    db.pragma('wal_autocheckpoint = 0');
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
    let mtime: number;
    try {
      ({ size, mtimeMs: mtime } = statSync(`${this.#db.name}-wal`));
    } catch {
      return Promise.resolve(false); // no WAL file (yet)
    }
    if (size < this.#o.maxBytes || mtime === this.#checkpointedAt) return Promise.resolve(false);
    this.#checkpointedAt = mtime;
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
