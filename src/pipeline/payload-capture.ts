/**
 * @module pipeline/payload-capture
 * The rendered requests of one notification, for the persistent outbox (src/pipeline/outbox.ts): the outbox gives
 * the notifier a capture on its context (NotifyContext.payloads; passed explicitly, not through AsyncLocalStorage,
 * whose promise hooks cost every promise of the process on Node 20) and every sender passes the body it is about
 * to send through `renderedPayload()` with that capture, and the request's target (method and a hash of the URL
 * without its query: never the URL itself, which may hold a token). On a first attempt the requests are noted, in
 * order; on a retry or a replay the capture holds the stored ones and `renderedPayload()` returns the stored body of
 * the same position when its target is the same, so the receiver gets the same bytes as the first attempt even if
 * the templates changed meanwhile (a notifier whose requests depend on the receiver's answers, such as Jira's
 * search-then-create-or-update, gets a fresh rendering where the request differs). URL and credentials are not
 * part of it: the notifier resolves them from the current config.
 */

/** One request of a notification as the outbox keeps it. */
export interface StoredRequest {
  /** e.g. `POST 3f2a…` (method and a hash of the URL without its query) or `smtp` */
  readonly target: string;
  readonly body: string;
}

export interface PayloadCapture {
  /** the requests sent, in order (filled during the attempt) */
  readonly requests: StoredRequest[];
  /** the stored requests whose bodies are sent instead of fresh renderings (a retry or replay) */
  readonly replay?: readonly StoredRequest[];
}

/**
 * Called by a sender with the notification's capture (if any), the body it will send and its target (computed
 * only with a capture); returns the body to send (the stored one on a retry or replay).
 */
export function renderedPayload(c: PayloadCapture | undefined, body: string, target: () => string): string {
  if (!c) return body;
  const t = target();
  const stored = c.replay?.[c.requests.length];
  const out = stored && stored.target === t ? stored.body : body;
  c.requests.push({ target: t, body: out });
  return out;
}
