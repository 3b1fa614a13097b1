/**
 * Metrics on an injected prom-client Registry are got-or-created: a reload (or a second instance of a module)
 * built against the same registry reuses the series already registered instead of failing to register twice.
 */
import type { Registry } from 'prom-client';

/** The metric registered in `registry` under `name`, else `make()` (which must register it there). */
export function getOrCreateMetric<T>(registry: Registry, name: string, make: () => T): T {
  return (registry.getSingleMetric(name) as T | undefined) ?? make();
}
