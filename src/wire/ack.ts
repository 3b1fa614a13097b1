/**
 * @module wire/ack
 * Acknowledgements as /api/v2/tocsin/acks and the groups' `tocsinAck` field carry them (shared by the server's
 * api, tocsinctl and the web UI). Times are RFC 3339.
 */

export interface PostableAck {
  groupKey: string;
  receiver: string;
  createdBy: string;
  comment: string;
  endsAt?: string;
}

export interface AckWire {
  ackID: string;
  groupKey: string;
  receiver: string;
  createdBy: string;
  comment: string;
  createdAt: string;
  endsAt?: string;
  /** fingerprints of the group's alerts at ack time */
  alerts: string[];
  endedAt?: string;
  endReason?: 'deleted' | 'expired' | 'alerts changed' | 'superseded';
  endedBy?: string;
}

/** A group's escalation as the groups' `tocsinEscalation` field carries it. */
export interface EscalationWire {
  startedAt: string;
  /** the receivers of the steps reached, in order */
  reached: string[];
  next?: { receiver: string; at: string };
  stoppedAt?: string;
  stopReason?: string;
}
