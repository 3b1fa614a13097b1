import { mkAlert } from '../../test/acceptance/support/fixtures';
import { Nflog } from '../nflog/nflog';
import { notifyContext } from '../../test/helpers/notify-context';
import { DedupStage } from './dedup-stage';
import { MuteStage } from './mute-stage';
import { ResolvedGuard } from './resolved-guard';
import { TimeMuteStage } from './time-mute-stage';
import type { IntegrationRef, NotifyContext } from './types';

const NOW = 1_700_000_000_000;
const A: IntegrationRef = { groupName: 'r', integration: 'webhook', idx: 0 };
const B: IntegrationRef = { groupName: 'r', integration: 'webhook', idx: 1 };

function ctx(o: Partial<NotifyContext> = {}): NotifyContext {
  return notifyContext({ now: NOW, repeatInterval: 3600_000, ...o });
}

describe('resolved guard (resolved_after_mute)', () => {
  const firing = mkAlert({ alertname: 'F' }, { startsAt: NOW - 5000 });
  const resolved = mkAlert({ alertname: 'R' }, { startsAt: NOW - 5000, endsAt: NOW - 10 });
  const fresh = mkAlert({ alertname: 'N' }, { startsAt: NOW - 5000, endsAt: NOW - 10 });
  const all = () => true;
  let nflog: Nflog;
  beforeEach(() => {
    nflog = new Nflog({ clock: { now: () => NOW - 1000, setTimer: () => ({ cancel() {} }) } });
    // integration A was told F and R fire; B (no send_resolved in this receiver) was told the same
    nflog.log(A, 'g', [firing.fingerprint, resolved.fingerprint], [], 3600_000);
    nflog.log(B, 'g', [firing.fingerprint, resolved.fingerprint], [], 3600_000);
  });

  test('a muted resolved alert the receiver was told fires passes; a firing or never-notified one stays muted', async () => {
    const s = new MuteStage({ mutes: all }, 'silence', undefined, new ResolvedGuard(nflog, [A]));
    const r = await s.exec(ctx(), [firing, resolved, fresh]);
    expect(r.alerts).toEqual([resolved]);
    expect([...(r.ctx.guaranteed ?? [])]).toEqual([[resolved.fingerprint, 'silenced']]);
  });

  test('without a guard the stage mutes everything (Alertmanager)', async () => {
    const r = await new MuteStage({ mutes: all }, 'inhibition').exec(ctx(), [firing, resolved]);
    expect(r.alerts).toEqual([]);
  });

  test('a time-muted flush lets the notified resolved alert through', async () => {
    const intervals = { specs: new Map([['always', []]]), isActive: () => true };
    const r = await new TimeMuteStage(intervals, undefined, new ResolvedGuard(nflog, [A])).exec(ctx({ muteTimeIntervals: ['always'] }), [firing, resolved]);
    expect(r.alerts).toEqual([resolved]);
    expect(r.ctx.guaranteed?.get(resolved.fingerprint)).toBe('muted by time interval');
  });

  test('the dedup stage sends it only to integrations with send_resolved that were told it fires', async () => {
    const r = await new MuteStage({ mutes: all }, 'silence', undefined, new ResolvedGuard(nflog, [A])).exec(ctx(), [firing, resolved]);
    const toA = await new DedupStage(nflog, A, true).exec(r.ctx, r.alerts);
    expect(toA.alerts).toEqual([resolved]);
    expect(toA.ctx.notificationReason).toBe('all alerts resolved');
    const toB = await new DedupStage(nflog, B, false).exec(r.ctx, r.alerts);
    expect(toB.alerts).toEqual([]);
    const other = await new DedupStage(nflog, { ...A, idx: 2 }, true).exec(r.ctx, r.alerts);
    expect(other.alerts).toEqual([]);
  });
});
