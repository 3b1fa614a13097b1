/**
 * Silence matching against 10k silences (70% equality, 20% regex alternatives, 10% regex + negative),
 * as src/silence/silences.test.ts builds them (that test asserts the candidate counts; this measures):
 * Silencer.mutes() on a cold cache and on a warm cache, and, for comparison, a full scan of every silence.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Silencer } from '../../src/silence/silencer';
import { Silences, silenceMatches } from '../../src/silence/silences';
import type { SilenceInput, SilenceMatcherInput } from '../../src/silence/types';
import { openDatabase } from '../../src/store/db';
import { SilenceStore } from '../../src/store/silences';
import { silentLogger } from '../../src/types/logger';
import { AlertMarker } from '../../src/types/marker';
import { frozenClock, type MicroOptions, type MicroResult, timeOnce } from './measure';

const H = 3600_000;
const T0 = Date.UTC(2026, 0, 1, 12, 0, 0);

export function benchSilences(o: MicroOptions = {}): MicroResult[] {
  const dir = mkdtempSync(join(tmpdir(), 'tocsin-bench-sil-'));
  const db = openDatabase(dir);
  try {
    const clock = frozenClock(T0);
    const s = new Silences({ store: new SilenceStore(db), clock, logger: silentLogger(), retention: 120 * H });
    const n = o.quick ? 2000 : 10_000;
    const inputs: SilenceInput[] = [];
    for (let i = 0; i < n; i++) {
      const k = i % 10;
      const eq = (name: string, value: string): SilenceMatcherInput => ({ type: '=', name, value });
      const re = (name: string, value: string): SilenceMatcherInput => ({ type: '=~', name, value });
      const matcherSets =
        k < 7
          ? [[eq('alertname', `Alert${i}`), eq('env', 'prod')]]
          : k < 9
            ? [[re('alertname', `Alert${i}|Other${i}.*`)]]
            : [[re('instance', `host-${i}:.*`), { type: '!=', name: 'env', value: 'dev' } as SilenceMatcherInput]];
      inputs.push({ matcherSets, startsAt: T0, endsAt: T0 + 24 * H, createdBy: 'bench', comment: 'c' });
    }
    const create = timeOnce(`silence create (${n} in one transaction)`, n, () =>
      db.transaction(() => {
        for (const x of inputs) s.set(x);
      })(),
    );
    const silencer = new Silencer({ silences: s, marker: new AlertMarker(), clock });
    const alerts = Array.from({ length: 2000 }, (_, i) => ({
      labels: { alertname: `Alert${i * 5}`, env: 'prod', instance: `host-${i}:9100`, job: 'node', severity: 'critical' },
      fp: `fp${i}`,
    }));
    const cold = timeOnce(`Silencer.mutes() cold, ${n} silences`, alerts.length, () => {
      for (const a of alerts) silencer.mutes(a.labels, a.fp);
    });
    const warm = timeOnce(`Silencer.mutes() cached, ${n} silences`, alerts.length * 5, () => {
      for (let r = 0; r < 5; r++) for (const a of alerts) silencer.mutes(a.labels, a.fp);
    });
    const all = s.query();
    const probes = alerts.slice(0, o.quick ? 10 : 50);
    const scan = timeOnce(`full scan of ${n} silences (unindexed, for comparison)`, probes.length, () => {
      for (const a of probes) all.filter((x) => silenceMatches(x, a.labels));
    });
    return [create, cold, warm, scan];
  } finally {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
