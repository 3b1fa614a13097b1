/**
 * @module store/storage-contract
 * The behaviour every Storage backend must show, as one jest suite that each backend's test file runs
 * (src/store/sqlite-storage.test.ts, src/store/postgres/pg-storage.test.ts), like src/notifiers/contract.ts
 * for notifiers. Each test gets an empty storage from `open`.
 */
import { mergeStored } from './alert-merge';
import type { Alert } from '../types/alert';
import type { NflogEntry, Storage, StoredSilence } from './storage';

export const NOW = 1_700_000_000_000;

export function testAlert(fp: string, o: Partial<Alert> = {}): Alert {
  return {
    fingerprint: fp,
    labels: { alertname: 'A', fp },
    annotations: { summary: `s-${fp}` },
    startsAt: NOW - 60_000,
    endsAt: NOW + 300_000,
    updatedAt: NOW,
    generatorURL: 'http://prom/graph',
    timeout: true,
    ...o,
  };
}

export function testSilence(id: string, o: Partial<StoredSilence> = {}): StoredSilence {
  return {
    id,
    matcherSets: [[{ type: '=', name: 'alertname', value: 'A' }]],
    startsAt: NOW,
    endsAt: NOW + 3600_000,
    updatedAt: NOW,
    createdBy: 'me',
    comment: 'c',
    annotations: {},
    ...o,
  };
}

export function testNflogEntry(groupKey: string, o: Partial<NflogEntry> = {}): NflogEntry {
  return {
    groupKey,
    receiver: { groupName: 'team', integration: 'webhook', idx: 0 },
    timestamp: NOW,
    firingAlerts: ['f1'],
    resolvedAlerts: [],
    expiresAt: NOW + 60_000,
    ...o,
  };
}

/** a small deterministic PRNG, so a failing case can be replayed */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

/** `n` random stored/incoming pairs over the times where the merge rule's branches differ */
export function randomMergePairs(n: number, seed = 13): { olds: Alert[]; news: Alert[] } {
  const rand = rng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
  const times = [0, NOW - 120_000, NOW - 60_000, NOW - 1, NOW, NOW + 1, NOW + 60_000, NOW + 300_000];
  const olds: Alert[] = [];
  const news: Alert[] = [];
  for (let i = 0; i < n; i++) {
    const fp = i.toString(16).padStart(16, '0');
    const mk = (tag: string): Alert =>
      testAlert(fp, {
        startsAt: pick(times.slice(1)),
        endsAt: pick(times),
        updatedAt: pick([NOW - 10, NOW, NOW + 10]),
        timeout: rand() < 0.5,
        annotations: { v: tag },
        generatorURL: `http://${tag}`,
      });
    olds.push(mk('old'));
    news.push(mk('new'));
  }
  return { olds, news };
}

const byKey = <T>(xs: T[], key: (x: T) => string): T[] => [...xs].sort((a, b) => key(a).localeCompare(key(b)));

