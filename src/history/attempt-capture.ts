/**
 * @module history/attempt-capture
 * What one notification attempt sent and got back, for its history event: the retry stage runs the notifier
 * inside a capture (AsyncLocalStorage, so no notifier signature changes), and the shared HTTP sender notes the
 * request body and the response status in it; the email notifier notes the SMTP server's reply. Only when history is on; otherwise nothing is stored.
 */
import { AsyncLocalStorage } from 'node:async_hooks';

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

const store = new AsyncLocalStorage<AttemptCapture>();

/** Runs `fn` with `capture` as the current attempt's (it is filled in even when `fn` throws). */
export function captureDuring<T>(capture: AttemptCapture, fn: () => Promise<T>): Promise<T> {
  return store.run(capture, fn);
}

/** Called by the email notifier with the server's reply to the message (or to the step that failed). */
export function noteSmtpReply(code: number, text: string): void {
  const c = store.getStore();
  if (c) c.smtp = { code, text };
}

/** Called by the HTTP sender for each exchange (a no-op outside a capture). */
export function noteHttpExchange(status: number | undefined, body: string | undefined): void {
  const c = store.getStore();
  if (!c) return;
  if (status !== undefined) c.status = status;
  if (body !== undefined && c.payloadBytes > 0) {
    c.truncated = body.length > c.payloadBytes;
    c.payload = c.truncated ? body.slice(0, c.payloadBytes) : body;
  }
}
