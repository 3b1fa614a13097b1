/**
 * Scale check (brief: design for 10k groups and 100k alerts): ingest 100k alerts into 10k groups through
 * the dispatcher with 1k inhibition sources, and time ingest and a flush-time inhibition check.
 * Prints the numbers; the asserted bounds are loose (shared 2-core machine).
 */
import { Registry } from 'prom-client';
import { eq, mkAlert, route } from '../../test/acceptance/support/fixtures';
import { MemProvider } from '../../test/acceptance/support/mem-provider';
import { Inhibitor } from '../inhibit/inhibitor';
import { Nflog } from '../nflog/nflog';
import { buildPipeline } from '../pipeline/pipeline-builder';
import { systemClock } from '../types/clock';
import { silentLogger } from '../types/logger';
import { AlertMarker } from '../types/marker';
import { Dispatcher } from './dispatcher';
import { buildRouteTree } from './route';

test('100k alerts in 10k groups with 1k inhibition sources', () => {
  jest.useFakeTimers({ now: 1_700_000_000_000, doNotFake: ['performance'] });
  try {
    const clock = systemClock;
    const provider = new MemProvider(clock);
    const marker = new AlertMarker();
    const inhibitor = new Inhibitor({
      rules: [{ source_matchers: [eq('alertname', 'NodeDown')], target_matchers: [eq('severity', 'warning')], equal: ['instance'] }],
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
        routes: [route({ receiver: 'r', matchers: [eq('team', 'a')], continue: true }), route({ receiver: 'r', matchers: [eq('team', 'b')] })],
      }),
    );
    const d = new Dispatcher({ route: rt, alerts: provider, stages, clock, logger: silentLogger(), registry: new Registry() });
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
    const t0 = performance.now();
    for (let i = 0; i < alerts.length; i += 1000) provider.put(alerts.slice(i, i + 1000));
    const ingestMs = performance.now() - t0;
    const total = provider.count();
    const t1 = performance.now();
    let inhibited = 0;
    for (const a of alerts) if (inhibitor.mutes(a.labels, a.fingerprint)) inhibited++;
    const checkMs = performance.now() - t1;
    const perAlertUs = (ingestMs * 1000) / alerts.length;
    const heapMb = process.memoryUsage().heapUsed / 1e6;
    console.log(
      `alerts held=${total} groups=${d.groupCount} timers=${jest.getTimerCount()} ingest=${ingestMs.toFixed(0)}ms (${perAlertUs.toFixed(1)}us/alert) ` +
        `inhibition checks=${alerts.length} in ${checkMs.toFixed(0)}ms (${((checkMs * 1000) / alerts.length).toFixed(2)}us/check, ${inhibited} inhibited) heap=${heapMb.toFixed(0)}MB`,
    );
    expect(total).toBe(100_000);
    expect(d.groupCount).toBe(10_000); // 9k target groups + 1k source groups
    expect(jest.getTimerCount()).toBeLessThanOrEqual(d.groupCount + 1);
    expect(inhibited).toBe(99_000);
    expect(perAlertUs).toBeLessThan(200);
    d.stop();
    inhibitor.stop();
  } finally {
    jest.useRealTimers();
  }
});
