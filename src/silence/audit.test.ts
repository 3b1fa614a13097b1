import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ManualClock } from '../../test/helpers/manual-clock';
import { openDatabase } from '../store/db';
import { SilenceStore } from '../store/silences';
import { silentLogger } from '../types/logger';
import { Silences } from './silences';

const H = 3600_000;

describe('silence audit trail', () => {
  it('keeps every create, update and expire with who and what changed, durably, and links an edit that replaced the silence', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'audit-'));
    const clock = new ManualClock(Date.parse('2026-05-01T10:00:00Z'));
    const t0 = clock.now();
    let db = openDatabase(dir);
    let silences = new Silences({ store: new SilenceStore(db), clock, logger: silentLogger(), retention: 120 * H });
    const base = { matcherSets: [[{ type: '=' as const, name: 'job', value: 'db' }]], startsAt: t0, endsAt: t0 + H, createdBy: 'Ann', comment: 'upgrade' };
    const id = await silences.setDurably(base, 'ann');
    clock.advance(60_000);
    expect(silences.set({ ...base, id, endsAt: t0 + 2 * H, comment: 'upgrade, longer' }, 'bob')).toBe(id);
    clock.advance(60_000);
    const id2 = silences.set({ ...base, id, matcherSets: [[{ type: '=~', name: 'job', value: 'db|cache' }]], endsAt: t0 + 2 * H }, 'bob');
    expect(id2).not.toBe(id);
    clock.advance(60_000);
    silences.expire(id2);
    silences.stop();
    db.close();

    // a new process reads the same trail
    db = openDatabase(dir);
    silences = new Silences({ store: new SilenceStore(db), clock, logger: silentLogger(), retention: 120 * H });
    const a = await silences.audit(id);
    expect(a.map((e) => [e.action, e.user, e.time - t0])).toEqual([
      ['create', 'ann', 0],
      ['update', 'bob', 60_000],
      ['expire', 'bob', 120_000],
    ]);
    expect(a[0]!.silence).toEqual({ matchers: ['{job="db"}'], startsAt: t0, endsAt: t0 + H, comment: 'upgrade', createdBy: 'Ann' });
    expect(a[1]!.changes).toEqual({ endsAt: { from: t0 + H, to: t0 + 2 * H }, comment: { from: 'upgrade', to: 'upgrade, longer' } });
    expect(a[2]!.replacedBy).toBe(id2);
    expect(a[2]!.changes).toEqual({ endsAt: { from: t0 + 2 * H, to: t0 + 120_000 } });
    const b = await silences.audit(id2);
    expect(b.map((e) => [e.action, e.user ?? null])).toEqual([['create', 'bob'], ['expire', null]]);
    expect(b[0]!.replaces).toBe(id);
    expect(b[0]!.changes.matchers).toEqual({ from: ['{job="db"}'], to: ['{job=~"db|cache"}'] });

    // garbage collection takes the trail with the silence
    clock.advance(130 * H);
    silences.gc();
    expect(await silences.audit(id)).toEqual([]);
    silences.stop();
    db.close();
    rmSync(dir, { recursive: true, force: true });
  });
});
