import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Registry } from 'prom-client';
import { createMatcher } from '../matchers/matcher';
import type { Matcher } from '../matchers/types';
import { openDatabase } from '../store/db';
import { SilenceStore } from '../store/silences';
import { systemClock } from '../types/clock';
import { silentLogger } from '../types/logger';
import { LazyRegexMatcher } from './lazy-matcher';
import { Silences } from './silences';

describe('LazyRegexMatcher', () => {
  test('compiles on first use and then matches and prints exactly as the compiled matcher', () => {
    for (const [type, value] of [
      ['=~', 'host-1|nohost-.*'],
      ['!~', 'a"b\\.c'],
    ] as const) {
      const errors: unknown[] = [];
      const lazy = new LazyRegexMatcher(type, 'instance', value, (e) => errors.push(e));
      const eager = createMatcher(type, 'instance', value);
      expect(lazy.compiled).toBe(false);
      for (const v of ['host-1', 'nohost-x', 'host-2', '', 'a"b.c', 'a"bxc']) expect(lazy.matches(v)).toBe(eager.matches(v));
      expect(lazy.compiled).toBe(true);
      expect(lazy.toString()).toBe(eager.toString());
      expect(errors).toEqual([]);
    }
  });

  test('a pattern that does not compile is reported once and matches nothing', () => {
    const errors: unknown[] = [];
    const lazy = new LazyRegexMatcher('=~', 'a', '(unclosed', (e) => errors.push(e));
    expect(lazy.matches('(unclosed')).toBe(false);
    expect(lazy.matches('')).toBe(false);
    expect(errors).toHaveLength(1);
  });
});

describe('Silences loaded from SQLite', () => {
  test('regex matchers are not compiled at load, silences match as before the restart', () => {
    const dir = mkdtempSync(join(tmpdir(), 'lazy-sil-'));
    try {
      let db = openDatabase(dir);
      const opts = { clock: systemClock, logger: silentLogger(), retention: 3600_000 };
      const s = new Silences({ store: new SilenceStore(db), ...opts, registry: new Registry() });
      const now = Date.now();
      const id = s.set({
        matcherSets: [[{ type: '=~', name: 'instance', value: 'host-1|nohost-1' }, { type: '=~', name: 'job', value: 'job-.*' }]],
        startsAt: now - 1000,
        endsAt: now + 60_000,
        createdBy: 'me',
        comment: 'c',
      });
      db.close();
      db = openDatabase(dir);
      const reloaded = new Silences({ store: new SilenceStore(db), ...opts, registry: new Registry() });
      const matchers = reloaded.get(id)!.matcherSets[0]! as readonly Matcher[];
      expect(matchers.every((m) => m instanceof LazyRegexMatcher && !m.compiled)).toBe(true);
      expect(reloaded.activeMatching({ instance: 'host-1', job: 'job-7' })).toEqual([id]);
      expect(reloaded.activeMatching({ instance: 'host-1', job: 'other' })).toEqual([]);
      expect(reloaded.activeMatching({ instance: 'host-2', job: 'job-7' })).toEqual([]);
      expect(matchers.map(String)).toEqual(['instance=~"host-1|nohost-1"', 'job=~"job-.*"']);
      db.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
