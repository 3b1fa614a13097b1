/**
 * @module app/event-recorder/recorder
 * Upstream's event recorder (`--enable-feature=event-recorder` with `event_recorder:` in alertmanager.yml), fed
 * by the history writer: every committed batch of history events is converted to upstream's event shape
 * (upstream-event.ts), encoded once, and handed to every configured output (file, stdout, webhook). Recording
 * never blocks the caller: the work runs on a later turn of the event loop, at most QUEUE_SIZE events wait, and
 * beyond that events are dropped and counted (upstream: alertmanager_events_dropped_total). A reload with a
 * changed `event_recorder` block replaces the outputs; if one of the new outputs cannot be built, the old ones
 * stay (as upstream).
 */
import { hostname } from 'node:os';
import { Counter, Gauge, type Registry } from 'prom-client';
import type { EventRecorderConfig } from '../../config/event-recorder';
import type { HistoryEvent } from '../../history/event';
import { alertmanagerHasher } from '../../nflog/alert-hash';
import type { Logger } from '../../types/logger';
import { Secret } from '../../types/secret';
import type { Destination } from './destination';
import { FileOutput } from './file-output';
import { StdoutOutput } from './stdout-output';
import { type UpstreamEventContext, upstreamEvents } from './upstream-event';
import { sanitizeUrl, WebhookOutput } from './webhook-output';

/** upstream eventQueueSize */
const QUEUE_SIZE = 8192;

export interface EventRecorderOptions {
  config: EventRecorderConfig;
  logger: Logger;
  userAgent: string;
  version: string;
  registry?: Registry;
  /** default: os.hostname() */
  instance?: string;
  /** where stdout_outputs write (default process.stdout) */
  stdout?: NodeJS.WritableStream;
}

interface Metrics {
  recorded: Counter<'event_type' | 'output' | 'result'>;
  bytes: Counter<'event_type' | 'output'>;
  dropped: Counter<'event_type'>;
}

function registerMetrics(r: Registry | undefined, queued: () => number): Metrics {
  const registers = r ? [r] : [];
  for (const n of ['alertmanager_events_recorded_total', 'alertmanager_event_recorder_bytes_written_total', 'alertmanager_events_dropped_total', 'alertmanager_event_recorder_queue_length']) {
    r?.removeSingleMetric(n);
  }
  new Gauge({
    name: 'alertmanager_event_recorder_queue_length',
    help: 'Current number of events waiting in the event recorder write queue.',
    registers,
    collect() {
      this.set(queued());
    },
  });
  return {
    recorded: new Counter({ name: 'alertmanager_events_recorded_total', help: 'The total number of events recorded by the event recorder.', labelNames: ['event_type', 'output', 'result'], registers }),
    bytes: new Counter({ name: 'alertmanager_event_recorder_bytes_written_total', help: 'The total number of bytes written to the event recorder.', labelNames: ['event_type', 'output'], registers }),
    dropped: new Counter({ name: 'alertmanager_events_dropped_total', help: 'The total number of events dropped due to a full queue.', labelNames: ['event_type'], registers }),
  };
}

/** The oneof field of an encoded event, as upstream's event_type label (alert_created, notification, ...). */
function eventType(data: Record<string, unknown>): string {
  const k = Object.keys(data)[0] ?? 'unknown';
  const snake = k.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
  return snake;
}

export class EventRecorder {
  readonly #o: EventRecorderOptions;
  readonly #ctx: UpstreamEventContext;
  readonly #metrics: Metrics;
  #outputs: Destination[];
  #configKey: string;
  #queue: HistoryEvent[] = [];
  #scheduled = false;
  #draining: Promise<void> = Promise.resolve();

