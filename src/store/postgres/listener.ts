/**
 * @module store/postgres/listener
 * LISTEN on one channel over a dedicated connection (a pooled connection cannot hold a LISTEN), with
 * reconnect: when the connection drops (database restart, network cut, pg_terminate_backend) or a heartbeat
 * query fails, it reconnects with capped exponential backoff. Notifications sent while it was disconnected
 * are lost (PostgreSQL does not queue them for a listener that is gone), so after every REconnect it calls
 * onResync: the consumer re-reads its state. Use: start() (resolves once listening, or once the first
 * attempt failed: the listener keeps retrying in the background), then load the state, so that nothing
 * written between the load and the LISTEN is missed.
 */
import pg from 'pg';
import type { Logger } from '../../types/logger';

export interface ListenerOptions {
  client: pg.ClientConfig;
  channel: string;
  onNotify: (payload: string | undefined) => void;
  /** called after each reconnect (not after the first connect) */
  onResync: () => void;
  logger?: Logger;
  /** first reconnect delay, ms (default 100); doubles up to reconnectMax */
  reconnectMin?: number;
  /** default 5000 ms */
  reconnectMax?: number;
  /** ms between heartbeat queries that detect a silently dead connection (default 5000; 0 = none) */
  heartbeat?: number;
}

export class PgListener {
  readonly #o: ListenerOptions;
  #client: pg.Client | undefined;
  #stopped = false;
  #connectedOnce = false;
  #delay: number;
  #retryTimer: NodeJS.Timeout | undefined;
  #heartbeatTimer: NodeJS.Timeout | undefined;
  /** how many times the connection was (re)established */
  connects = 0;

  constructor(o: ListenerOptions) {
    this.#o = o;
    this.#delay = o.reconnectMin ?? 100;
    if (!/^[a-z_][a-z0-9_]*$/.test(o.channel)) throw new Error(`invalid channel name ${JSON.stringify(o.channel)}`);
  }

  get connected(): boolean {
    return this.#client !== undefined;
  }

  /** Connects and listens; resolves true once listening, false if the first attempt failed (it retries). */
  async start(): Promise<boolean> {
    return this.#connect();
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    clearTimeout(this.#retryTimer);
    clearInterval(this.#heartbeatTimer);
    const c = this.#client;
    this.#client = undefined;
    await c?.end().catch(() => undefined);
  }

  async #connect(): Promise<boolean> {
    if (this.#stopped) return false;
    const c = new pg.Client(this.#o.client);
    // registered before connect(): an error event without a listener would crash the process
    c.on('error', (err) => this.#lost(c, err));
    c.on('end', () => this.#lost(c, new Error('connection ended')));
    c.on('notification', (n) => {
      if (n.channel === this.#o.channel) this.#o.onNotify(n.payload);
    });
    try {
      await c.connect();
      await c.query(`LISTEN ${this.#o.channel}`);
    } catch (err) {
      c.removeAllListeners('end');
      c.on('end', () => undefined);
      await c.end().catch(() => undefined);
      this.#o.logger?.warn({ err: (err as Error).message, channel: this.#o.channel }, 'PostgreSQL LISTEN failed; retrying');
      this.#scheduleRetry();
      return false;
    }
    if (this.#stopped) {
      await c.end().catch(() => undefined);
      return false;
    }
    this.#client = c;
    this.connects++;
    this.#delay = this.#o.reconnectMin ?? 100;
    this.#startHeartbeat(c);
    if (this.#connectedOnce) {
      this.#o.logger?.info({ channel: this.#o.channel }, 'PostgreSQL LISTEN connection re-established');
      this.#o.onResync();
    }
    this.#connectedOnce = true;
    return true;
  }

  #startHeartbeat(c: pg.Client): void {
    clearInterval(this.#heartbeatTimer);
    const every = this.#o.heartbeat ?? 5000;
    if (every <= 0) return;
    this.#heartbeatTimer = setInterval(() => {
      c.query('SELECT 1').catch((err: Error) => this.#lost(c, err));
    }, every);
    this.#heartbeatTimer.unref();
  }

  /** The connection `c` is gone: drop it (once) and reconnect. */
  #lost(c: pg.Client, err: Error): void {
    if (this.#client !== c) return;
    this.#client = undefined;
    clearInterval(this.#heartbeatTimer);
    c.removeAllListeners('end');
    c.on('end', () => undefined);
    c.end().catch(() => undefined);
    if (this.#stopped) return;
    this.#o.logger?.warn({ err: err.message, channel: this.#o.channel }, 'PostgreSQL LISTEN connection lost; reconnecting');
    this.#scheduleRetry();
  }

  #scheduleRetry(): void {
    if (this.#stopped) return;
    const delay = this.#delay;
    this.#delay = Math.min(delay * 2, this.#o.reconnectMax ?? 5000);
    this.#retryTimer = setTimeout(() => void this.#connect(), delay);
    this.#retryTimer.unref();
  }
}
