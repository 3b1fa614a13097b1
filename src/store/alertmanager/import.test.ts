/**
 * Importing an Alertmanager storage directory: the snapshot files the real Alertmanager 0.25 wrote
 * (test/fixtures/alertmanager-0.25-storage, see its README) decode to what amtool created; the import lands in a
 * real SQLite file that Tocsin's Silences and Nflog load; the imported nflog entry makes the dedup stage treat the
 * group as notified (Alertmanager's alert hashes); newer snapshot fields (0.27+) read; anything that is not an
 * Alertmanager storage directory is refused and stores nothing.
 */
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { mkAlert } from '../../../test/acceptance/support/fixtures';
import { alertmanagerAlertIds } from '../../nflog/alert-hash';
import { Nflog } from '../../nflog/nflog';
import { DedupStage } from '../../pipeline/dedup-stage';
import type { NotifyContext } from '../../pipeline/types';
import { Silences } from '../../silence/silences';
import type { Clock } from '../../types/clock';
import { silentLogger } from '../../types/logger';
import { openDatabase } from '../db';
import { sqliteNflogStore } from '../nflog';
import { SilenceStore } from '../silences';
import { ImportError, importAlertmanagerStorage, readAlertmanagerStorage } from './import';
import { decodeNflog, decodeSilences } from './snapshot';

const FIXTURE = join(__dirname, '../../../test/fixtures/alertmanager-0.25-storage');
const FOUR = 'c4e7ced3-1871-493d-bf8b-c6c85f668e95';
const UTF8 = '5f271bfa-3f09-40c5-80e9-f8f124c8e81b';
const GONE = '460639e5-728b-4589-82bc-14833adc146b';
const H = 3600_000;

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'am-import-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const fixedClock = (t: number): Clock => ({ now: () => t, setTimer: () => ({ cancel() {} }) }) as unknown as Clock;

describe('Alertmanager 0.25 snapshot files', () => {
  test('silences: IDs, all four matcher kinds, UTF-8 values, times, authors, comments, expiry', () => {
    const s = decodeSilences(readFileSync(join(FIXTURE, 'silences')));
    expect(s.map((x) => x.id)).toEqual([FOUR, UTF8, GONE]);
    expect(s[0]!.matcherSets).toEqual([
      [
        { type: '=', name: 'alertname', value: 'A' },
        { type: '!=', name: 'env', value: 'prod' },
        { type: '=~', name: 'job', value: 'api.*' },
        { type: '!~', name: 'inst', value: 'x|y' },
      ],
    ]);
    expect(s[1]).toMatchObject({ matcherSets: [[{ type: '=', name: 'team', value: 'Ωmega ✓' }]], createdBy: 'Zoë', comment: 'utf8 ✓' });
    expect(s[2]).toMatchObject({ createdBy: 'carol', comment: 'gone' });
    // the expired one: ended when expired (updatedAt), kept 120h (the default --data.retention) after its end
    expect(s[2]!.endsAt).toBe(s[2]!.updatedAt);
    expect(s[2]!.expiresAt - s[2]!.endsAt).toBe(120 * H);
    // -d 8760h
    expect(Math.abs(s[0]!.endsAt - s[0]!.startsAt - 8760 * H)).toBeLessThan(1000);
  });

  test("nflog: group key, receiver, and upstream's alert hashes (firing B/high, resolved B/low)", async () => {
    const [e, ...rest] = decodeNflog(readFileSync(join(FIXTURE, 'nflog')));
    expect(rest).toEqual([]);
    expect(e).toMatchObject({ groupKey: '{}:{alertname="B"}', receiver: { groupName: 'hook', integration: 'webhook', idx: 0 } });
    expect(e!.expiresAt - e!.timestamp).toBe(2 * H); // 2 × repeat_interval
    const [high, low] = await alertmanagerAlertIds([{ alertname: 'B', sev: 'high' }, { alertname: 'B', sev: 'low' }]);
    expect(e!.firingAlerts.map((h) => `am:${h.toString(16).padStart(16, '0')}`)).toEqual([high]);
    expect(e!.resolvedAlerts.map((h) => `am:${h.toString(16).padStart(16, '0')}`)).toEqual([low]);
  });
});

