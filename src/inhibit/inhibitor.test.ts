import { eq, mkAlert } from '../../test/acceptance/support/fixtures';
import { MemProvider } from '../../test/acceptance/support/mem-provider';
import { AlertMarker } from '../types/marker';
import { systemClock } from '../types/clock';
import { Inhibitor } from './inhibitor';

describe('Inhibitor', () => {
  beforeEach(() => jest.useFakeTimers({ now: 1_700_000_000_000 }));
  afterEach(() => jest.useRealTimers());

  function setup(equal = ['job', 'zone']) {
    const provider = new MemProvider(systemClock);
    const marker = new AlertMarker();
    const inh = new Inhibitor({
      rules: [{ source_matchers: [eq('alertname', 'JobDown')], target_matchers: [eq('alertname', 'InstanceDown')], equal }],
      alerts: provider,
      marker,
      clock: systemClock,
    });
    inh.start();
    return { provider, marker, inh };
  }
  const now = () => Date.now();

  test('mutes() inhibits a target with equal labels and records inhibitedBy', () => {
    const { provider, marker, inh } = setup();
    const src = mkAlert({ alertname: 'JobDown', job: 'j', zone: 'aa' }, { startsAt: now(), endsAt: now() + 60_000 });
    provider.put([src]);
    const aa = mkAlert({ alertname: 'InstanceDown', job: 'j', zone: 'aa' });
    const ab = mkAlert({ alertname: 'InstanceDown', job: 'j', zone: 'ab' });
    expect(inh.mutes(aa.labels, aa.fingerprint)).toBe(true);
    expect(marker.status(aa.fingerprint)).toMatchObject({ state: 'suppressed', inhibitedBy: [src.fingerprint] });
    expect(inh.mutes(ab.labels, ab.fingerprint)).toBe(false);
    expect(marker.status(ab.fingerprint).inhibitedBy).toEqual([]);
  });

  test('a resolved source no longer inhibits', () => {
    const { provider, inh } = setup();
    provider.put([mkAlert({ alertname: 'JobDown', job: 'j', zone: 'aa' }, { startsAt: now(), endsAt: now() + 1000 })]);
    const aa = mkAlert({ alertname: 'InstanceDown', job: 'j', zone: 'aa' });
    expect(inh.mutes(aa.labels, aa.fingerprint)).toBe(true);
    jest.advanceTimersByTime(1000);
    expect(inh.mutes(aa.labels, aa.fingerprint)).toBe(false);
  });

  test('missing equal labels count as empty on both sides', () => {
    const { provider, inh } = setup(['zone']);
    provider.put([mkAlert({ alertname: 'JobDown' }, { startsAt: now(), endsAt: now() + 60_000 })]);
    expect(inh.mutes({ alertname: 'InstanceDown' }, 'x')).toBe(true);
    expect(inh.mutes({ alertname: 'InstanceDown', zone: 'a' }, 'y')).toBe(false);
  });

  test('an alert matching both sides never inhibits itself; an empty rule inhibits nothing', () => {
    const provider = new MemProvider(systemClock);
    const inh = new Inhibitor({ rules: [{ source_matchers: [], target_matchers: [], equal: [] }, null], alerts: provider, clock: systemClock });
    inh.start();
    const a = mkAlert({ alertname: 'A' }, { startsAt: now(), endsAt: now() + 60_000 });
    provider.put([a]);
    expect(inh.mutes(a.labels, a.fingerprint)).toBe(false);
    expect(inh.mutes({ alertname: 'B' }, 'b')).toBe(false);
  });

  test('deleted sources are forgotten', () => {
    const provider = new MemProvider(systemClock);
    const inh = new Inhibitor({
      rules: [{ source_matchers: [eq('alertname', 'JobDown')], target_matchers: [eq('alertname', 'InstanceDown')], equal: [] }],
      alerts: provider,
      clock: systemClock,
    });
    inh.start();
    const src = mkAlert({ alertname: 'JobDown' }, { startsAt: now(), endsAt: now() + 60_000 });
    provider.put([src]);
    expect(inh.inhibitedBy({ alertname: 'InstanceDown' })).toBe(src.fingerprint);
    provider.remove([src.fingerprint]);
    expect(inh.inhibitedBy({ alertname: 'InstanceDown' })).toBeUndefined();
  });

  test('1k sources: a check is a lookup, not a scan (matcher evaluations do not grow with the sources)', () => {
    // Count every matcher evaluation of the rule (source and target side) through spies on its matchers.
    function checkCost(nSources: number): { evals: number; muted: number; indexed: number } {
      const { provider, inh } = setup(['instance']);
      const rule = inh.rules[0]!;
      const spies = [...rule.sourceMatchers, ...rule.targetMatchers].map((m) => jest.spyOn(m, 'matches'));
      const sources = [];
      for (let i = 0; i < nSources; i++) sources.push(mkAlert({ alertname: 'JobDown', instance: `i${i}` }, { startsAt: now(), endsAt: now() + 60_000 }));
      provider.put(sources);
      for (const s of spies) s.mockClear();
      let muted = 0;
      for (let i = 0; i < 2 * nSources; i++) if (inh.inhibitedBy({ alertname: 'InstanceDown', instance: `i${i}` })) muted++;
      const evals = spies.reduce((n, s) => n + s.mock.calls.length, 0);
      for (const s of spies) s.mockRestore();
      return { evals: evals / (2 * nSources), muted, indexed: rule.indexedSources };
    }
    const small = checkCost(10);
    const big = checkCost(1000);
    expect(big.indexed).toBe(1000);
    expect(big.muted).toBe(1000); // i0..i999 inhibited, i1000..i1999 not
    expect(small.muted).toBe(10);
    // one target-side check plus at most one source-side check (self-inhibition guard) per lookup,
    // whatever the number of sources: a scan would evaluate the source side once per source
    expect(big.evals).toBeLessThanOrEqual(2);
    expect(big.evals).toBe(small.evals);
  });
});
