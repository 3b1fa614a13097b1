/**
 * Inhibition check cost (was the timed case of src/inhibit/inhibitor.test.ts): one rule with
 * `equal: [instance]` and 1k indexed sources; half the checked targets are inhibited. µs per inhibitedBy().
 */
import { createMatcher } from '../../src/matchers/matcher';
import { MemAlerts } from '../../src/provider/mem-alerts';
import { Inhibitor } from '../../src/inhibit/inhibitor';
import type { Alert, LabelSet } from '../../src/types/alert';
import { fingerprint } from '../../src/types/fingerprint';
import { silentLogger } from '../../src/types/logger';
import { frozenClock, type MicroOptions, type MicroResult, repeat } from './measure';

const NOW = 1_700_000_000_000;

export function benchAlert(labels: LabelSet, now = NOW): Alert {
  return { labels, annotations: {}, startsAt: now, endsAt: now + 3600_000, updatedAt: now, generatorURL: '', timeout: false, fingerprint: fingerprint(labels) };
}

export function benchInhibitCheck(o: MicroOptions = {}): MicroResult {
  const clock = frozenClock(NOW);
  const alerts = new MemAlerts({ clock, logger: silentLogger(), gcInterval: 0 });
  const inh = new Inhibitor({
    rules: [{ source_matchers: [createMatcher('=', 'alertname', 'JobDown')], target_matchers: [createMatcher('=', 'alertname', 'InstanceDown')], equal: ['instance'] }],
    alerts,
    clock,
  });
  inh.start();
  const sources: Alert[] = [];
  for (let i = 0; i < 1000; i++) sources.push(benchAlert({ alertname: 'JobDown', instance: `i${i}` }));
  alerts.put(sources);
  const targets = Array.from({ length: 2000 }, (_, i) => ({ alertname: 'InstanceDown', instance: `i${i}` }));
  let i = 0;
  const r = repeat('inhibition check, 1k sources', () => inh.inhibitedBy(targets[i++ % targets.length]!), o.quick ? 50 : 300);
  inh.stop();
  return r;
}
