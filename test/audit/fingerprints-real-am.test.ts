/**
 * Issue 2 acceptance: "for a set of at least 30 label sets, including unicode and empty values, fingerprints
 * equal the ones Alertmanager computes". The expected values are taken live from Debian's real Alertmanager
 * (/usr/bin/prometheus-alertmanager, started here on a free port): each label set is posted to it and to the
 * compiled Tocsin server, and the fingerprints both report in GET /api/v2/alerts must be equal, and equal to
 * src/types/fingerprint.ts. Upstream drops labels with empty values before validating and hashing
 * (api/v2/api.go removeEmptyLabels), so those cases hash like the set without them.
 */
import type { LabelSet } from '../../src/types/alert';
import { fingerprint } from '../../src/types/fingerprint';
import { startTarget, type TargetServer } from '../cli/harness';
import { ensureBuilt } from '../helpers/build';
import fixtureJson from '../../src/types/testdata/fingerprints.json';

const recorded = (fixtureJson as unknown as { cases: { labels: LabelSet }[] }).cases.map((c) => c.labels);

const extra: LabelSet[] = [
  { alertname: 'empty-value', empty: '' },
  { alertname: 'two-empty', a: '', b: '', c: 'kept' },
  { alertname: 'empty-and-unicode', x: '', y: 'ÄÖÜß' },
  { alertname: 'nbsp', v: 'a\u00a0b' },
  { alertname: 'bom', v: '\ufeffstart' },
  { alertname: 'combining', v: 'e\u0301' },
  { alertname: 'precomposed', v: '\u00e9' },
  { alertname: 'greek', v: 'αβγδ', w: 'Ωmega' },
  { alertname: 'hangul', v: '한국어' },
  { alertname: 'devanagari', v: 'नमस्ते' },
  { alertname: 'del', v: '\u007f' },
  { alertname: 'ff-byte-lookalike', v: 'ÿ' },
  { alertname: 'long-unicode', v: '🙂'.repeat(300) },
  { alertname: 'many-labels', ...Object.fromEntries(Array.from({ length: 40 }, (_, i) => [`l${i}`, `v${i}`])) },
  { alertname: 'underscore-order', _a: '1', a_: '2', A: '3', a: '4' },
];
const cases = [...recorded, ...extra];

/** The label set as upstream keeps it: without empty values, keys sorted (a stable key to match answers). */
function kept(ls: LabelSet): LabelSet {
  return Object.fromEntries(
    Object.entries(ls)
      .filter(([, v]) => v !== '')
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
  );
}
const keyOf = (ls: LabelSet) => JSON.stringify(kept(ls));

async function fingerprintsFrom(server: TargetServer): Promise<Map<string, string>> {
  const endsAt = new Date(Date.now() + 3600_000).toISOString();
  const res = await fetch(`${server.url}/api/v2/alerts`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(cases.map((labels) => ({ labels, endsAt }))),
  });
  if (res.status !== 200) throw new Error(`${server.kind}: POST /api/v2/alerts ${res.status} ${await res.text()}`);
  const got = (await (await fetch(`${server.url}/api/v2/alerts`)).json()) as { labels: LabelSet; fingerprint: string }[];
  return new Map(got.map((a) => [keyOf(a.labels), a.fingerprint]));
}

describe('fingerprints: Tocsin vs the real Alertmanager', () => {
  const servers: TargetServer[] = [];
  const CONFIG = 'route:\n  receiver: default\nreceivers:\n  - name: default\n';
  afterAll(async () => {
    for (const s of servers) await s.stop();
  });

  test('at least 30 distinct label sets, with unicode and empty values', () => {
    expect(new Set(cases.map(keyOf)).size).toBe(cases.length);
    expect(cases.length).toBeGreaterThanOrEqual(45);
    expect(cases.filter((c) => Object.values(c).some((v) => v === '')).length).toBeGreaterThanOrEqual(3);
    expect(cases.filter((c) => Object.values(c).some((v) => /[^\x00-\x7f]/.test(v))).length).toBeGreaterThanOrEqual(15);
  });

  test('every label set gets the same fingerprint from Alertmanager, from bin/tocsin and from fingerprint()', async () => {
    ensureBuilt();
    const [am, tocsin] = await Promise.all([startTarget(CONFIG, 'alertmanager'), startTarget(CONFIG, 'tocsin')]);
    servers.push(am, tocsin);
    const [fromAm, fromTocsin] = await Promise.all([fingerprintsFrom(am), fingerprintsFrom(tocsin)]);
    expect(fromAm.size).toBe(cases.length);
    const rows = cases.map((ls) => {
      const k = keyOf(ls);
      return { labels: k, am: fromAm.get(k), tocsin: fromTocsin.get(k), fn: fingerprint(kept(ls)) };
    });
    for (const r of rows) expect(r.am).toMatch(/^[0-9a-f]{16}$/);
    expect(rows.map((r) => ({ labels: r.labels, fp: r.tocsin }))).toEqual(rows.map((r) => ({ labels: r.labels, fp: r.am })));
    expect(rows.map((r) => ({ labels: r.labels, fp: r.fn }))).toEqual(rows.map((r) => ({ labels: r.labels, fp: r.am })));
  }, 60_000);
});
