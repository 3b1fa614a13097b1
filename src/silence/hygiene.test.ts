import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ManualClock } from '../../test/helpers/manual-clock';
import { openDatabase } from '../store/db';
import { SilenceStore } from '../store/silences';
import type { Alert } from '../types/alert';
import { silentLogger } from '../types/logger';
import { AlertMarker } from '../types/marker';
import { createMatcher } from '../matchers/matcher';
import { muteShare, muteShareWarning } from './hygiene';
import { Silencer } from './silencer';
import { Silences } from './silences';
import { silenceState } from './types';

const H = 3600_000;
const T0 = Date.parse('2026-05-01T00:00:00Z');
const alert = (labels: Record<string, string>, endsAt = T0 + H): Alert =>
  ({ labels, annotations: {}, startsAt: T0 - H, endsAt, updatedAt: T0, generatorURL: '', fingerprint: JSON.stringify(labels) }) as unknown as Alert;
const eq = (name: string, value: string) => ({ type: '=' as const, name, value });

describe('muteShareWarning (silences.warn_mute_share)', () => {
  const alerts = [
    alert({ job: 'db', i: '1' }),
    alert({ job: 'db', i: '2' }),
    alert({ job: 'db', i: '3' }),
    alert({ job: 'web', i: '4' }),
    alert({ job: 'db', i: '5' }, T0 - 1), // resolved: not firing, not counted
  ];
  const silence = { matcherSets: [[createMatcher('=', 'job', 'db')]] };
  it('counts the firing alerts muted', () => {
    expect(muteShare(silence, alerts, T0)).toEqual({ muted: 3, firing: 4 });
  });
  it('warns above the share only, and never with share 0', () => {
    expect(muteShareWarning(silence, alerts, T0, 0.5)).toBe('this silence mutes 3 of 4 firing alerts (75%), more than silences.warn_mute_share (50%)');
    expect(muteShareWarning(silence, alerts, T0, 0.75)).toBeUndefined();
    expect(muteShareWarning(silence, alerts, T0, 0)).toBeUndefined();
    expect(muteShareWarning(silence, [], T0, 0.1)).toBeUndefined();
  });
});

describe('Silences.expireUnmatched (silences.expire_unmatched_after)', () => {
  it('expires an active silence that muted nothing for that long, keeps one that mutes, and records why', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hyg-'));
    const db = openDatabase(dir);
    const clock = new ManualClock(T0);
    const silences = new Silences({ store: new SilenceStore(db), clock, logger: silentLogger(), retention: 120 * H });
    const silencer = new Silencer({ silences, marker: new AlertMarker(), clock });
    const base = { startsAt: T0, endsAt: T0 + 48 * H, createdBy: 'ann', comment: 'x' };
    const used = silences.set({ ...base, matcherSets: [[eq('job', 'db')]] });
    const unused = silences.set({ ...base, matcherSets: [[eq('job', 'gone')]] });
    const later = silences.set({ ...base, startsAt: T0 + 5 * H, matcherSets: [[eq('job', 'later')]] });
    silences.setExpireUnmatchedAfter(2 * H);

    clock.advance(H);
    expect(silencer.mutes({ job: 'db' })).toBe(true); // a flush sees `used` mute an alert
    silences.runMaintenance();
    expect(silences.query({ states: ['expired'] })).toEqual([]);

    clock.advance(H + 1); // 2h after the start: `unused` never matched; `used` matched 1h ago
    silences.runMaintenance();
    clock.advance(1);
    expect([used, unused, later].map((id) => silenceState(silences.get(id)!, clock.now()))).toEqual(['active', 'expired', 'pending']);
    const audit = await silences.audit(unused);
    expect(audit.at(-1)).toMatchObject({ action: 'expire', reason: 'matched no alert for 2h (silences.expire_unmatched_after)' });
    expect(audit.at(-1)!.user).toBeUndefined();

    clock.advance(3 * H); // `used` has not matched for 4h; `later` has just started
    silences.runMaintenance();
    clock.advance(1);
    expect([used, later].map((id) => silenceState(silences.get(id)!, clock.now()))).toEqual(['expired', 'active']);
    silences.setExpireUnmatchedAfter(0);
    clock.advance(10 * H);
    silences.runMaintenance();
    expect(silenceState(silences.get(later)!, clock.now())).toBe('active');
    silences.stop();
    db.close();
    rmSync(dir, { recursive: true, force: true });
  });
});

describe('expire_unmatched_after with alerts flushed elsewhere', () => {
  it('keeps a silence that mutes a firing alert this replica never flushed (another replica owns its group)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hyg-'));
    const db = openDatabase(dir);
    const clock = new ManualClock(T0);
    const firing = [{ job: 'db' }];
    const silences = new Silences({ store: new SilenceStore(db), clock, logger: silentLogger(), retention: 120 * H, firing: () => firing });
    const base = { startsAt: T0, endsAt: T0 + 48 * H, createdBy: 'ann', comment: 'x' };
    const used = silences.set({ ...base, matcherSets: [[eq('job', 'db')]] });
    const unused = silences.set({ ...base, matcherSets: [[eq('job', 'web')]] });
    clock.advance(3 * H);
    expect(silences.expireUnmatched(2 * H)).toEqual([unused]);
    firing.length = 0; // the alert resolved: 2h later the silence goes too
    clock.advance(2 * H);
    expect(silences.expireUnmatched(2 * H)).toEqual([used]);
    silences.stop();
    db.close();
    rmSync(dir, { recursive: true, force: true });
  });
});
