/**
 * @module history/sink
 * What a recording hook sees: record() is synchronous and cheap (it only buffers); committed() resolves once
 * everything recorded so far is durable (the notify path awaits it before the nflog counts a notification
 * as sent). Omitted sinks record nothing. A new alert's alert_created may carry the alert_grouped recorded after it
 * (AlertCreated, src/history/alert-events.ts): a sink that stores or delivers events applies expandEvents() first.
 */
import type { HistoryEvent } from './event';

export interface HistorySink {
  record(event: HistoryEvent): void;
  committed(): Promise<void>;
  /** bytes of each notification's request body kept in its event (0 or absent = none: --tocsin.history.payload-bytes) */
  readonly payloadBytes?: number;
}