describe('importAlertmanagerStorage', () => {
  test("imports every silence and entry within retention into Tocsin's SQLite store, where Silences and Nflog load them", () => {
    const sil = decodeSilences(readFileSync(join(FIXTURE, 'silences')));
    const now = sil[2]!.endsAt + H;
    const r = importAlertmanagerStorage(FIXTURE, join(dir, 'tocsin'), now);
    expect(r.silences).toEqual({ imported: 3, active: 2, pending: 0, expired: 1, pastRetention: 0, replaced: 0, file: true });
    expect(r.nflog).toEqual({ imported: 1, pastRetention: 0, replaced: 0, file: true });

    const db = openDatabase(join(dir, 'tocsin'));
    try {
      const silences = new Silences({ store: new SilenceStore(db), clock: fixedClock(now), logger: silentLogger(), retention: 120 * H });
      expect(silences.query({}).map((s) => s.id).sort()).toEqual([FOUR, UTF8, GONE].sort());
      expect(silences.activeMatching({ alertname: 'A', env: 'dev', job: 'api-7', inst: 'z' })).toEqual([FOUR]);
      expect(silences.activeMatching({ alertname: 'A', env: 'dev', job: 'api-7', inst: 'x' })).toEqual([]);
      expect(silences.activeMatching({ team: 'Ωmega ✓' })).toEqual([UTF8]);
      expect(silences.activeMatching({ alertname: 'Gone' })).toEqual([]);
      const nflog = new Nflog({ clock: fixedClock(now), store: sqliteNflogStore(db) });
      expect(nflog.size).toBe(1);
    } finally {
      db.close();
    }
    // a second run replaces the same rows (same IDs, same entry keys)
    const again = importAlertmanagerStorage(FIXTURE, join(dir, 'tocsin'), now);
    expect(again.silences.replaced).toBe(3);
    expect(again.nflog.replaced).toBe(1);
  });

  test('refuses while a server has the store open (nothing written), and imports once it is closed', () => {
    const server = openDatabase(join(dir, 'tocsin'));
    new SilenceStore(server).loadAll();
    try {
      expect(() => importAlertmanagerStorage(FIXTURE, join(dir, 'tocsin'))).toThrow(/tocsin.db is in use: stop the Tocsin server that runs on it/);
      expect(new SilenceStore(server).loadAll()).toEqual([]);
    } finally {
      server.close();
    }
    expect(importAlertmanagerStorage(FIXTURE, join(dir, 'tocsin')).silences.file).toBe(true);
  });

  test('records Alertmanager would have garbage-collected are left out and counted', () => {
    const sil = decodeSilences(readFileSync(join(FIXTURE, 'silences')));
    const r = importAlertmanagerStorage(FIXTURE, join(dir, 'tocsin'), sil[2]!.expiresAt + 1);
    expect(r.silences).toMatchObject({ imported: 2, pastRetention: 1 });
    expect(r.nflog).toMatchObject({ imported: 0, pastRetention: 1 });
  });

  test('an imported entry makes the dedup stage treat the group as notified until repeat_interval, and a new alert is sent', async () => {
    const [e] = decodeNflog(readFileSync(join(FIXTURE, 'nflog')));
    const t = e!.timestamp;
    importAlertmanagerStorage(FIXTURE, join(dir, 'tocsin'), t + 1000);
    const db = openDatabase(join(dir, 'tocsin'));
    try {
      const nflog = new Nflog({ clock: fixedClock(t + 1000), store: sqliteNflogStore(db) });
      const dedup = new DedupStage(nflog, { groupName: 'hook', integration: 'webhook', idx: 0 }, true);
      const ctx = (now: number): NotifyContext => ({
        receiver: 'hook',
        groupKey: '{}:{alertname="B"}',
        groupLabels: { alertname: 'B' },
        routeId: '{}',
        routeLabels: {},
        now,
        repeatInterval: H,
        muteTimeIntervals: [],
        activeTimeIntervals: [],
        signal: new AbortController().signal,
        logger: silentLogger(),
      });
      const high = mkAlert({ alertname: 'B', sev: 'high' });
      const low = mkAlert({ alertname: 'B', sev: 'low' }, { endsAt: t - 60_000 });
      const sent = async (now: number, alerts = [high, low]) => (await dedup.exec(ctx(now), alerts)).ctx.notificationReason;
      expect(await sent(t + 1000)).toBeUndefined();
      expect(await sent(t + H - 1000)).toBeUndefined();
      expect(await sent(t + H + 1000)).toBe('repeat interval elapsed');
      expect(await sent(t + 1000, [high, low, mkAlert({ alertname: 'B', sev: 'mid' })])).toBe('new alerts added');
      // the context carries fingerprints (what Tocsin logs), not Alertmanager's hashes
      expect((await dedup.exec(ctx(t + H + 1000), [high])).ctx.firing).toEqual([high.fingerprint]);
    } finally {
      db.close();
    }
  });
});

