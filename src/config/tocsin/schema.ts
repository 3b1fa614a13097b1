/**
 * @module config/tocsin/schema
 * The schema of tocsin.yml (`--tocsin.config.file`): Tocsin-only settings that alertmanager.yml never holds.
 * Declared with the same schema kit as alertmanager.yml (src/schema), so unknown keys, wrong types and bad
 * durations are reported the same way, every problem at once, with file:line:column.
 */
import { f, objectSchema } from '../../schema/schema';

const rateLimitSchema = objectSchema({
  name: 'rate_limit',
  fields: {
    max: f.int({ required: 'rate_limit.max is required (notifications per window)', min: 1 }),
    window: f.duration({ default: 60_000 }),
  },
  check(obj, at) {
    if ((obj.max as number | undefined) !== undefined && (obj.max as number) < 1) at.failField('max', 'rate_limit.max must be at least 1');
    if ((obj.window as number) <= 0) at.failField('window', 'rate_limit.window must be greater than 0');
  },
});

const outboxSchema = objectSchema({
  name: 'outbox',
  fields: {
    deadline: f.duration({ default: 24 * 3_600_000 }),
    min_backoff: f.duration({ default: 10_000 }),
    max_backoff: f.duration({ default: 5 * 60_000 }),
  },
  check(obj, at) {
    if ((obj.deadline as number) <= 0) at.failField('deadline', 'outbox.deadline must be greater than 0');
    if ((obj.min_backoff as number) <= 0) at.failField('min_backoff', 'outbox.min_backoff must be greater than 0');
    if ((obj.max_backoff as number) < (obj.min_backoff as number)) at.failField('max_backoff', 'outbox.max_backoff must not be less than min_backoff');
  },
});

const escalationStepSchema = objectSchema({
  name: 'escalation step',
  fields: {
    after: f.duration({ required: 'escalation step needs "after" (how long without an acknowledgement)' }),
    receiver: f.string({ required: 'escalation step needs "receiver" (a receiver of alertmanager.yml)' }),
  },
  check(obj, at) {
    if ((obj.after as number | undefined) !== undefined && (obj.after as number) <= 0) at.failField('after', 'escalation step "after" must be greater than 0');
  },
});

export const tocsinReceiverSchema = objectSchema({
  name: 'tocsin receiver settings',
  fields: {
    resolved_after_mute: f.bool({ default: false }),
    rate_limit: f.object(rateLimitSchema),
    outbox: f.object(outboxSchema),
    escalation: f.list(escalationStepSchema, { default: true }),
  },
  hints: {
    send_resolved: 'send_resolved stays in alertmanager.yml; here: resolved_after_mute',
    name: 'receivers here are a map by receiver name: receivers: {<name>: {...}}',
  },
});

const silencesSchema = objectSchema({
  name: 'tocsin silence settings',
  fields: {
    expire_unmatched_after: f.duration({ default: 0 }),
    warn_mute_share: f.float({ default: 0 }),
  },
  check(obj, at) {
    const s = obj.warn_mute_share as number;
    if (s < 0 || s > 1) at.failField('warn_mute_share', `warn_mute_share must be between 0 and 1, got ${s}`);
  },
});

export const tocsinConfigSchema = objectSchema({
  name: 'tocsin config',
  fields: {
    receivers: f.mapOf(f.object(tocsinReceiverSchema), { default: {} }),
    silences: f.object(silencesSchema, { default: true }),
  },
  hints: {
    route: 'routing stays in alertmanager.yml; tocsin.yml holds only Tocsin-only settings',
    global: 'global settings stay in alertmanager.yml',
  },
});
