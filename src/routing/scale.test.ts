/**
 * Scale check (brief: design for 10k groups and 100k alerts): ingest 100k alerts into 10k groups through
 * the dispatcher with 1k inhibition sources, then run a flush-time inhibition check for each.
 * Asserts structure, not wall-clock time: one timer per group, a bounded number of matcher evaluations per
 * ingested alert and per check (no scans), and the same work for the second half of the alerts as for the
 * first (ingest cost does not grow with what is already held). The timings live in bench/micro/routing.ts.
 */
import { Registry } from 'prom-client';
import { eq, mkAlert, route } from '../../test/acceptance/support/fixtures';
import { MemProvider } from '../../test/acceptance/support/mem-provider';
import type { Matcher } from '../matchers/types';
import { Inhibitor } from '../inhibit/inhibitor';
import { Nflog } from '../nflog/nflog';
import { buildPipeline } from '../pipeline/pipeline-builder';
import { systemClock } from '../types/clock';
import { silentLogger } from '../types/logger';
import { AlertMarker } from '../types/marker';
import { FlushSlices } from './flush-slices';
import { Dispatcher } from './dispatcher';
import { buildRouteTree } from './route';

test('100k alerts in 10k groups with 1k inhibition sources', () => {
  jest.useFakeTimers({ now: 1_700_000_000_000, doNotFake: ['nextTick', 'queueMicrotask'] }) /* real: getTimerCount() also counts queued fake jobs */;
  // every matcher of the route tree and the inhibition rule counts its evaluations
  let n = 0;
  const counted = (m: Matcher): Matcher => {
    const inner = m.matches.bind(m);
    m.matches = (v: string) => {
      n++;
      return inner(v);
    };
    return m;
  };
  const evals = () => n;
  try {
    const clock = systemClock;
    const provider = new MemProvider(clock);
    const marker = new AlertMarker();
    const inhibitor = new Inhibitor({
      rules: [{ source_matchers: [counted(eq('alertname', 'NodeDown'))], target_matchers: [counted(eq('severity', 'warning'))], equal: ['instance'] }],
      alerts: provider,
      marker,
      clock,
    });
    const nflog = new Nflog({ clock });
    const stages = buildPipeline({ receivers: new Map([['r', []]]), inhibitor, timeIntervals: { specs: new Map(), isActive: () => false }, nflog, clock });
    const rt = buildRouteTree(
      route({
        receiver: 'r',
        group_by: ['alertname', 'instance'],
        group_wait: 30_000,
        group_interval: 300_000,
        repeat_interval: 3600_000,
        routes: [route({ receiver: 'r', matchers: [counted(eq('team', 'a'))], continue: true }), route({ receiver: 'r', matchers: [counted(eq('team', 'b'))] })],
      }),
    );
    // the fake clock for slicing: no stray setImmediate when this machine is slow (the timer count below)
    const d = new Dispatcher({ route: rt, alerts: provider, stages, clock, logger: silentLogger(), registry: new Registry(), slices: new FlushSlices(10, () => Date.now()) });
    inhibitor.start();
    d.start();
    const now = Date.now();
    const sources = [];
    for (let i = 0; i < 1000; i++) sources.push(mkAlert({ alertname: 'NodeDown', instance: `i${i}` }, { startsAt: now, endsAt: now + 3600_000 }));
    provider.put(sources);
    const alerts = [];
    for (let g = 0; g < 9000; g++) {
      for (let k = 0; k < 11; k++) {
        alerts.push(mkAlert({ alertname: `A${g % 9}`, instance: `i${Math.floor(g / 9)}`, team: g % 2 ? 'a' : 'b', severity: 'warning', k: String(k) }, { startsAt: now, endsAt: now + 3600_000 }));
      }
    }
    const e0 = evals();
    const perBatch = new Set<number>();
    for (let i = 0; i < alerts.length; i += 1000) {
      const before = evals();
      provider.put(alerts.slice(i, i + 1000));
      perBatch.add(evals() - before);
    }
    const e1 = evals();
    expect(provider.count()).toBe(100_000);
    expect(d.groupCount).toBe(10_000); // 9k target groups + 1k source groups
    // one timer per aggregation group (plus the inhibitor's GC timer), none per alert
    expect(jest.getTimerCount()).toBeLessThanOrEqual(d.groupCount + 1);
    // ingest: the two child routes' matchers plus the rule's source matcher, at most, per alert
    expect((e1 - e0) / alerts.length).toBeLessThanOrEqual(3);
    // O(N): the last batch of 1000 costs what the first did, though ~99k more alerts and 10k groups are held by then
    expect(perBatch.size).toBe(1);
    // flush-time inhibition check: one target-side evaluation and one index lookup, never a scan of the 1k sources
    const c0 = evals();
    let inhibited = 0;
    for (const a of alerts) if (inhibitor.mutes(a.labels, a.fingerprint)) inhibited++;
    expect(inhibited).toBe(99_000);
    expect((evals() - c0) / alerts.length).toBeLessThanOrEqual(2);
    d.stop();
    inhibitor.stop();
  } finally {
    jest.useRealTimers();
  }
});
