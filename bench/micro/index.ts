/**
 * Micro benchmarks: the timing measurements that used to sit in unit tests (project rule: timing claims
 * live in the benchmark, unit tests assert structure). Each function returns `{ name, usPerOp }` (µs per
 * operation, lower is better; benchHistory a promise of them); `runMicroBenches()` runs them all in sequence.
 *
 *   node -e "const { requireTs } = require('./bench/lib/ts-require');
 *     requireTs(require('node:path').resolve('bench/micro/index.ts')).runMicroBenches().then(console.table)"
 *
 * Plain TypeScript over src/**; load it through bench/lib/ts-require.js (as bench/templates.ts is).
 */
import { benchFingerprint } from './fingerprint';
import { benchHistory } from './history';
import { benchInhibitCheck } from './inhibit';
import type { MicroOptions, MicroResult } from './measure';
import { benchMemAlertsIngest } from './mem-alerts';
import { benchRoutingScale } from './routing';
import { benchSilences } from './silences';

export type { MicroOptions, MicroResult } from './measure';
export { benchFingerprint, benchHistory, benchInhibitCheck, benchMemAlertsIngest, benchRoutingScale, benchSilences };

export async function runMicroBenches(o: MicroOptions = {}): Promise<MicroResult[]> {
  return [benchFingerprint(o), benchInhibitCheck(o), ...benchSilences(o), benchMemAlertsIngest(o), ...benchRoutingScale(o), ...(await benchHistory(o))];
}
