import { Counter, Registry } from 'prom-client';
import { getOrCreateMetric } from './metrics';

describe('getOrCreateMetric()', () => {
  test('creates once, then returns the registered metric (a second module or a reload shares the series)', async () => {
    const registry = new Registry();
    let made = 0;
    const make = () => {
      made++;
      return new Counter({ name: 'tocsin_test_total', help: 'h', registers: [registry] });
    };
    const a = getOrCreateMetric(registry, 'tocsin_test_total', make);
    const b = getOrCreateMetric(registry, 'tocsin_test_total', make);
    expect(b).toBe(a);
    expect(made).toBe(1);
    b.inc(2);
    expect(await registry.metrics()).toContain('tocsin_test_total 2');
  });
});
