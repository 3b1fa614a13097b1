import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Registry } from 'prom-client';
import { createMatcher } from '../matchers/matcher';
import { type DB, openDatabase } from '../store/db';
import { SilenceStore } from '../store/silences';
import type { Matcher } from '../matchers/types';
import type { LabelSet } from '../types/alert';
import type { Clock } from '../types/clock';
import { NotFoundError, ValidationError } from '../types/errors';
import { silentLogger } from '../types/logger';
import { AlertMarker } from '../types/marker';
import { Silencer } from './silencer';
import { Silences, silenceMatches } from './silences';
import type { SilenceInput, SilenceMatcherInput } from './types';

const H = 3600_000;
const T0 = Date.UTC(2026, 0, 1, 12, 0, 0);

class ManualClock implements Clock {
  t = T0;
  now(): number {
    return this.t;
  }
  setTimer(ms: number, fn: () => void) {
    const at = this.t + ms;
    this.timers.push({ at, fn });
    return { cancel: () => (this.timers = this.timers.filter((x) => x.fn !== fn)) };
  }
  timers: { at: number; fn: () => void }[] = [];
  advance(ms: number): void {
    this.t += ms;
    for (;;) {
      const due = this.timers.filter((x) => x.at <= this.t);
      if (due.length === 0) return;
      this.timers = this.timers.filter((x) => x.at > this.t);
      for (const d of due) d.fn();
    }
  }
}

let dir: string;
let db: DB;
let clock: ManualClock;
let registry: Registry;

function newSilences(extra: Partial<ConstructorParameters<typeof Silences>[0]> = {}): Silences {
  return new Silences({ store: new SilenceStore(db), clock, logger: silentLogger(), registry, retention: 120 * H, ...extra });
}

const eq = (name: string, value: string): SilenceMatcherInput => ({ type: '=', name, value });
const re = (name: string, value: string): SilenceMatcherInput => ({ type: '=~', name, value });

function input(over: Partial<SilenceInput> = {}): SilenceInput {
  return {
    matcherSets: [[eq('alertname', 'A')]],
    startsAt: clock.now(),
    endsAt: clock.now() + H,
    createdBy: 'me',
    comment: 'c',
    ...over,
  };
}

/** The bench's 10k mixed silences (bench/micro/silences.ts builds the same set). */
function tenThousandSilences(): SilenceInput[] {
  const inputs: SilenceInput[] = [];
  for (let i = 0; i < 10_000; i++) {
    const k = i % 10;
    const sets =
      k < 7
        ? [[eq('alertname', `Alert${i}`), eq('env', 'prod')]]
        : k < 9
          ? [[re('alertname', `Alert${i}|Other${i}.*`)]]
          : [[re('instance', `host-${i}:.*`), { type: '!=', name: 'env', value: 'dev' } as SilenceMatcherInput]];
    inputs.push(input({ matcherSets: sets, endsAt: T0 + 24 * H }));
  }
  return inputs;
}

