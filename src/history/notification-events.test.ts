import { Secret } from '../types/secret';
import { type AttemptCapture, noteHttpExchange } from './attempt-capture';
import type { HistoryEvent } from './event';
import { recordAttempt } from './notification-events';

function sink(): { events: HistoryEvent[]; record(e: HistoryEvent): void; committed(): Promise<void> } {
  const events: HistoryEvent[] = [];
  return { events, record: (e) => events.push(e), committed: async () => undefined };
}

const ctx = { receiver: 'pager', groupKey: '{}:{}', firing: ['f1'], resolved: [], notificationReason: 'first notification' };

describe('notification attempt events', () => {
  it('keep the status and body the sender noted, with secret values and URLs removed', () => {
    const key = Secret.inline('routing-key-123456');
    const body = JSON.stringify({ routing_key: key.reveal(), summary: 'disk full', link: 'https://user:pw@hooks.example/x' });
    const capture: AttemptCapture = { payloadBytes: 10_000 };
    noteHttpExchange(capture, 202, body);
    // without a capture nothing is noted
    noteHttpExchange(undefined, 500, 'other');
    const s = sink();
    recordAttempt(s, ctx, { name: 'pagerduty', index: 0 }, 1, 1000, 140, undefined, capture);
    const d = s.events[0]!.data!;
    expect(d).toMatchObject({ outcome: 'success', status: 202, attempt: 1, integration: 'pagerduty', firing: ['f1'] });
    expect(String(d.payload)).toContain('"routing_key":"<secret>"');
    expect(String(d.payload)).toContain('disk full');
    expect(String(d.payload)).not.toContain('routing-key-123456');
  });

  it('cut a long body to the limit and say so; keep no body when the limit is 0', () => {
    const long: AttemptCapture = { payloadBytes: 10 };
    noteHttpExchange(long, 200, 'x'.repeat(50));
    const none: AttemptCapture = { payloadBytes: 0 };
    noteHttpExchange(none, 200, 'x'.repeat(50));
    const s = sink();
    recordAttempt(s, ctx, { name: 'webhook', index: 0 }, 1, 1000, 1, undefined, long);
    recordAttempt(s, ctx, { name: 'webhook', index: 0 }, 1, 1000, 1, undefined, none);
    expect(s.events[0]!.data).toMatchObject({ payload: 'x'.repeat(10), payloadTruncated: true });
    expect(s.events[1]!.data).not.toHaveProperty('payload');
    expect(s.events[1]!.data).toMatchObject({ status: 200 });
  });

  it('record a failure with its status, retryability and error text without secrets', () => {
    const token = Secret.inline('bot-token-abcdef');
    const err = Object.assign(new Error(`POST failed for ${token.reveal()} at https://api.example/bot${token.reveal()}/send`), { status: 503, retryable: true, reason: 'serverError' });
    const s = sink();
    recordAttempt(s, ctx, { name: 'telegram', index: 1 }, 2, 1000, 30, err);
    const d = s.events[0]!.data!;
    expect(d).toMatchObject({ outcome: 'failure', status: 503, retryable: true, failure: 'serverError', attempt: 2 });
    expect(String(d.error)).not.toContain('bot-token-abcdef');
    expect(String(d.error)).toBe('POST failed for <secret> at <redacted>');
  });
});
