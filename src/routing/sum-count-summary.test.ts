import { Registry } from 'prom-client';
import { SumCountSummary } from './sum-count-summary';

describe('SumCountSummary', () => {
  test('exposes _sum and _count only, as a summary, and is found again by name', async () => {
    const r = new Registry();
    const s = new SumCountSummary({ name: 'x_duration_seconds', help: 'Help text.', registers: [r] });
    s.observe(0.25);
    s.observe(0.5);
    expect(await r.metrics()).toBe('# HELP x_duration_seconds Help text.\n# TYPE x_duration_seconds summary\nx_duration_seconds_sum 0.75\nx_duration_seconds_count 2\n');
    expect(r.getSingleMetric('x_duration_seconds')).toBe(s);
    s.reset();
    expect(await r.metrics()).toContain('x_duration_seconds_count 0\n');
  });

  test('observeMany() adds a batch timed as a whole: its total to _sum, its size to _count', async () => {
    const r = new Registry();
    const s = new SumCountSummary({ name: 'y_duration_seconds', help: 'Help text.', registers: [r] });
    s.observe(0.25);
    s.observeMany(0.5, 4);
    expect(await r.metrics()).toContain('y_duration_seconds_sum 0.75\ny_duration_seconds_count 5\n');
  });

});