export function runStorageContract(name: string, open: () => Promise<Storage>): void {
  describe(`${name}: Storage contract`, () => {
    let s: Storage;
    beforeEach(async () => {
      s = await open();
    });
    afterEach(() => s.close());

    test('alerts: merge() stores new alerts; loadAll() reads them back unchanged; delete() removes', async () => {
      const a = testAlert('0000000000000001', { endsAt: 0, timeout: false, annotations: { ü: 'x"y' } });
      const b = testAlert('0000000000000002');
      expect(await s.alerts.merge([a, b], NOW)).toEqual([a, b]);
      expect(byKey(await s.alerts.loadAll(), (x) => x.fingerprint)).toEqual([a, b]);
      await s.alerts.delete([a.fingerprint, 'ffffffffffffffff']);
      expect(await s.alerts.loadAll()).toEqual([b]);
    });

    test('alerts: merge() gives what mergeAlerts/overlaps give, on 2000 random stored/incoming pairs', async () => {
      const { olds, news } = randomMergePairs(2000);
      await s.alerts.merge(olds, NOW);
      const want = news.map((n, i) => mergeStored(olds[i], n, NOW));
      expect(await s.alerts.merge(news, NOW)).toEqual(want);
      expect(byKey(await s.alerts.loadAll(), (x) => x.fingerprint)).toEqual(want);
      // the cases cover both outcomes of the rules
      expect(want.filter((w, i) => w !== news[i]).length).toBeGreaterThan(100);
      expect(want.filter((w) => w.annotations.v === 'old').length).toBeGreaterThan(50);
    });

    test('alerts: a fingerprint repeated in one batch is merged in order, as MemAlerts.put does', async () => {
      const first = testAlert('00000000000000aa', { startsAt: NOW - 100_000, endsAt: NOW + 100_000, updatedAt: NOW - 5 });
      const second = testAlert('00000000000000aa', { startsAt: NOW - 50_000, endsAt: NOW + 200_000, updatedAt: NOW, annotations: { v: '2' } });
      const got = await s.alerts.merge([first, second], NOW);
      expect(got).toEqual([{ ...second, startsAt: NOW - 100_000 }]);
    });

    test('silences: put, get, loadAll, delete; the last of one id in a batch wins', async () => {
      const a = testSilence('a', { annotations: { ticket: 'T-1' } });
      await s.silences.put([
        { silence: a, expiresAt: NOW + 10 },
        { silence: testSilence('b'), expiresAt: NOW + 20 },
      ]);
      expect(await s.silences.get(['a', 'zz'])).toEqual([{ silence: a, expiresAt: NOW + 10, bytes: JSON.stringify(a).length }]);
      await s.silences.put([
        { silence: { ...a, comment: 'first' }, expiresAt: NOW + 1 },
        { silence: { ...a, endsAt: NOW }, expiresAt: NOW + 5 },
      ]);
      expect((await s.silences.get(['a']))[0]).toMatchObject({ silence: { endsAt: NOW, comment: 'c' }, expiresAt: NOW + 5 });
      await s.silences.delete(['a']);
      expect((await s.silences.loadAll()).map((r) => r.silence.id)).toEqual(['b']);
    });

    test('nflog: upsertMany() in one batch, read back by loadAll(); the last of one key in a batch wins', async () => {
      const a = testNflogEntry('{}:{a="1"}', { receiverData: { ts: '123.4', n: 2 }, resolvedAlerts: ['r1'] });
      const b = testNflogEntry('{}:{a="2"}');
      await s.nflog.upsertMany([
        ['ka', { ...a, firingAlerts: ['earlier'] }],
        ['kb', b],
        ['ka', a],
      ]);
      const all = byKey(await s.nflog.loadAll(), (e) => e.groupKey).map(({ version: _, ...e }: NflogEntry & { version?: number }) => e);
      expect(all).toEqual([a, b]);
    });

    test('nflog: an older entry never replaces a newer one', async () => {
      await s.nflog.upsertMany([['k', testNflogEntry('g', { timestamp: NOW + 10, firingAlerts: ['new'] })]]);
      await s.nflog.upsertMany([['k', testNflogEntry('g', { timestamp: NOW, firingAlerts: ['old'] })]]);
      expect((await s.nflog.loadAll()).map((e) => e.firingAlerts)).toEqual([['new']]);
      await s.nflog.upsertMany([['k', testNflogEntry('g', { timestamp: NOW + 11, firingAlerts: ['newer'] })]]);
      expect((await s.nflog.loadAll()).map((e) => e.firingAlerts)).toEqual([['newer']]);
    });

    test('nflog: deleteExpired() and sizeBytes()', async () => {
      await s.nflog.upsertMany([
        ['old', testNflogEntry('g1', { expiresAt: NOW })],
        ['new', testNflogEntry('g2', { expiresAt: NOW + 1 })],
      ]);
      expect(await s.nflog.sizeBytes()).toBeGreaterThan(0);
      expect(await s.nflog.deleteExpired(NOW)).toBe(1);
      expect((await s.nflog.loadAll()).map((e) => e.groupKey)).toEqual(['g2']);
    });
  });
}
