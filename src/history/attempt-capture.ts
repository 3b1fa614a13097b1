/**
 * @module history/attempt-capture
 * What one notification attempt sent and got back, for its history event: with history on, the retry stage gives
 * the notifier a capture on its context (NotifyContext.attempt), the shared HTTP sender notes the request body and
 * the response status in it, and the email notifier the SMTP server's reply. Without a capture nothing is noted.
 * (Passed explicitly, not through AsyncLocalStorage: on Node 20 that turns on promise hooks for every promise of
 * the process, about 5% of the main thread's CPU on a burst of flushes.)
 */

export interface AttemptCapture {
  /** the last HTTP status the attempt got */
  status?: number;
  /** the last SMTP reply the attempt got (email): code and text, e.g. 250 "2.0.0 Ok: queued as 4F2A" */
  smtp?: { code: number; text: string };
  /** the last request body it sent (cut to the capture's limit) */
  payload?: string;
  /** the body was longer than the limit */
  truncated?: boolean;
  /** bytes of body kept (0 = bodies not captured) */
  readonly payloadBytes: number;
}

/** Called by the email notifier with the server's reply to the message (or to the step that failed). */
export function noteSmtpReply(c: AttemptCapture | undefined, code: number, text: string): void {
  if (c) c.smtp = { code, text };
}

/** Called by the HTTP sender for each exchange (a no-op without a capture). */
export function noteHttpExchange(c: AttemptCapture | undefined, status: number | undefined, body: string | undefined): void {
  if (!c) return;
  if (status !== undefined) c.status = status;
  if (body !== undefined && c.payloadBytes > 0) {
    c.truncated = body.length > c.payloadBytes;
    c.payload = c.truncated ? body.slice(0, c.payloadBytes) : body;
  }
}