  private constructor(o: EventRecorderOptions, hashAlert: UpstreamEventContext['hashAlert']) {
    this.#o = o;
    this.#ctx = {
      instance: o.instance ?? hostname(),
      hashAlert,
      version: o.version,
      buildContext: `(node=${process.version}, platform=${process.platform}/${process.arch})`,
    };
    this.#metrics = registerMetrics(o.registry, () => this.#queue.length);
    this.#outputs = this.#build(o.config) ?? [];
    this.#configKey = configKey(o.config);
  }

  /** Builds the recorder (the alert hasher is WebAssembly, compiled asynchronously once). */
  static async create(o: EventRecorderOptions): Promise<EventRecorder> {
    return new EventRecorder(o, await alertmanagerHasher());
  }

  /** names of the current outputs */
  get outputs(): string[] {
    return this.#outputs.map((d) => d.name);
  }

  /** Takes a committed batch of history events; converted and written on a later turn. */
  record(events: readonly HistoryEvent[]): void {
    for (const e of events) {
      if (this.#queue.length >= QUEUE_SIZE) {
        this.#metrics.dropped.inc({ event_type: e.kind });
        continue;
      }
      this.#queue.push(e);
    }
    if (!this.#scheduled && this.#queue.length > 0) {
      this.#scheduled = true;
      setImmediate(() => {
        this.#scheduled = false;
        this.#drain();
      });
    }
  }

  #drain(): void {
    const batch = this.#queue;
    this.#queue = [];
    const lines: string[] = [];
    const types: string[] = [];
    for (const e of batch) {
      try {
        for (const ev of upstreamEvents(e, this.#ctx)) {
          lines.push(JSON.stringify(ev));
          types.push(eventType(ev.data as Record<string, unknown>));
        }
      } catch (err) {
        // one odd event (never expected) must not stop the others, nor throw out of a timer
        this.#metrics.dropped.inc({ event_type: e.kind });
        this.#o.logger.error({ kind: e.kind, err: (err as Error).message }, 'Failed to serialize event');
      }
    }
    if (lines.length === 0) return;
    for (const out of this.#outputs) {
      try {
        out.send(lines);
        for (let i = 0; i < lines.length; i++) {
          this.#metrics.recorded.inc({ event_type: types[i]!, output: out.name, result: 'success' });
          this.#metrics.bytes.inc({ event_type: types[i]!, output: out.name }, lines[i]!.length + 1);
        }
      } catch (err) {
        for (const t of types) this.#metrics.recorded.inc({ event_type: t, output: out.name, result: 'error' });
        this.#o.logger.error({ output: out.name, err: (err as Error).message }, 'Failed to write event');
      }
    }
  }

  /** The outputs of a config, or undefined when one could not be built (its error is logged). */
  #build(cfg: EventRecorderConfig): Destination[] | undefined {
    const out: Destination[] = [];
    const { logger } = this.#o;
    let failed = false;
    for (const f of cfg.file_outputs ?? []) {
      try {
        out.push(new FileOutput(f.path!, logger));
      } catch (err) {
        failed = true;
        logger.error({ path: f.path, err: (err as Error).message }, 'Failed to create file event recorder output');
      }
    }
    for (const w of cfg.webhook_outputs ?? []) {
      try {
        out.push(new WebhookOutput(w, this.#o.userAgent, logger));
      } catch (err) {
        failed = true;
        logger.error({ url: sanitizeUrl(w.url?.reveal() ?? ''), err: (err as Error).message }, 'Failed to create webhook event recorder output');
      }
    }
    for (const _ of cfg.stdout_outputs ?? []) out.push(new StdoutOutput(this.#o.stdout));
    if (!failed) return out;
    for (const d of out) void d.close();
    return undefined;
  }

  /** A reloaded config: new outputs when the block changed (the old ones stay if a new one fails). */
  applyConfig(cfg: EventRecorderConfig | undefined): void {
    const next = cfg ?? {};
    const key = configKey(next);
    if (key === this.#configKey) return;
    // what is queued goes to the outputs it was recorded under
    this.#drain();
    const built = this.#build(next);
    if (!built) {
      this.#o.logger.error({}, 'Failed to reload event recorder outputs; keeping existing outputs');
      return;
    }
    const old = this.#outputs;
    this.#outputs = built;
    this.#configKey = key;
    this.#draining = this.#draining.then(() => Promise.all(old.map((d) => d.close())).then(() => undefined));
    this.#o.logger.info({ outputs: built.length }, 'Event recorder configuration reloaded');
  }

  /** Writes what is queued and closes the outputs (webhooks deliver their queue first, up to 30 s). */
  async close(): Promise<void> {
    this.#drain();
    const old = this.#outputs;
    this.#outputs = [];
    await this.#draining;
    await Promise.all(old.map((d) => d.close()));
  }
}

/** Compares configs by value, secrets included (a changed webhook URL or credential rebuilds the outputs). */
function configKey(cfg: EventRecorderConfig): string {
  // the replacer sees a Secret after its toJSON ('<secret>'): read the holder's raw value instead
  return JSON.stringify(cfg, function (this: Record<string, unknown>, k: string, v: unknown) {
    const raw = this[k];
    return raw instanceof Secret ? `secret:${raw.reveal()}` : v;
  });
}
