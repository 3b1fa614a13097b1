/**
 * @module config/event-recorder
 * `event_recorder:` (upstream eventrecorder.Config, docs "Event Recorder"): outputs grouped by type, every event
 * goes to every output. file_outputs (path, resolved against the config file's directory), webhook_outputs
 * (url, http_config, timeout, workers, max_retries, retry_backoff, batch*), stdout_outputs (no fields).
 * kafka_outputs is refused: Tocsin has no Kafka producer, and a config that names one is rejected at its
 * file:line:column rather than silently recording nothing.
 */
import { type Decoded, f, objectSchema } from '../schema/schema';
import { httpConfigField } from '../notifiers/shared/http-config';

export const fileOutputSchema = objectSchema({
  name: 'file_output',
  fields: {
    path: f.file(),
  },
  check(o, at) {
    if (!o.path) at.failField('path', 'event_recorder file output requires a path');
  },
});

export const webhookOutputSchema = objectSchema({
  name: 'webhook_output',
  fields: {
    url: f.secretUrl(),
    http_config: httpConfigField(),
    timeout: f.duration({ default: 0 }),
    workers: f.int({ default: 0 }),
    max_retries: f.int({ default: 0 }),
    retry_backoff: f.duration({ default: 0 }),
    batch: f.bool({ default: false, omitFalse: true }),
    batch_max_events: f.int({ default: 0 }),
    batch_max_bytes: f.int({ default: 0 }),
    batch_flush_interval: f.duration({ default: 0 }),
  },
  check(o, at) {
    if (!at.has('url')) {
      at.fail('event_recorder webhook output requires a url');
      return;
    }
    const n = (k: string): number => (o[k] as number | undefined) ?? 0;
    if (n('batch_max_events') < 0 || n('batch_max_bytes') < 0 || n('batch_flush_interval') < 0) {
      at.fail('event_recorder webhook batch settings cannot be negative');
    } else if (!o.batch && (n('batch_max_events') !== 0 || n('batch_max_bytes') !== 0 || n('batch_flush_interval') !== 0)) {
      at.fail('event_recorder webhook batch settings require batch: true');
    }
  },
});

const stdoutOutputSchema = objectSchema({ name: 'stdout_output', fields: {} });

/** Kafka outputs: parsed as written only so the refusal points at the entry. */
const kafkaOutputSchema = objectSchema({
  name: 'kafka_output',
  fields: {
    brokers: f.stringList(),
    topic: f.string(),
    client_id: f.string(),
    format: f.string(),
    acks: f.string(),
    compression: f.string(),
    buffer_size: f.int(),
    tls_config: f.any(),
  },
  check(_o, at) {
    at.fail(
      'event_recorder kafka outputs are not supported by Tocsin',
      'use file_outputs, stdout_outputs or webhook_outputs (and forward to Kafka from there, e.g. with a log shipper)',
    );
  },
});

export const eventRecorderSchema = objectSchema({
  name: 'event_recorder_config',
  fields: {
    file_outputs: f.list(fileOutputSchema, { default: true }),
    webhook_outputs: f.list(webhookOutputSchema, { default: true }),
    kafka_outputs: f.list(kafkaOutputSchema, { default: true }),
    stdout_outputs: f.list(stdoutOutputSchema, { default: true, nullItem: 'empty' }),
  },
});

export type EventRecorderConfig = Decoded<typeof eventRecorderSchema>;
export type FileOutputConfig = Decoded<typeof fileOutputSchema>;
export type WebhookOutputConfig = Decoded<typeof webhookOutputSchema>;
