/**
 * Dispatcher ingest at scale (was the timed part of src/routing/scale.test.ts, which now asserts matcher
 * evaluations and timers): 99k alerts into 9k aggregation groups (plus 1k inhibition sources in 1k groups)
 * through MemAlerts -> Dispatcher + Inhibitor, then one flush-time inhibition check per alert.
 */
import { Registry } from 'prom-client';
import { route } from '../../test/acceptance/support/fixtures';
import { Inhibitor } from '../../src/inhibit/inhibitor';
import { createMatcher } from '../../src/matchers/matcher';
import { Nflog } from '../../src/nflog/nflog';
import { buildPipeline } from '../../src/pipeline/pipeline-builder';
import { MemAlerts } from '../../src/provider/mem-alerts';
import { Dispatcher } from '../../src/routing/dispatcher';
import { buildRouteTree } from '../../src/routing/route';
import type { Alert } from '../../src/types/alert';
import { silentLogger } from '../../src/types/logger';
import { AlertMarker } from '../../src/types/marker';
import { benchAlert } from './inhibit';
import { frozenClock, type MicroOptions, type MicroResult, timeOnce } from './measure';

export function benchRoutingScale(o: MicroOptions = {}): MicroResult[] {
  const now = 1_700_000_000_000;
  const clock = frozenClock(now);
  const provider = new MemAlerts({ clock, logger: silentLogger(), gcInterval: 0 });
  const eq = (n: string, v: string) => createMatcher('=', n, v);
  const inhibitor = new Inhibitor({
    rules: [{ source_matchers: [eq('alertname', 'NodeDown')], target_matchers: [eq('severity', 'warning')], equal: ['instance'] }],
    alerts: provider,
    marker: new AlertMarker(),
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
  try {
    const sources: Alert[] = [];
    for (let i = 0; i < 1000; i++) sources.push(benchAlert({ alertname: 'NodeDown', instance: `i${i}` }, now));
    provider.put(sources);
    const groups = o.quick ? 900 : 9000;
    const alerts: Alert[] = [];
    for (let g = 0; g < groups; g++) {
      for (let k = 0; k < 11; k++) {
        alerts.push(benchAlert({ alertname: `A${g % 9}`, instance: `i${Math.floor(g / 9)}`, team: g % 2 ? 'a' : 'b', severity: 'warning', k: String(k) }, now));
      }
    }
    const ingest = timeOnce(`dispatcher ingest, ${alerts.length} alerts into ${groups} groups (1k inhibition sources)`, alerts.length, () => {
      for (let i = 0; i < alerts.length; i += 1000) provider.put(alerts.slice(i, i + 1000));
    });
    const check = timeOnce('flush-time inhibition check, 1k sources', alerts.length, () => {
      for (const a of alerts) inhibitor.mutes(a.labels, a.fingerprint);
    });
    return [ingest, check];
  } finally {
    d.stop();
    inhibitor.stop();
  }
}
