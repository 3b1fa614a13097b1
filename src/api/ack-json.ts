/**
 * @module api/ack-json
 * Acks and escalations as the API shows them (src/ack records; times RFC 3339 UTC).
 */
import type { Ack, EscalationState } from '../ack/types';
import { formatApiTime } from '../go/strfmt-time';
import type { EscalationStep } from '../types/tocsin-config';
import type { AckWire, EscalationWire } from '../wire/ack';

/** An ack as the API shows it (POST/GET /api/v2/tocsin/acks and the groups' `tocsinAck`). */
export function ackJson(a: Ack): AckWire {
  return {
    ackID: a.id,
    groupKey: a.groupKey,
    receiver: a.receiver,
    createdBy: a.createdBy,
    comment: a.comment,
    createdAt: formatApiTime(a.createdAt),
    ...(a.endsAt !== undefined ? { endsAt: formatApiTime(a.endsAt) } : {}),
    alerts: a.alerts.map((x) => x.fingerprint),
    ...(a.endedAt !== undefined ? { endedAt: formatApiTime(a.endedAt), ...(a.endReason ? { endReason: a.endReason } : {}) } : {}),
    ...(a.endedBy !== undefined ? { endedBy: a.endedBy } : {}),
  };
}

/** A group's escalation: when it started, the steps reached, the next one (receiver and time) or why it stopped. */
export function escalationJson(s: EscalationState, steps: readonly EscalationStep[]): EscalationWire {
  const next = s.stoppedAt === undefined ? steps[s.steps] : undefined;
  return {
    startedAt: formatApiTime(s.startedAt),
    reached: steps.slice(0, s.steps).map((x) => x.receiver),
    ...(next ? { next: { receiver: next.receiver, at: formatApiTime(s.startedAt + next.after) } } : {}),
    ...(s.stoppedAt !== undefined ? { stoppedAt: formatApiTime(s.stoppedAt), ...(s.stopReason ? { stopReason: s.stopReason } : {}) } : {}),
  };
}
