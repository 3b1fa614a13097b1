/**
 * @module provider/alerts-by-state
 * The `alertmanager_alerts{state}` gauge: the stored alerts that are not resolved, by state, counted when
 * scraped. Upstream 0.25 (provider/mem registerMetrics and count) reads each alert's state from the marker,
 * which the pipeline writes at every flush and which every GET /api/v2/alerts rewrites from the silencer and
 * the inhibitor (setAlertStatus), so upstream's gauge agrees with the API as soon as anyone lists alerts.
 * Tocsin's API computes the state per request without writing the marker, so an alert the pipeline has not seen
 * yet (waiting for its group's first flush) counts with the state the API reports for it now, instead of
 * 'unprocessed'. The others count with the state of their last flush, a map lookup each: a scrape of 100k
 * alerts does not re-run the silencer and the inhibitor for all of them.
 */
import { Gauge, type Registry } from 'prom-client';
import { type Alert, isResolved } from '../types/alert';
import type { Clock } from '../types/clock';
import type { AlertMarker, AlertState } from '../types/marker';
import type { AlertsProvider } from './types';

export interface AlertsByStateOptions {
  alerts: Pick<AlertsProvider, 'all'>;
  marker: Pick<AlertMarker, 'state'>;
  clock: Clock;
  /** the alert's state as GET /api/v2/alerts reports it now */
  stateNow: (alert: Alert) => AlertState;
  /**
   * --enable-feature=group-key-in-metrics (upstream master): one {state, group_key} series set per aggregation
   * group, counted over the group's alerts instead of the store's
   */
  byGroup?: () => Iterable<{ groupKey: string; alerts: readonly Alert[] }>;
}

const STATES = ['active', 'suppressed', 'unprocessed'] as const;

export function registerAlertsByState(registry: Registry, o: AlertsByStateOptions): Gauge {
  return new Gauge({
    name: 'alertmanager_alerts',
    help: 'How many alerts by state.',
    labelNames: o.byGroup ? ['state', 'group_key'] : ['state'],
    registers: [registry],
    collect() {
      const now = o.clock.now();
      const count = (alerts: Iterable<Alert>): Record<AlertState, number> => {
        const counts: Record<AlertState, number> = { active: 0, suppressed: 0, unprocessed: 0 };
        for (const a of alerts) {
          if (isResolved(a, now)) continue;
          const recorded = o.marker.state(a.fingerprint);
          counts[recorded === 'unprocessed' ? o.stateNow(a) : recorded]++;
        }
        return counts;
      };
      if (o.byGroup) {
        this.reset(); // groups come and go
        for (const g of o.byGroup()) {
          const counts = count(g.alerts);
          for (const state of STATES) this.set({ state, group_key: g.groupKey }, counts[state]);
        }
        return;
      }
      const counts = count(o.alerts.all());
      for (const state of STATES) this.set({ state }, counts[state]);
    },
  });
}
