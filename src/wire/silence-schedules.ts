/**
 * @module wire/silence-schedules
 * Tocsin's silence schedules and the silence audit trail on the wire (GET/POST /api/v2/tocsin/silence-schedules,
 * GET /api/v2/tocsin/silences/{id}/audit), shared by the server, tocsinctl and the web UI. Times are RFC 3339.
 */
import type { ApiMatcher } from './api';

/** POST /api/v2/tocsin/silence-schedules (and .../preview) body. */
export interface PostableSilenceSchedule {
  matchers: ApiMatcher[];
  /** RFC 5545 RRULE, e.g. `FREQ=WEEKLY;BYDAY=SU;BYHOUR=2;BYMINUTE=0;BYSECOND=0`; or `cron` */
  rrule?: string;
  /** a cron expression read in timeZone, e.g. `0 2 * * 0` (instead of rrule) */
  cron?: string;
  /** e.g. `2h`, `90m`, `1d` */
  duration: string;
  /** IANA zone, e.g. `Europe/Berlin` */
  timeZone: string;
  createdBy: string;
  comment: string;
  /** the rule's DTSTART (default: midnight today in timeZone) */
  startsAt?: string;
}

export interface OccurrenceWire {
  startsAt: string;
  endsAt: string;
  /** the silence that stands (or will stand) for this occurrence */
  silenceID: string;
}

export interface SilenceScheduleWire {
  id: string;
  matchers: ApiMatcher[];
  /** one of rrule and cron */
  rrule?: string;
  cron?: string;
  duration: string;
  timeZone: string;
  startsAt: string;
  createdBy: string;
  comment: string;
  createdAt: string;
  /** the occurrence in progress, if any, and the next ones */
  nextOccurrences: OccurrenceWire[];
}

/** One entry of GET /api/v2/tocsin/silences/{id}/audit. */
export interface SilenceAuditEventWire {
  time: string;
  action: 'create' | 'update' | 'expire';
  /** the basic-auth user, when auth is on */
  user?: string;
  /** fields that changed: matchers (rendered sets), startsAt, endsAt (RFC 3339), comment, createdBy */
  changes: Record<string, { from: unknown; to: unknown }>;
  silence: { matchers: string[]; startsAt: string; endsAt: string; comment: string; createdBy: string };
  replaces?: string;
  replacedBy?: string;
  /** why Tocsin itself made the change, e.g. `matched no alert for 7d (silences.expire_unmatched_after)` */
  reason?: string;
}

export interface SilenceAuditWire {
  silenceID: string;
  events: SilenceAuditEventWire[];
}
