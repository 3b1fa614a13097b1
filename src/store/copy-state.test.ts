/**
 * copyState() (src/store/copy-state.ts) from real SQLite files into a real PostgreSQL database: history events
 * (also identical ones in one millisecond, across batches), acks, escalations, silence schedules and the silence
 * audit trail; a second run stores nothing; newer target state is kept; the chart on PostgreSQL then answers as
 * on SQLite.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Ack, EscalationState } from '../ack/types';
import type { HistoryEvent } from '../history/event';
import type { SilenceAuditEntry } from '../silence/audit';
import type { SilenceSchedule } from '../silence/schedule';
import { sqliteAckStorage, sqliteEscalationStorage } from './acks';
import { copyState } from './copy-state';
import { sqliteStateParts } from './copy-state-sqlite';
import { type DB, openDatabase } from './db';
import { sqliteHistoryStorage } from './history';
import { chart, randomHistory } from './history-series-contract';
import { pgStateParts } from './postgres/copy-state';
import { PgHistoryStorage } from './postgres/history';
import { PgStorage } from './postgres/pg-storage';
import { createTestDatabase, type TestDatabase } from './postgres/testing/database';
import { sqliteScheduleStore } from './silence-schedules';
import { SilenceStore } from './silences';
import { NOW, testSilence } from './storage-contract';

const H = 3600_000;

function ack(id: string, o: Partial<Ack> = {}): Ack {
  return { id, groupKey: `{}:{g="${id}"}`, receiver: 'pager', createdBy: 'ann', comment: 'on it', createdAt: NOW, alerts: [], ...o };
}
function schedule(id: string): SilenceSchedule {
  return { id, matchers: [{ type: '=', name: 'alertname', value: 'Backup' }], rrule: 'FREQ=DAILY', timeZone: 'UTC', duration: H, startsAt: NOW, createdBy: 'ann', comment: 'nightly', createdAt: NOW };
}
function auditOf(silenceId: string, time: number): SilenceAuditEntry {
  return { silenceId, time, action: 'create', changes: {}, silence: { matchers: ['{alertname="A"}'], startsAt: NOW, endsAt: NOW + H, comment: 'c', createdBy: 'ann' } };
}

describe('copyState() from SQLite files into PostgreSQL', () => {
  let dir: string;
  let main: DB;
  let db: TestDatabase;
  let pg: PgStorage;
  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'tocsin-copy-state-'));
    main = openDatabase(dir);
    db = await createTestDatabase();
    pg = await PgStorage.open({ url: db.url, replica: 'r1', max: 2 });
  });
  afterEach(async () => {
    main.close();
    await pg.close();
    await db.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  /** everything of every event but its id, newest first */
  const all = async (s: { query: PgHistoryStorage['query'] }) => (await s.query({ limit: 100_000 })).events.map(({ id: _id, ...e }) => e);

  test('copies history, acks, escalations, schedules and audit; a second run stores nothing', async () => {
    const historyDb = openDatabase(dir, 'history.db');
    const sqliteHistory = sqliteHistoryStorage(historyDb);
    const { events } = randomHistory(5, 2500);
    // identical events in one millisecond, more of them than a batch, straddling batch boundaries
    const same: HistoryEvent = { time: events[1200]!.time, kind: 'config_reload', data: { success: true } };
    const evs = [...events.slice(0, 1201), ...Array.from({ length: 1500 }, () => same), ...events.slice(1201)];
    for (let i = 0; i < evs.length; i += 500) await sqliteHistory.append(evs.slice(i, i + 500));
    await sqliteAckStorage(main).put(ack('a1'));
    await sqliteAckStorage(main).put(ack('a2', { endedAt: NOW + 5, endReason: 'deleted', endedBy: 'bob' }));
    const esc: EscalationState = { groupKey: '{}:{g="a1"}', receiver: 'pager', startedAt: NOW, steps: 1 };
    await sqliteEscalationStorage(main).put(esc);
    await sqliteScheduleStore(main).put(schedule('sch1'));
    const silences = new SilenceStore(main);
    silences.put([{ silence: testSilence('s1'), expiresAt: NOW + H }], [auditOf('s1', NOW), auditOf('s1', NOW + 1)]);

    const parts = sqliteStateParts(main, dir);
    try {
      expect(await copyState(parts, pgStateParts(pg.pool), ['s1'])).toEqual({ history: evs.length, acks: 2, escalations: 1, schedules: 1, audit: 2 });
      const pgHistory = new PgHistoryStorage(pg.pool);
      expect(await all(pgHistory)).toEqual(await all(sqliteHistory));
      // the intervals and hourly counts the trigger built: the same chart as SQLite's
      for (const q of [
        { kind: 'alerts' as const, by: 'alertname', since: 0, until: 100 * H, step: H },
        { kind: 'alerts' as const, by: 'team', since: 0, until: 100 * H, step: 2 * H },
        { kind: 'notifications' as const, by: 'receiver', since: 0, until: 100 * H, step: H },
      ]) {
        expect(await chart(pgHistory, q)).toEqual(await chart(sqliteHistory, q));
      }
      expect(await pg.pool.query('SELECT body FROM acks ORDER BY id').then((r) => r.rows.map((x) => JSON.parse(x.body as string)))).toEqual([ack('a1'), ack('a2', { endedAt: NOW + 5, endReason: 'deleted', endedBy: 'bob' })]);
      expect(await pgStateParts(pg.pool).escalations!.loadAll()).toEqual([esc]);
      expect(await pgStateParts(pg.pool).schedules!.loadAll()).toEqual([schedule('sch1')]);
      expect(await pgStateParts(pg.pool).audit!.list('s1')).toEqual([auditOf('s1', NOW), auditOf('s1', NOW + 1)]);

      expect(await copyState(parts, pgStateParts(pg.pool), ['s1'])).toEqual({ history: 0, acks: 0, escalations: 0, schedules: 0, audit: 0 });
      expect(await pgHistory.count()).toBe(evs.length);
    } finally {
      parts.close();
      historyDb.close();
    }
  });

  test('keeps what the target has that is newer, and takes what ended in the source', async () => {
    const target = pgStateParts(pg.pool);
    await target.acks!.put(ack('ended-there', { endedAt: NOW + 9, endReason: 'expired' }));
    await target.acks!.put(ack('ended-here'));
    await target.escalations!.put({ groupKey: 'g', receiver: 'pager', startedAt: NOW, steps: 2, stoppedAt: NOW + 3, stopReason: 'acknowledged' });
    await sqliteAckStorage(main).put(ack('ended-there'));
    await sqliteAckStorage(main).put(ack('ended-here', { endedAt: NOW + 7, endReason: 'deleted' }));
    await sqliteEscalationStorage(main).put({ groupKey: 'g', receiver: 'pager', startedAt: NOW, steps: 1 });
    const parts = sqliteStateParts(main, dir);
    try {
      expect(await copyState(parts, target, [])).toMatchObject({ acks: 1, escalations: 0 });
    } finally {
      parts.close();
    }
    const acks = new Map((await target.acks!.loadAll()).map((a) => [a.id, a.endedAt]));
    expect(acks).toEqual(
      new Map([
        ['ended-there', NOW + 9],
        ['ended-here', NOW + 7],
      ]),
    );
    expect((await target.escalations!.loadAll()).map((e) => e.steps)).toEqual([2]);
  });

  test('reads the history of a store a release older (still in tocsin.db)', async () => {
    await sqliteHistoryStorage(main).append([{ time: 5, kind: 'silence_created', silenceId: 's9', data: { createdBy: 'ann' } }]);
    const parts = sqliteStateParts(main, dir);
    try {
      expect((await copyState(parts, pgStateParts(pg.pool), [])).history).toBe(1);
    } finally {
      parts.close();
    }
    expect(await all(new PgHistoryStorage(pg.pool))).toEqual([{ time: 5, kind: 'silence_created', silenceId: 's9', data: { createdBy: 'ann' } }]);
  });
});
