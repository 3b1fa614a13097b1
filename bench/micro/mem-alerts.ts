/**
 * Alert store ingest (was the timed case of src/provider/mem-alerts.test.ts): 100k new alerts in batches
 * of 1000 into MemAlerts backed by a real SQLite file. µs per alert, durable write included.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MemAlerts } from '../../src/provider/mem-alerts';
import { AlertStore } from '../../src/store/alerts';
import { openDatabase } from '../../src/store/db';
import type { Alert } from '../../src/types/alert';
import { silentLogger } from '../../src/types/logger';
import { benchAlert } from './inhibit';
import { frozenClock, type MicroOptions, type MicroResult, timeOnce } from './measure';

export function benchMemAlertsIngest(o: MicroOptions = {}): MicroResult {
  const dir = mkdtempSync(join(tmpdir(), 'tocsin-bench-alerts-'));
  const db = openDatabase(dir);
  try {
    const T = Date.UTC(2026, 0, 1);
    const s = new MemAlerts({ clock: frozenClock(T), logger: silentLogger(), store: new AlertStore(db), gcInterval: 0 });
    const nBatches = o.quick ? 10 : 100;
    const batches: Alert[][] = [];
    for (let b = 0; b < nBatches; b++) {
      const batch: Alert[] = [];
      for (let i = 0; i < 1000; i++) batch.push(benchAlert({ alertname: `A${i % 50}`, instance: `host-${b}-${i}`, job: 'node' }, T));
      batches.push(batch);
    }
    return timeOnce(`MemAlerts.put() + SQLite, ${nBatches}k new alerts in batches of 1000`, nBatches * 1000, () => {
      for (const b of batches) s.put(b);
    });
  } finally {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
