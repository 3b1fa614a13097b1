/**
 * @module app/ha/storage-health
 * Whether the shared database answers, as the replica last saw it (PostgreSQL fails open: while it is
 * down, reads and owned groups' notifications go on from memory, writes answer 503). Every round trip
 * reports its outcome; the transitions are logged once each and listeners run when it is back.
 */
import type { Logger } from '../../types/logger';

export class StorageHealth {
  #up = true;
  #since = 0;
  readonly #onUp = new Set<() => void>();

  constructor(private readonly logger: Logger) {}

  get up(): boolean {
    return this.#up;
  }

  failed(err: unknown): void {
    if (!this.#up) return;
    this.#up = false;
    this.#since = Date.now();
    this.logger.error(
      { err: err instanceof Error ? err.message : String(err) },
      'PostgreSQL is unreachable: serving reads and owned groups from memory, writes answer 503 until it is back',
    );
  }

  ok(): void {
    if (this.#up) return;
    this.#up = true;
    this.logger.info({ downFor: `${Math.round((Date.now() - this.#since) / 1000)}s` }, 'PostgreSQL is reachable again: resuming shared state');
    for (const l of this.#onUp) {
      try {
        l();
      } catch (err) {
        this.logger.error({ err }, 'storage recovery step failed');
      }
    }
  }

  /** Runs `l` each time the database is back after being unreachable. */
  onRecover(l: () => void): void {
    this.#onUp.add(l);
  }

  /** Runs `p`, reporting its outcome. */
  async track<T>(p: Promise<T>): Promise<T> {
    try {
      const r = await p;
      this.ok();
      return r;
    } catch (e) {
      if (isConnectionError(e)) this.failed(e);
      throw e;
    }
  }
}

/** Errors that mean "no database" rather than "this statement is wrong" (SQL errors carry a SQLSTATE code). */
export function isConnectionError(e: unknown): boolean {
  const code = (e as { code?: unknown } | undefined)?.code;
  if (typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code)) {
    // class 08 connection exception, 57P01..03 admin shutdown / crash shutdown / cannot connect now
    return code.startsWith('08') || code.startsWith('57P');
  }
  return true;
}
