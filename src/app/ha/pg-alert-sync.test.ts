/**
 * PgAlertSync against a real PostgreSQL: a re-send that the store would not write anyway makes no round trip
 * (the API answers at once); anything else is stored; another replica's write reaches memory through the
 * change feed; with the database unreachable every put goes to it (and fails: the API answers 503).
 */
import { MemAlerts } from '../../provider/mem-alerts';
import { NOW, testAlert } from '../../store/storage-contract';
import { useReplicas } from '../../store/postgres/testing/database';
import type { Alert } from '../../types/alert';
import { systemClock } from '../../types/clock';
import { silentLogger } from '../../types/logger';
import { needsWrite } from '../../store/alert-merge';
import { PgAlertSync } from './pg-alert-sync';
import { StorageHealth } from './storage-health';

describe('needsWrite', () => {
  const stored = testAlert('00000000000000a1', { startsAt: NOW - 60_000, endsAt: NOW + 240_000, updatedAt: NOW - 30_000 });
  test.each<[string, Partial<Alert>, boolean]>([
    ['only updatedAt moved', { updatedAt: NOW }, false],
    ['endsAt extended by less than half the remaining lifetime', { endsAt: NOW + 300_000, updatedAt: NOW }, false],
    ['endsAt extended by more', { endsAt: NOW + 600_000 }, true],
    ['endsAt shortened', { endsAt: NOW + 200_000 }, true],
    ['resolved', { endsAt: NOW - 1 }, true],
    ['startsAt', { startsAt: NOW - 90_000 }, true],
    ['an annotation changed', { annotations: { summary: 'other' } }, true],
    ['an annotation added', { annotations: { ...stored.annotations, runbook: 'x' } }, true],
    ['generatorURL', { generatorURL: 'http://other' }, true],
    ['timeout', { timeout: !stored.timeout }, true],
  ])('%s', (_, change, want) => {
    expect(needsWrite({ ...stored, ...change }, stored, NOW)).toBe(want);
  });

  test('nothing known, or the known row resolved (another replica may delete it): written', () => {
    expect(needsWrite(stored, undefined, NOW)).toBe(true);
    const resolved = { ...stored, endsAt: NOW - 1 };
    expect(needsWrite({ ...resolved, updatedAt: NOW }, resolved, NOW)).toBe(true);
  });
});

describe('PgAlertSync (real PostgreSQL)', () => {
  const stores = useReplicas(2, 'alerts');
  let now = NOW;
  const clock = { ...systemClock, now: () => now };

  const open = async (i: number) => {
    const health = new StorageHealth(silentLogger());
    const sync = await PgAlertSync.open({ storage: stores[i]!, health, logger: silentLogger(), clock });
    const mem = new MemAlerts({ clock, logger: silentLogger(), store: sync, gcInterval: 3600_000 });
    sync.attach(mem);
    return { sync, mem, health };
  };

  test('a re-send that would not be written makes no round trip; a change is stored; the other replica reads it', async () => {
    const r1 = await open(0);
    const r2 = await open(1);
    const a = testAlert('00000000000000c1', { startsAt: NOW - 60_000, endsAt: NOW + 240_000 });
    r1.mem.put([a]);
    await r1.sync.takeWrite();
    now = NOW + 1000;
    r1.mem.put([{ ...a, endsAt: now + 240_000, updatedAt: now }]);
    expect(r1.sync.takeWrite()).toBeUndefined();
    // a new annotation goes to the store, and from there to r2's memory
    r1.mem.put([{ ...a, annotations: { summary: 'new' }, updatedAt: now + 1 }]);
    const w = r1.sync.takeWrite();
    expect(w).toBeDefined();
    await w;
    expect((await stores[1]!.alerts.loadAll())[0]!.annotations).toEqual({ summary: 'new' });
    await r2.sync.poll();
    expect(r2.mem.get(a.fingerprint)?.annotations).toEqual({ summary: 'new' });
    // r2 received the same re-send: it knows the stored row from the feed, no round trip either
    r2.mem.put([{ ...a, annotations: { summary: 'new' }, updatedAt: now + 2 }]);
    expect(r2.sync.takeWrite()).toBeUndefined();
    // the database is unreachable: even a re-send goes to it (and fails: 503)
    r1.health.failed(new Error('down'));
    r1.mem.put([{ ...a, annotations: { summary: 'new' }, updatedAt: now + 3 }]);
    expect(r1.sync.takeWrite()).toBeDefined();
    r1.sync.stop();
    r2.sync.stop();
    r1.mem.stop();
    r2.mem.stop();
  });
});
