/**
 * @module silence/schedule
 * A silence schedule (a recurring silence): matchers, an RFC 5545 RRULE in an IANA time zone, and a duration.
 * Tocsin turns each occurrence into an ordinary silence ahead of time (src/silence/scheduler.ts), so every
 * client of the silences API (amtool, Grafana, karma) sees it. The storage interface is what the SQLite table
 * (src/store/silence-schedules.ts) implements, and a PostgreSQL one would.
 */
import { createHash } from 'node:crypto';
import type { SilenceMatcherInput } from './types';

export interface SilenceSchedule {
  id: string;
  /** one matcher set, as silences posted through the API have */
  matchers: SilenceMatcherInput[];
  /** `FREQ=WEEKLY;BYDAY=SU;BYHOUR=2;BYMINUTE=0;BYSECOND=0` (no `RRULE:` prefix); absent with `cron` */
  rrule?: string;
  /** a cron expression on the zone's wall clock (instead of `rrule`) */
  cron?: string;
  timeZone: string;
  /** how long each occurrence's silence lasts (ms, elapsed time) */
  duration: number;
  /** epoch ms: the rule's DTSTART (no occurrence before it) */
  startsAt: number;
  createdBy: string;
  comment: string;
  /** epoch ms */
  createdAt: number;
}

/** Durable schedules (SQLite table; every method is durable once its promise resolves). */
export interface ScheduleStore {
  loadAll(): Promise<SilenceSchedule[]>;
  put(schedule: SilenceSchedule): Promise<void>;
  delete(id: string): Promise<void>;
}

/** The annotation a generated silence carries: the id of its schedule. */
export const SCHEDULE_ANNOTATION = 'tocsin_schedule_id';

/**
 * The id of the silence standing for one occurrence: a UUID (version 8, RFC 9562) derived from the schedule id
 * and the occurrence's start, so every replica and every restart names the same occurrence the same way and
 * creates it once (Silences.createOnce).
 */
export function occurrenceSilenceId(scheduleId: string, startsAt: number): string {
  const h = createHash('sha256').update(`tocsin-silence-schedule\0${scheduleId}\0${startsAt}`).digest();
  h[6] = (h[6]! & 0x0f) | 0x80;
  h[8] = (h[8]! & 0x3f) | 0x80;
  const x = h.subarray(0, 16).toString('hex');
  return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20, 32)}`;
}

/** The comment of a generated silence: the schedule's, and which schedule made it. */
export function occurrenceComment(s: Pick<SilenceSchedule, 'id' | 'comment'>): string {
  return `${s.comment} (recurring: Tocsin silence schedule ${s.id})`;
}
