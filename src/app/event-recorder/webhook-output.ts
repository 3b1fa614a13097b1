/**
 * @module app/event-recorder/webhook-output
 * `webhook_outputs` (upstream eventrecorder/webhook.go): each event POSTed as a JSON body to the configured URL
 * (and only there), or with `batch: true` as JSON arrays of up to batch_max_events / batch_max_bytes, sent at
 * the latest batch_flush_interval after their first event. A bounded pool of `workers` delivers; each request is
 * tried max_retries times with exponential backoff (retry_backoff * 2^attempt, at most 30 s); a full queue
 * (1024 requests) drops the event with a warning.
 */
import type { WebhookOutputConfig } from '../../config/event-recorder';
import { HttpSender } from '../../notifiers/shared/http-sender';
import type { Logger } from '../../types/logger';
import type { Destination } from './destination';

const DEFAULTS = { timeout: 10_000, workers: 4, maxRetries: 3, retryBackoff: 500, maxBackoff: 30_000, batchMaxEvents: 100, batchMaxBytes: 1 << 20, batchFlushInterval: 100 };
const QUEUE_SIZE = 1024;
/** how long close() waits for queued requests before abandoning their retries (upstream: 30 s) */
const DRAIN_MS = 30_000;

/** scheme://host/path: no credentials, query or fragment (for logs and the output's name). */
export function sanitizeUrl(raw: string): string {
  try {
    const u = new URL(raw);
    return `${u.protocol}//${u.host}${u.pathname}`;
  } catch {
    return '<invalid>';
  }
}

interface BatchLimits {
  maxEvents: number;
  maxBytes: number;
  flushInterval: number;
}

const orDefault = (v: number | undefined, d: number): number => (v !== undefined && v > 0 ? v : d);

export class WebhookOutput implements Destination {
  readonly name: string;
  readonly #url: string;
  readonly #sender: HttpSender;
  readonly #logger: Logger;
  readonly #timeout: number;
  readonly #workers: number;
  readonly #maxRetries: number;
  readonly #retryBackoff: number;
  readonly #batch: BatchLimits | undefined;
  /** request bodies waiting for a worker */
  readonly #queue: string[] = [];
  #busy = 0;
  #pending: string[] = [];
  #pendingBytes = 2;
  #timer: ReturnType<typeof setTimeout> | undefined;
  readonly #abort = new AbortController();
  #idle: (() => void) | undefined;
  #dropped = 0;

  constructor(cfg: WebhookOutputConfig, userAgent: string, logger: Logger) {
    this.#url = cfg.url!.reveal();
    this.name = `webhook:${sanitizeUrl(this.#url)}`;
    this.#sender = new HttpSender({ httpConfig: cfg.http_config, userAgent });
    this.#logger = logger;
    this.#timeout = orDefault(cfg.timeout, DEFAULTS.timeout);
    this.#workers = orDefault(cfg.workers, DEFAULTS.workers);
    this.#maxRetries = orDefault(cfg.max_retries, DEFAULTS.maxRetries);
    this.#retryBackoff = orDefault(cfg.retry_backoff, DEFAULTS.retryBackoff);
    this.#batch = cfg.batch
      ? {
          maxEvents: orDefault(cfg.batch_max_events, DEFAULTS.batchMaxEvents),
          maxBytes: orDefault(cfg.batch_max_bytes, DEFAULTS.batchMaxBytes),
          flushInterval: orDefault(cfg.batch_flush_interval, DEFAULTS.batchFlushInterval),
        }
      : undefined;
  }

  /** requests dropped because the queue was full */
  get dropped(): number {
    return this.#dropped;
  }

  send(lines: readonly string[]): void {
    for (const line of lines) {
      if (this.#batch) this.#add(line, this.#batch);
      else this.#enqueue(line);
    }
  }

  #add(line: string, b: BatchLimits): void {
    const extra = line.length + (this.#pending.length > 0 ? 1 : 0);
    if (this.#pending.length > 0 && (this.#pending.length >= b.maxEvents || this.#pendingBytes + extra > b.maxBytes)) this.#flushBatch();
    this.#pendingBytes += line.length + (this.#pending.length > 0 ? 1 : 0);
    this.#pending.push(line);
    if (this.#pending.length === 1) {
      this.#timer = setTimeout(() => this.#flushBatch(), b.flushInterval);
      this.#timer.unref?.();
    }
    if (this.#pending.length >= b.maxEvents || this.#pendingBytes >= b.maxBytes) this.#flushBatch();
  }

  #flushBatch(): void {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
    if (this.#pending.length === 0) return;
    const body = `[${this.#pending.join(',')}]`;
    this.#pending = [];
    this.#pendingBytes = 2;
    this.#enqueue(body);
  }

  #enqueue(body: string): void {
    if (this.#queue.length >= QUEUE_SIZE) {
      this.#dropped++;
      this.#logger.warn({ output: this.name }, 'Event recorder HTTP output queue full, dropping event');
      return;
    }
    this.#queue.push(body);
    this.#pump();
  }

  #pump(): void {
    while (this.#busy < this.#workers && this.#queue.length > 0) {
      const body = this.#queue.shift()!;
      this.#busy++;
      void this.#postWithRetry(body).finally(() => {
        this.#busy--;
        this.#pump();
        if (this.#busy === 0 && this.#queue.length === 0) this.#idle?.();
      });
    }
  }

  async #postWithRetry(body: string): Promise<void> {
    for (let attempt = 0; attempt < this.#maxRetries; attempt++) {
      try {
        await this.#sender.post(this.#url, body, { ctx: { signal: this.#abort.signal }, timeout: this.#timeout, timeoutLabel: 'event recorder webhook', headers: { 'content-type': 'application/json' } });
        return;
      } catch (err) {
        if (this.#abort.signal.aborted) return;
        this.#logger.warn({ output: this.name, attempt: attempt + 1, err: (err as Error).message }, 'Event recorder HTTP output POST failed');
        if (attempt < this.#maxRetries - 1) {
          const backoff = Math.min(this.#retryBackoff * 2 ** attempt, DEFAULTS.maxBackoff);
          const stopped = await new Promise<boolean>((resolve) => {
            const t = setTimeout(() => resolve(false), backoff);
            this.#abort.signal.addEventListener('abort', () => {
              clearTimeout(t);
              resolve(true);
            }, { once: true });
          });
          if (stopped) return;
        }
      }
    }
    this.#logger.error({ output: this.name, retries: this.#maxRetries }, 'Event recorder HTTP output POST failed after retries, dropping event');
  }

  async close(): Promise<void> {
    this.#flushBatch();
    if (this.#busy > 0 || this.#queue.length > 0) {
      await new Promise<void>((resolve) => {
        this.#idle = resolve;
        const t = setTimeout(resolve, DRAIN_MS);
        t.unref?.();
      });
    }
    this.#abort.abort();
    this.#queue.length = 0;
    await this.#sender.close();
  }
}
