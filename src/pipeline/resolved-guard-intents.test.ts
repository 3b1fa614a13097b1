/**
 * resolved_after_mute and a notification in flight at a kill: the dedup stage notes the alerts a notification has
 * firing before it is sent (an intent, on disk), so that after a restart whose notification log lacks that
 * notification the receiver still gets the resolved notification of an alert it may have been told fires.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { mkAlert } from '../../test/acceptance/support/fixtures';
import { notifyContext } from '../../test/helpers/notify-context';
import { Nflog } from '../nflog/nflog';
import { openDatabase, type DB } from '../store/db';
import { sqliteNflogStore } from '../store/nflog';
import { DedupStage } from './dedup-stage';
import { MuteStage } from './mute-stage';
import { ResolvedGuard } from './resolved-guard';
import type { IntegrationRef, NotifyContext } from './types';

const NOW = 1_700_000_000_000;
const HOUR = 3600_000;
const A: IntegrationRef = { groupName: 'r', integration: 'webhook', idx: 0 };

describe('resolved_after_mute: intents (a notification in flight at a kill)', () => {
  let dir: string;
  let db: DB;
  let now: number;
  const clock = { now: () => now, setTimer: () => ({ cancel() {} }) };
  const firing = mkAlert({ alertname: 'F' }, { startsAt: NOW - 5000 });
  const resolvedLater = { ...firing, endsAt: NOW + 60_000 - 10 };
  const ctx = (o: Partial<NotifyContext> = {}) => notifyContext({ now, repeatInterval: HOUR, groupKey: 'g', ...o });
  /** a restart: a new log on the same file (a kill -9 loses nothing committed) */
  const reopen = () => {
    db.close();
    db = openDatabase(dir);
    return new Nflog({ clock, store: sqliteNflogStore(db) });
  };

  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'tocsin-intent-'));
    db = openDatabase(dir);
    now = NOW;
  });
  afterEach(() => {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** the notification of `firing` decided and about to be sent (its intent written), then a kill before log() */
  async function inFlightAtKill(intents: boolean): Promise<Nflog> {
    const nflog = new Nflog({ clock, store: sqliteNflogStore(db) });
    const r = await new DedupStage(nflog, A, true, undefined, intents).exec(ctx(), [firing]);
    expect(r.alerts).toEqual([firing]);
    expect(r.ctx.notificationReason).toBe('first notification');
    return reopen();
  }

  test('after the restart, the silenced alert that resolved gets its resolved notification', async () => {
    const nflog = await inFlightAtKill(true);
    expect(nflog.query('g', A)).toBeUndefined();
    expect(nflog.intended('g', A)).toEqual([firing.fingerprint]);
    now = NOW + 60_000;
    const muted = await new MuteStage({ mutes: () => true }, 'silence', undefined, new ResolvedGuard(nflog, [A])).exec(ctx(), [resolvedLater]);
    expect(muted.alerts).toEqual([resolvedLater]);
    const r = await new DedupStage(nflog, A, true, undefined, true).exec(muted.ctx, muted.alerts);
    expect(r.alerts).toEqual([resolvedLater]);
    expect(r.ctx.notificationReason).toBe('all alerts resolved');
    expect(r.ctx.resolved).toEqual([firing.fingerprint]);
  });

  test('without intents (the guarantee off) that resolved notification is lost, as before', async () => {
    const nflog = await inFlightAtKill(false);
    expect(nflog.intended('g', A)).toBeUndefined();
    now = NOW + 60_000;
    const muted = await new MuteStage({ mutes: () => true }, 'silence', undefined, new ResolvedGuard(nflog, [A])).exec(ctx(), [resolvedLater]);
    expect(muted.alerts).toEqual([]);
  });

  test('an alert still firing after the restart is sent again (at least once), not taken as told', async () => {
    const nflog = await inFlightAtKill(true);
    now = NOW + 1000;
    const r = await new DedupStage(nflog, A, true, undefined, true).exec(ctx(), [firing]);
    expect(r.alerts).toEqual([firing]);
    expect(r.ctx.notificationReason).toBe('first notification');
  });

  test('an unmuted alert that resolved gets its resolved notification too', async () => {
    const nflog = await inFlightAtKill(true);
    now = NOW + 60_000;
    const r = await new DedupStage(nflog, A, true, undefined, true).exec(ctx(), [resolvedLater]);
    expect(r.ctx.notificationReason).toBe('all alerts resolved');
  });

  test('once the entry is logged the intent keeps only what the entry does not list, on disk too', async () => {
    const nflog = new Nflog({ clock, store: sqliteNflogStore(db) });
    const other = mkAlert({ alertname: 'G' }, { startsAt: NOW - 5000 });
    nflog.intend('g', A, [firing.fingerprint, other.fingerprint], HOUR);
    nflog.log(A, 'g', [firing.fingerprint], [], HOUR);
    expect(nflog.intended('g', A)).toEqual([other.fingerprint]);
    expect(reopen().intended('g', A)).toEqual([other.fingerprint]);
    const again = new Nflog({ clock, store: sqliteNflogStore(db) });
    again.log(A, 'g', [], [other.fingerprint], HOUR);
    expect(again.intended('g', A)).toBeUndefined();
    expect(reopen().intended('g', A)).toBeUndefined();
  });

  test('a write-behind log trims the intent after its commit', async () => {
    const nflog = new Nflog({ clock, store: sqliteNflogStore(db), batchWrites: true });
    nflog.intend('g', A, [firing.fingerprint], HOUR);
    const p = nflog.log(A, 'g', [firing.fingerprint], [], HOUR);
    expect(nflog.intended('g', A)).toEqual([firing.fingerprint]);
    await p;
    expect(nflog.intended('g', A)).toBeUndefined();
    expect(reopen().intended('g', A)).toBeUndefined();
  });

  test('an alert already in the entry writes no intent; intents expire with the entries', async () => {
    const nflog = new Nflog({ clock, store: sqliteNflogStore(db) });
    nflog.log(A, 'g', [firing.fingerprint], [], HOUR);
    nflog.intend('g', A, [firing.fingerprint], HOUR);
    expect(nflog.intended('g', A)).toBeUndefined();
    nflog.intend('other', A, [firing.fingerprint], HOUR);
    expect(nflog.intended('other', A)).toEqual([firing.fingerprint]);
    now = NOW + 2 * HOUR;
    nflog.gc();
    expect(nflog.intended('other', A)).toBeUndefined();
    expect(reopen().intended('other', A)).toBeUndefined();
  });

  test('a shared log (HA) decides again from the stored entry at its claim: the maybe-told resolved alert is still due', async () => {
    const nflog = await inFlightAtKill(true);
    now = NOW + 60_000;
    // the claim of a shared log (src/app/ha/shared-nflog.ts) runs decide() on the entry it read from the store
    const decided: (string | undefined)[] = [];
    const shared = {
      query: (g: string, r: IntegrationRef) => nflog.query(g, r),
      intended: (g: string, r: IntegrationRef) => nflog.intended(g, r),
      log: () => undefined,
      claim: async (_g: string, _r: IntegrationRef, decide: (e: undefined) => string | undefined) => {
        const reason = decide(undefined);
        decided.push(reason);
        return reason ? { entry: undefined, reason } : undefined;
      },
    };
    const r = await new DedupStage(shared, A, true, undefined, true).exec(ctx(), [resolvedLater]);
    expect(decided).toEqual(['all alerts resolved']);
    expect(r.alerts).toEqual([resolvedLater]);
    expect(r.ctx.notificationReason).toBe('all alerts resolved');
    // once the stored entry lists it as resolved, the claim's decision is that nothing is due
    const logged = { groupKey: 'g', receiver: A, timestamp: now, firingAlerts: [], resolvedAlerts: [firing.fingerprint], expiresAt: now + HOUR };
    const again = await new DedupStage({ ...shared, claim: async (_g, _r, decide) => (decide(logged) ? { entry: logged, reason: 'x' } : undefined) }, A, true, undefined, true).exec(ctx(), [resolvedLater]);
    expect(again.alerts).toEqual([]);
  });
});
