/**
 * @module routing/sum-count-summary
 * A Prometheus summary with no quantiles, only `_sum` and `_count` (what client_golang's NewSummary without
 * Objectives exposes, e.g. upstream's alertmanager_dispatcher_alert_processing_duration_seconds). Observed once
 * per alert, so it must be cheap: two additions, where prom-client's Summary feeds a t-digest per observation.
 * Registered on a prom-client Registry as a custom metric (get() in prom-client's shape).
 */
import type { Registry } from 'prom-client';

export class SumCountSummary {
  readonly name: string;
  readonly help: string;
  readonly type = 'summary';
  readonly aggregator = 'sum';
  #sum = 0;
  #count = 0;

  constructor(o: { name: string; help: string; registers?: Registry[] }) {
    this.name = o.name;
    this.help = o.help;
    for (const r of o.registers ?? []) r.registerMetric(this as never);
  }

  observe(value: number): void {
    this.#sum += value;
    this.#count++;
  }

  /** `count` observations that sum to `total` (a batch timed as a whole). */
  observeMany(total: number, count: number): void {
    this.#sum += total;
    this.#count += count;
  }

  get(): { name: string; help: string; type: 'summary'; aggregator: 'sum'; values: { labels: Record<string, never>; metricName: string; value: number }[] } {
    return {
      name: this.name,
      help: this.help,
      type: 'summary',
      aggregator: 'sum',
      values: [
        { labels: {}, metricName: `${this.name}_sum`, value: this.#sum },
        { labels: {}, metricName: `${this.name}_count`, value: this.#count },
      ],
    };
  }

  reset(): void {
    this.#sum = 0;
    this.#count = 0;
  }
}