/** protobuf encoding, for messages the fixture (0.25) does not have */
const varint = (n: number | bigint): number[] => {
  let v = BigInt(n);
  const out: number[] = [];
  do {
    const b = Number(v & 0x7fn);
    v >>= 7n;
    out.push(v > 0n ? b | 0x80 : b);
  } while (v > 0n);
  return out;
};
const len = (num: number, body: number[]): number[] => [...varint((num << 3) | 2), ...varint(body.length), ...body];
const text = (num: number, s: string): number[] => len(num, [...Buffer.from(s, 'utf8')]);
const int = (num: number, n: number | bigint): number[] => [...varint(num << 3), ...varint(n)];
const ts = (num: number, ms: number): number[] => len(num, [...int(1, Math.floor(ms / 1000)), ...int(2, (ms % 1000) * 1e6)]);
const stream = (...msgs: number[][]): Buffer => Buffer.from(msgs.flatMap((m) => [...varint(m.length), ...m]));
const matcher = (type: number, name: string, value: string) => [...int(1, type), ...text(2, name), ...text(3, value)];

describe('newer snapshot fields (Alertmanager 0.27+)', () => {
  const T = 1_800_000_000_000;
  const silence = (extra: number[]) =>
    len(1, [...text(1, 'sid'), ...len(2, matcher(0, 'a', '1')), ...ts(3, T), ...ts(4, T + H), ...ts(5, T), ...text(8, 'me'), ...text(9, 'c'), ...extra]);

  test('matcher_sets (OR of sets) win over matchers; annotations; receiver_data; unknown fields skipped', () => {
    const set = (...ms: number[][]) => len(11, ms.flatMap((m) => len(1, m)));
    const ann = len(10, [...text(1, 'ticket'), ...text(2, 'OPS-1')]);
    const unknown = int(99, 7);
    const [s] = decodeSilences(stream([...silence([...set(matcher(0, 'a', '1')), ...set(matcher(3, 'b', 'x.*')), ...ann, ...unknown]), ...ts(2, T + 2 * H)]));
    expect(s).toMatchObject({
      id: 'sid',
      matcherSets: [[{ type: '=', name: 'a', value: '1' }], [{ type: '!~', name: 'b', value: 'x.*' }]],
      annotations: { ticket: 'OPS-1' },
      startsAt: T,
      endsAt: T + H,
      expiresAt: T + 2 * H,
    });
    const dbl = Buffer.alloc(8);
    dbl.writeDoubleLE(1.5);
    const rd = (k: string, v: number[]) => len(8, [...text(1, k), ...len(2, v)]);
    const entry = len(1, [
      ...text(1, '{}:{a="1"}'),
      ...len(2, [...text(1, 'r'), ...text(2, 'pagerduty'), ...int(3, 2)]),
      ...ts(5, T),
      ...len(6, [...varint(2n ** 64n - 1n), ...varint(5)]), // packed
      ...int(7, 9), // not packed
      ...rd('s', text(1, 'v')),
      ...rd('i', int(2, 42)),
      ...rd('d', [(3 << 3) | 1, ...dbl]),
    ]);
    const [e] = decodeNflog(stream([...entry, ...ts(2, T + H)]));
    expect(e).toEqual({
      groupKey: '{}:{a="1"}',
      receiver: { groupName: 'r', integration: 'pagerduty', idx: 2 },
      timestamp: T,
      firingAlerts: [2n ** 64n - 1n, 5n],
      resolvedAlerts: [9n],
      receiverData: { s: 'v', i: 42, d: 1.5 },
      expiresAt: T + H,
    });
  });

  test('a silence with receiver matchers (0.32+) is refused: Tocsin cannot represent it', () => {
    mkdirSync(join(dir, 'am'));
    writeFileSync(join(dir, 'am', 'silences'), stream([...silence(len(12, len(1, matcher(0, 'receiver', 'x')))), ...ts(2, T + H)]));
    expect(() => importAlertmanagerStorage(join(dir, 'am'), join(dir, 'tocsin'), T)).toThrow(/silence sid has receiver matchers/);
    expect(existsSync(join(dir, 'tocsin', 'tocsin.db'))).toBe(false);
  });
});

