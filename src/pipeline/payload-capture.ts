/**
 * @module pipeline/payload-capture
 * The rendered requests of one notification, for the persistent outbox (src/pipeline/outbox.ts): the outbox runs
 * the notifier inside a capture (AsyncLocalStorage, so no notifier signature changes) and every sender passes the
 * body it is about to send through `renderedPayload()`. On a first attempt the bodies are noted, in order; on a
 * retry or a replay the capture holds the stored bodies and `renderedPayload()` returns the stored one of the same
 * position instead, so the receiver gets the same bytes as the first attempt even if the templates changed
 * meanwhile. URL and credentials are not part of it: the notifier resolves them from the current config.
 */
import { AsyncLocalStorage } from 'node:async_hooks';

export interface PayloadCapture {
  /** the bodies sent, in order (filled during the attempt) */
  readonly bodies: string[];
  /** the stored bodies to send instead of the freshly rendered ones (a retry or replay) */
  readonly replay?: readonly string[];
}

const store = new AsyncLocalStorage<PayloadCapture>();

/** Runs `fn` with `capture` as the current notification's. */
export function capturePayloads<T>(capture: PayloadCapture, fn: () => Promise<T>): Promise<T> {
  return store.run(capture, fn);
}

/** Called by a sender with the body it will send; returns the body to send (the stored one on a replay). */
export function renderedPayload(body: string): string {
  const c = store.getStore();
  if (!c) return body;
  const stored = c.replay?.[c.bodies.length];
  const out = stored ?? body;
  c.bodies.push(out);
  return out;
}