/** Sum of a counter's samples in the test registry (synchronous read of prom-client's hashMap). */
function metricValue(name: string): number {
  const m = registry.getSingleMetric(name) as unknown as { hashMap: Record<string, { value: number }> } | undefined;
  if (!m) throw new Error(`no metric ${name}`);
  return Object.values(m.hashMap).reduce((n, x) => n + x.value, 0);
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'tocsin-sil-'));
  db = openDatabase(dir);
  clock = new ManualClock();
  registry = new Registry();
});
afterEach(() => {
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('Silences.set() create', () => {
  test('assigns a UUID, raises a past start to now, stamps updatedAt', () => {
    const s = newSilences();
    const id = s.set(input({ startsAt: T0 - H }));
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    const got = s.get(id)!;
    expect(got.startsAt).toBe(T0);
    expect(got.updatedAt).toBe(T0);
    expect(got.matcherSets[0]![0]!.toString()).toBe('alertname="A"');
    expect(Object.isFrozen(got)).toBe(true);
  });

  test('startsAt 0 means now; a future start is kept (pending)', () => {
    const s = newSilences();
    expect(s.get(s.set(input({ startsAt: 0 })))!.startsAt).toBe(T0);
    const pendingId = s.set(input({ startsAt: T0 + H, endsAt: T0 + 2 * H }));
    expect(s.query({ states: ['pending'] }).map((x) => x.id)).toEqual([pendingId]);
  });

  test('is durable: a new instance over the same database sees it', () => {
    const a = newSilences();
    const id = a.set(input({ annotations: { k: 'v' } }));
    db.close();
    db = openDatabase(dir);
    const b = newSilences();
    const got = b.get(id)!;
    expect(got).toMatchObject({ id, startsAt: T0, endsAt: T0 + H, createdBy: 'me', comment: 'c', annotations: { k: 'v' } });
    expect(got.matcherSets[0]![0]!.matches('A')).toBe(true);
    expect(b.activeMatching({ alertname: 'A' })).toEqual([id]);
  });
});

describe('Silences.set() validation', () => {
  test.each<[string, Partial<SilenceInput>, string]>([
    ['no sets', { matcherSets: [] }, 'invalid silence: at least one matcher set required'],
    ['empty set', { matcherSets: [[]] }, 'invalid silence: matcher set 0 is empty'],
    ['bad name', { matcherSets: [[eq('', 'x')]] }, 'invalid silence: invalid label matcher 0 in set 0: invalid label name ""'],
    [
      'bad regex',
      { matcherSets: [[eq('a', 'b'), re('foo', '(')]] },
      'invalid silence: invalid label matcher 1 in set 0: invalid regular expression "(": error parsing regexp: missing closing ): `(`',
    ],
    ['matches empty', { matcherSets: [[re('foo', '.*')]] }, 'invalid silence: matcher set 0: at least one matcher must not match the empty string'],
    ['= empty', { matcherSets: [[eq('foo', '')]] }, 'invalid silence: matcher set 0: at least one matcher must not match the empty string'],
    [
      'second set',
      { matcherSets: [[eq('a', 'b')], [eq('foo', ''), re('x', 'y?')]] },
      'invalid silence: matcher set 1: at least one matcher must not match the empty string',
    ],
    ['zero end', { endsAt: 0 }, 'invalid silence: invalid zero end timestamp'],
    ['end before start', { startsAt: T0 + 2 * H, endsAt: T0 + H }, 'invalid silence: end time must not be before start time'],
  ])('%s', (_n, over, msg) => {
    const s = newSilences();
    expect(() => s.set(input(over))).toThrow(new ValidationError(msg));
  });

  test('negative matchers count as not matching empty', () => {
    const s = newSilences();
    expect(() => s.set(input({ matcherSets: [[{ type: '!=', name: 'foo', value: 'bar' }]] }))).not.toThrow();
    expect(() => s.set(input({ matcherSets: [[{ type: '!~', name: 'foo', value: '.*' }]] }))).not.toThrow();
  });

  test('label names follow the matcher mode', () => {
    expect(() => newSilences({ matcherMode: 'classic' }).set(input({ matcherSets: [[eq('foo🙂', 'x')]] }))).toThrow(
      'invalid silence: invalid label matcher 0 in set 0: invalid label name "foo🙂"',
    );
    expect(() => newSilences({ matcherMode: 'fallback' }).set(input({ matcherSets: [[eq('foo🙂', 'x')]] }))).not.toThrow();
  });
});

describe('Silences.set() update', () => {
  test('unknown id is NotFound', () => {
    const s = newSilences();
    expect(() => s.set(input({ id: 'nope' }))).toThrow(new NotFoundError('silence not found'));
  });

  test('active: comment change and later end keep the id', () => {
    const s = newSilences();
    const id = s.set(input());
    clock.advance(60_000);
    const id2 = s.set(input({ id, startsAt: T0 + 999, endsAt: T0 + 5 * H, comment: 'new' }));
    expect(id2).toBe(id);
    expect(s.get(id)).toMatchObject({ comment: 'new', endsAt: T0 + 5 * H, updatedAt: T0 + 60_000, startsAt: T0 + 999 });
    expect(s.query()).toHaveLength(1);
  });

  test('active: moving the start (by a second or more) expires the old and creates a new one', () => {
    const s = newSilences();
    const id = s.set(input());
    clock.advance(60_000);
    const id2 = s.set(input({ id, startsAt: T0 + 1000, endsAt: T0 + H }));
    expect(id2).not.toBe(id);
    expect(s.get(id)).toMatchObject({ endsAt: T0 + 60_000, updatedAt: T0 + 60_000 });
    expect(s.get(id2)).toMatchObject({ startsAt: T0 + 60_000, endsAt: T0 + H });
  });

  test('active: an end in the past is not an in-place update', () => {
    const s = newSilences();
    const id = s.set(input());
    clock.advance(30 * 60_000);
    const id2 = s.set(input({ id, startsAt: T0, endsAt: T0 + 10 * 60_000 }));
    expect(id2).not.toBe(id);
    expect(s.get(id)!.endsAt).toBe(clock.now());
  });

  test('changed matchers always create a new silence', () => {
    const s = newSilences();
    const id = s.set(input());
    clock.advance(1);
    const id2 = s.set(input({ id, matcherSets: [[eq('alertname', 'B')]] }));
    expect(id2).not.toBe(id);
    expect(s.get(id)!.endsAt).toBe(T0 + 1);
    clock.advance(1);
    expect(s.activeMatching({ alertname: 'A' })).toEqual([]);
    expect(s.activeMatching({ alertname: 'B' })).toEqual([id2]);
  });

  test('pending: in place while the new start is not in the past', () => {
    const s = newSilences();
    const id = s.set(input({ startsAt: T0 + H, endsAt: T0 + 2 * H }));
    expect(s.set(input({ id, startsAt: T0 + 30 * 60_000, endsAt: T0 + 2 * H }))).toBe(id);
    const id2 = s.set(input({ id, startsAt: T0 - 1000, endsAt: T0 + 2 * H }));
    expect(id2).not.toBe(id);
    // the pending one was expired: start and end set to now
    expect(s.get(id)).toMatchObject({ startsAt: T0, endsAt: T0 });
    expect(s.get(id2)!.startsAt).toBe(T0);
  });

  test('expired: never in place; the old one is left as it was', () => {
    const s = newSilences();
    const id = s.set(input());
    clock.advance(2 * H);
    const before = s.get(id)!;
    const id2 = s.set(input({ id, startsAt: clock.now(), endsAt: clock.now() + H }));
    expect(id2).not.toBe(id);
    expect(s.get(id)).toBe(before);
  });
});

describe('Silences.expire()', () => {
  test('active → end now; pending → start and end now; expired → unchanged; unknown → NotFound', () => {
    const s = newSilences();
    const active = s.set(input());
    const pending = s.set(input({ startsAt: T0 + H, endsAt: T0 + 2 * H }));
    clock.advance(1000);
    s.expire(active);
    s.expire(pending);
    expect(s.get(active)).toMatchObject({ startsAt: T0, endsAt: T0 + 1000, updatedAt: T0 + 1000 });
    expect(s.get(pending)).toMatchObject({ startsAt: T0 + 1000, endsAt: T0 + 1000 });
    clock.advance(1);
    const snapshot = s.get(active);
    s.expire(active);
    expect(s.get(active)).toBe(snapshot);
    expect(() => s.expire('nope')).toThrow(new NotFoundError('silence not found'));
    expect(s.query({ states: ['expired'] })).toHaveLength(2);
    expect(s.activeMatching({ alertname: 'A' })).toEqual([]);
  });
});

describe('Silences.gc() and retention', () => {
  test('removes silences retention after their end, also from the database', () => {
    const s = newSilences({ retention: 10 * H });
    const a = s.set(input({ endsAt: T0 + H }));
    const b = s.set(input({ endsAt: T0 + 5 * H }));
    clock.advance(11 * H - 1);
    expect(s.gc()).toBe(0);
    clock.advance(1);
    expect(s.gc()).toBe(1);
    expect(s.get(a)).toBeUndefined();
    expect(s.get(b)).toBeDefined();
    const reopened = newSilences({ retention: 10 * H });
    expect(reopened.get(a)).toBeUndefined();
    expect(reopened.get(b)).toBeDefined();
  });

  test('maintenance runs GC on the clock', () => {
    const s = newSilences({ retention: H });
    const a = s.set(input({ endsAt: T0 + H }));
    s.startMaintenance(15 * 60_000);
    clock.advance(2 * H);
    expect(s.get(a)).toBeUndefined();
    s.stop();
    expect(clock.timers).toHaveLength(0);
  });

  test('silences past retention are not loaded', () => {
    const s = newSilences({ retention: H });
    const a = s.set(input({ endsAt: T0 + H }));
    clock.advance(3 * H);
    const b = newSilences({ retention: H });
    expect(b.get(a)).toBeUndefined();
    expect(s.get(a)).toBeDefined(); // the first instance has not run GC yet
  });
});

describe('limits', () => {
  test('max silences counts expired ones and applies only to new silences', () => {
    const s = newSilences({ maxSilences: 2 });
    const a = s.set(input());
    s.set(input());
    expect(() => s.set(input())).toThrow('exceeded maximum number of silences: 2 (limit: 2)');
    s.expire(a);
    expect(() => s.set(input())).toThrow('exceeded maximum number of silences: 2 (limit: 2)');
    // an in-place update is still allowed
    const b = s.query({ states: ['active'] })[0]!.id;
    expect(s.set(input({ id: b, comment: 'edited' }))).toBe(b);
  });

  test('max size', () => {
    const s = newSilences({ maxSilenceSizeBytes: 200 });
    s.set(input());
    expect(() => s.set(input({ comment: 'x'.repeat(300) }))).toThrow(/^silence exceeded maximum size: \d+ bytes \(limit: 200 bytes\)$/);
  });
});

describe('query()', () => {
  test('by ids, states and labels', () => {
    const s = newSilences();
    const a = s.set(input());
    const b = s.set(input({ matcherSets: [[re('alertname', 'A|B'), { type: '!=', name: 'env', value: 'dev' }]] }));
    const c = s.set(input({ startsAt: T0 + H, endsAt: T0 + 2 * H }));
    const ids = (xs: { id: string }[]) => xs.map((x) => x.id).sort();
    expect(ids(s.query({ ids: [a, c, 'nope'] }))).toEqual([a, c].sort());
    expect(ids(s.query({ ids: [a, c], states: ['pending'] }))).toEqual([c]);
    expect(ids(s.query({ matches: { alertname: 'A' }, states: ['active'] }))).toEqual([a, b].sort());
    expect(ids(s.query({ matches: { alertname: 'A', env: 'dev' }, states: ['active'] }))).toEqual([a]);
    expect(ids(s.query({ matches: { alertname: 'B' } }))).toEqual([b]);
    expect(ids(s.query({ matches: { alertname: 'A' }, states: ['active', 'pending'] }))).toEqual([a, b, c].sort());
  });

  test('multiple matcher sets are ORed', () => {
    const s = newSilences();
    const id = s.set(input({ matcherSets: [[eq('a', '1')], [eq('b', '2'), eq('c', '3')]] }));
    expect(s.activeMatching({ a: '1' })).toEqual([id]);
    expect(s.activeMatching({ b: '2' })).toEqual([]);
    expect(s.activeMatching({ b: '2', c: '3' })).toEqual([id]);
  });

  test('indexed matching agrees with brute force on random silences', () => {
    const s = newSilences();
    let seed = 42;
    const rnd = (n: number) => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed % n;
    };
    const names = ['alertname', 'job', 'env', 'team'];
    const values = ['a', 'b', 'c', ''];
    const randomMatcher = (): SilenceMatcherInput => {
      const name = names[rnd(names.length)]!;
      const value = values[rnd(3)]!;
      switch (rnd(6)) {
        case 0:
          return { type: '=~', name, value: `${value}|x` };
        case 1:
          return { type: '!=', name, value: values[rnd(4)]! };
        case 2:
          return { type: '!~', name, value: rnd(2) ? '.*' : `${value}.*` };
        case 3:
          return { type: '=', name, value: '' };
        default:
          return { type: '=', name, value };
      }
    };
    for (let i = 0; i < 400; i++) {
      const sets = Array.from({ length: 1 + rnd(2) }, () => Array.from({ length: 1 + rnd(3) }, randomMatcher));
      const start = T0 + (rnd(3) - 1) * H;
      try {
        s.set(input({ matcherSets: sets, startsAt: start, endsAt: start + 2 * H }));
      } catch {
        // sets matching only "" are rejected, as upstream
      }
    }
    // expire some
    for (const x of s.query().slice(0, 50)) s.expire(x.id);
    clock.advance(30 * 60_000);
    const all = s.query();
    expect(all.length).toBeGreaterThan(200);
    for (let i = 0; i < 300; i++) {
      const labels: Record<string, string> = {};
      for (const n of names) if (rnd(4) > 0) labels[n] = values[rnd(4)]!;
      const want = all
        .filter((x) => x.startsAt <= clock.now() && clock.now() <= x.endsAt && silenceMatches(x, labels))
        .map((x) => x.id)
        .sort();
      const got = s.activeMatching(labels).sort();
      expect([labels, got]).toEqual([labels, want]);
    }
  });
});

describe('metrics', () => {
  test('alertmanager_silences by state and the other series', async () => {
    const s = newSilences();
    s.set(input());
    s.set(input({ startsAt: T0 + H, endsAt: T0 + 2 * H }));
    s.expire(s.set(input()));
    clock.advance(1); // an end equal to now still counts as active (upstream getState)
    s.query({ matches: { alertname: 'A' }, states: ['active'] });
    s.runMaintenance();
    const text = await registry.metrics();
    expect(text).toContain('alertmanager_silences{state="active"} 1');
    expect(text).toContain('alertmanager_silences{state="pending"} 1');
    expect(text).toContain('alertmanager_silences{state="expired"} 1');
    for (const name of [
      'alertmanager_silences_gc_duration_seconds_count 1',
      'alertmanager_silences_gc_errors_total 0',
      'alertmanager_silences_snapshot_duration_seconds_count 1',
      'alertmanager_silences_maintenance_total 1',
      'alertmanager_silences_maintenance_errors_total 0',
      'alertmanager_silences_queries_total 1',
      'alertmanager_silences_query_errors_total 0',
      'alertmanager_silences_query_duration_seconds_count 1',
      'alertmanager_silences_state_size 3',
      'alertmanager_silences_matcher_compile_errors_total{stage="index"} 0',
      'alertmanager_silences_gossip_messages_propagated_total 0',
    ]) {
      expect(text).toContain(name);
    }
    expect(text).toMatch(/alertmanager_silences_snapshot_size_bytes [1-9]\d*/);
  });
});

describe('Silencer', () => {
  test('mutes while a matching silence is active and records silencedBy', () => {
    const s = newSilences();
    const marker = new AlertMarker();
    const silencer = new Silencer({ silences: s, marker, clock });
    const labels: LabelSet = { alertname: 'A', job: 'x' };
    expect(silencer.mutes(labels, 'fp1')).toBe(false);
    expect(marker.status('fp1').state).toBe('active');

    const id = s.set(input({ startsAt: T0 + H, endsAt: T0 + 2 * H }));
    expect(silencer.mutes(labels, 'fp1')).toBe(false); // pending
    clock.advance(H);
    expect(silencer.mutes(labels, 'fp1')).toBe(true); // became active without a version change
    expect(marker.status('fp1')).toMatchObject({ state: 'suppressed', silencedBy: [id] });

    const id2 = s.set(input({ matcherSets: [[re('job', 'x|y')]] }));
    expect(silencer.mutes(labels, 'fp1')).toBe(true);
    expect(marker.status('fp1').silencedBy.sort()).toEqual([id, id2].sort());

    s.expire(id);
    s.expire(id2);
    clock.advance(1);
    expect(silencer.mutes(labels, 'fp1')).toBe(false);
    expect(marker.status('fp1')).toMatchObject({ state: 'active', silencedBy: [] });
  });

  test('the cache holds only alerts seen since the last silence change', () => {
    const s = newSilences();
    const silencer = new Silencer({ silences: s, marker: new AlertMarker(), clock });
    silencer.mutes({ alertname: 'A' }, 'a');
    silencer.mutes({ alertname: 'B' }, 'b');
    expect(silencer.cacheSize).toBe(2);
    s.set(input());
    expect(silencer.mutes({ alertname: 'A' }, 'a')).toBe(true);
    expect(silencer.cacheSize).toBe(1);
    silencer.forget('a');
    expect(silencer.cacheSize).toBe(0);
  });

  test('a silence reaching its end stops muting with no write', () => {
    const s = newSilences();
    const silencer = new Silencer({ silences: s, marker: new AlertMarker(), clock });
    s.set(input({ endsAt: T0 + H }));
    expect(silencer.mutes({ alertname: 'A' })).toBe(true);
    clock.advance(H + 1);
    expect(silencer.mutes({ alertname: 'A' })).toBe(false);
  });

  test('10k silences sharing alertname="Target": a check is filed under the rarer equality value, not the shared one', () => {
    const s = newSilences();
    db.transaction(() => {
      for (let i = 0; i < 10_000; i++) s.set(input({ matcherSets: [[eq('alertname', 'Target'), eq('instance', `i${i}`)]], endsAt: T0 + 24 * H }));
    })();
    const silencer = new Silencer({ silences: s, marker: new AlertMarker(), clock });
    const scanned = () => metricValue('alertmanager_silences_query_silences_scanned_total');
    let worst = 0;
    let muted = 0;
    for (let n = 0; n < 1000; n++) {
      const before = scanned();
      if (silencer.mutes({ alertname: 'Target', instance: `i${n * 15}` }, `fp${n}`)) muted++;
      worst = Math.max(worst, scanned() - before);
    }
    expect(muted).toBe(667); // i0, i15, ..., i9990
    // its own instance bucket plus the odd silence filed under alertname while the buckets were still equally
    // small: a couple of candidates, where one shared alertname bucket would make every check scan all 10k
    expect(worst).toBeLessThanOrEqual(3);
  });

  test('10k silences (mixed equality/regex): mutes() evaluates a few candidates, not every silence', () => {
    const s = newSilences();
    db.transaction(() => {
      for (const x of tenThousandSilences()) s.set(x);
    })();
    const silencer = new Silencer({ silences: s, marker: new AlertMarker(), clock });
    const alerts = Array.from({ length: 2000 }, (_, i) => ({
      labels: { alertname: `Alert${i * 5}`, env: 'prod', instance: `host-${i}:9100`, job: 'node', severity: 'critical' },
      fp: `fp${i}`,
    }));
    // every matcher a silence holds is a createMatcher object: count their evaluations on the shared prototype
    const evals = jest.spyOn(Object.getPrototypeOf(createMatcher('=', 'a', 'b')) as Matcher, 'matches');
    const scanned = () => metricValue('alertmanager_silences_query_silences_scanned_total');
    try {
      let muted = 0;
      let worstEvals = 0;
      let worstScanned = 0;
      for (const a of alerts) {
        const e0 = evals.mock.calls.length;
        const s0 = scanned();
        if (silencer.mutes(a.labels, a.fp)) muted++;
        worstEvals = Math.max(worstEvals, evals.mock.calls.length - e0);
        worstScanned = Math.max(worstScanned, scanned() - s0);
      }
      expect(muted).toBeGreaterThan(1000);
      // an alert is confirmed against the few silences filed under its own label values (equality value or
      // regex literal prefix), never against all 10k: a handful of sets and a few dozen matchers at most
      expect(worstScanned).toBeLessThanOrEqual(8);
      expect(worstEvals).toBeLessThanOrEqual(24);
      // the cached path evaluates no matcher at all while the silences are unchanged
      evals.mockClear();
      for (const a of alerts) silencer.mutes(a.labels, a.fp);
      expect(evals).not.toHaveBeenCalled();
      // for contrast, the unindexed answer evaluates (at least) one matcher per silence
      const probe = alerts[3]!.labels;
      evals.mockClear();
      const brute = s.query().filter((x) => silenceMatches(x, probe)).map((x) => x.id).sort();
      expect(evals.mock.calls.length).toBeGreaterThanOrEqual(10_000);
      // and gives the same answer
      expect(s.activeMatching(probe).sort()).toEqual(brute);
    } finally {
      evals.mockRestore();
    }
  });
});

test('createMatcher objects are accepted as silence matchers', () => {
  const s = newSilences();
  const id = s.set(input({ matcherSets: [[createMatcher('=~', 'alertname', 'A.*')]] }));
  expect(s.activeMatching({ alertname: 'Abc' })).toEqual([id]);
});

describe('applyStored / replaceAll (silences written by another replica, issue 13)', () => {
  const stored = (id: string, value: string, endsAt = T0 + H) => ({
    silence: { id, matcherSets: [[{ type: '=' as const, name: 'alertname', value }]], startsAt: Math.min(T0, endsAt), endsAt, updatedAt: T0, createdBy: 'r1', comment: '', annotations: {} },
    expiresAt: endsAt + 120 * H,
  });

  it('takes in created, updated and removed silences, memory only, and bumps the version', () => {
    const s = newSilences();
    const v0 = s.version();
    s.applyStored([stored('a', 'X'), stored('b', 'Y')]);
    expect(s.activeMatching({ alertname: 'X' })).toEqual(['a']);
    expect(s.version()).toBeGreaterThan(v0);
    // expired elsewhere: leaves the index, stays queryable
    s.applyStored([stored('a', 'X', T0 - 1)], ['b']);
    expect(s.activeMatching({ alertname: 'X' })).toEqual([]);
    expect(s.get('a')?.endsAt).toBe(T0 - 1);
    expect(s.get('b')).toBeUndefined();
    expect(s.activeMatching({ alertname: 'Y' })).toEqual([]);
    // nothing was written to this replica's own store
    expect(new SilenceStore(db).loadAll()).toEqual([]);
  });

  it('replaceAll drops what the store no longer has', () => {
    const s = newSilences();
    const id = s.set(input());
    s.replaceAll([stored('c', 'Z')]);
    expect(s.get(id)).toBeUndefined();
    expect(s.activeMatching({ alertname: 'A' })).toEqual([]);
    expect(s.activeMatching({ alertname: 'Z' })).toEqual(['c']);
  });
});