describe('refusals: not an Alertmanager storage directory, nothing stored', () => {
  const refuse = (amDir: string, re: RegExp) => {
    let err: unknown;
    try {
      importAlertmanagerStorage(amDir, join(dir, 'tocsin'));
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ImportError);
    expect((err as Error).message).toMatch(re);
    expect(existsSync(join(dir, 'tocsin', 'tocsin.db'))).toBe(false);
  };

  test('a missing path, a file, an empty directory, a Tocsin storage directory', () => {
    refuse(join(dir, 'nope'), /cannot read .*nope: ENOENT/);
    writeFileSync(join(dir, 'file'), 'x');
    refuse(join(dir, 'file'), /is not a directory; give Alertmanager's --storage.path directory/);
    mkdirSync(join(dir, 'empty'));
    refuse(join(dir, 'empty'), /is not an Alertmanager storage directory: it has neither a 'silences' nor an 'nflog' snapshot file/);
    mkdirSync(join(dir, 'tdir'));
    writeFileSync(join(dir, 'tdir', 'tocsin.db'), '');
    refuse(join(dir, 'tdir'), /it holds tocsin.db: it is a Tocsin storage directory/);
  });

  test('a damaged or foreign file named silences/nflog: the reason, and nothing of the good file is imported', () => {
    mkdirSync(join(dir, 'am'));
    copyFileSync(join(FIXTURE, 'silences'), join(dir, 'am', 'silences'));
    const good = readFileSync(join(FIXTURE, 'nflog'));
    writeFileSync(join(dir, 'am', 'nflog'), good.subarray(0, good.length - 3));
    refuse(join(dir, 'am'), /am\/nflog is not an Alertmanager notification log snapshot \(record 1: .*runs past the end.*\); nothing was imported/);
    writeFileSync(join(dir, 'am', 'nflog'), '{"json": "is not a snapshot"}\n');
    refuse(join(dir, 'am'), /nflog is not an Alertmanager notification log snapshot/);
    writeFileSync(join(dir, 'am', 'nflog'), good);
    const sil = readFileSync(join(FIXTURE, 'silences'));
    writeFileSync(join(dir, 'am', 'silences'), Buffer.concat([sil, Buffer.from([0x05, 0xff, 0xff, 0xff, 0xff, 0xff])]));
    refuse(join(dir, 'am'), /silences is not an Alertmanager silences snapshot \(record 4: /);
  });

  test('a silence whose regex does not compile (RE2) is refused', () => {
    mkdirSync(join(dir, 'am'));
    const T = 1_800_000_000_000;
    const s = len(1, [...text(1, 'bad'), ...len(2, matcher(1, 'a', '(')), ...ts(3, T), ...ts(4, T + H)]);
    writeFileSync(join(dir, 'am', 'silences'), stream([...s, ...ts(2, T + H)]));
    refuse(join(dir, 'am'), /silence bad: matcher a=~"\(":.*nothing was imported/);
  });

  test('readAlertmanagerStorage accepts a directory with only one of the two files', () => {
    mkdirSync(join(dir, 'am'));
    copyFileSync(join(FIXTURE, 'nflog'), join(dir, 'am', 'nflog'));
    expect(readAlertmanagerStorage(join(dir, 'am'))).toMatchObject({ silences: undefined, nflog: [{ groupKey: '{}:{alertname="B"}' }] });
  });
});
