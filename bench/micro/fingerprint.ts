/**
 * Fingerprint throughput (was the timed "is fast" case of src/types/fingerprint.test.ts):
 * typical 4-label sets, µs per fingerprint().
 */
import { fingerprint } from '../../src/types/fingerprint';
import { type MicroOptions, type MicroResult, repeat } from './measure';

export function benchFingerprint(o: MicroOptions = {}): MicroResult {
  const sets = Array.from({ length: 1000 }, (_, i) => ({ alertname: `Alert${i}`, instance: `host-${i}:9100`, job: 'node', severity: 'critical' }));
  let i = 0;
  return repeat('fingerprint(), 4 typical labels', () => fingerprint(sets[i++ % sets.length]!), o.quick ? 50 : 300);
}
