/**
 * @module app/event-recorder/destination
 * One output of the event recorder (upstream eventrecorder.Destination): it gets each batch of encoded events
 * (one JSON object per string, in order) and delivers them its way.
 */
export interface Destination {
  /** e.g. `file:/var/log/events.jsonl`, `webhook:https://host/path` (no credentials), `stdout` */
  readonly name: string;
  /** delivers the events or queues them; a write error throws */
  send(lines: readonly string[]): void;
  /** delivers what is queued (bounded), then releases the output */
  close(): Promise<void>;
}
