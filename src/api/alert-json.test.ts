import { type Harness, postAlerts, postSilence, startApp } from '../../test/helpers/app-harness';
import type { Alert } from '../types/alert';
import { fingerprint } from '../types/fingerprint';
import type { AlertStatus } from '../types/marker';
import { alertJson, alertReceivers, receiversJson, statusJson } from './alert-json';
import { gettableAlertJson } from './alerts';
import { NEXT_CURSOR_HEADER } from './paging';
import { goJsonString, labelSetJson } from './respond';

/** mulberry32: the same "random" alerts on every run */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const ODD = ['<b>&amp;</b>', 'quote"back\\slash', 'tab\tnl\n', 'ünï©ødé', '😀 astral', '\u2028\u2029', 'ctl\u0001\u001f', ''];

function randomText(r: () => number): string {
  const n = Math.floor(r() * 4);
  let s = `v${Math.floor(r() * 1000)}`;
  for (let i = 0; i < n; i++) s += ODD[Math.floor(r() * ODD.length)]!;
  return s;
}

function randomLabels(r: () => number, n: number): Record<string, string> {
  const out: Record<string, string> = {};
  for (let i = 0; i < n; i++) out[`${['a', 'B', 'z_', 'ü', 'x.y'][Math.floor(r() * 5)]}${i}`] = randomText(r);
  return out;
}

function randomAlert(r: () => number): Alert {
  const labels = { alertname: `A${Math.floor(r() * 5)}`, ...randomLabels(r, 1 + Math.floor(r() * 6)) };
  const startsAt = 1_700_000_000_000 + Math.floor(r() * 1e9);
  return {
    labels,
    annotations: randomLabels(r, Math.floor(r() * 3)),
    startsAt,
    endsAt: r() < 0.3 ? 0 : startsAt + Math.floor(r() * 1e7),
    updatedAt: startsAt + Math.floor(r() * 1e6) + r() * 0.999,
    generatorURL: r() < 0.5 ? '' : `http://gen.example/graph?g0.expr=${encodeURIComponent(randomText(r))}`,
    timeout: false,
    fingerprint: fingerprint(labels),
  };
}

function randomStatus(r: () => number): AlertStatus {
  const ids = () => Array.from({ length: Math.floor(r() * 3) }, () => randomText(r));
  const status = { silencedBy: r() < 0.5 ? [] : ids(), inhibitedBy: r() < 0.5 ? [] : ids(), mutedBy: r() < 0.7 ? [] : ids() };
  const suppressed = status.silencedBy.length + status.inhibitedBy.length + status.mutedBy.length > 0;
  return { state: r() < 0.1 ? 'unprocessed' : suppressed ? 'suppressed' : 'active', ...status };
}

describe('cached gettableAlert encoding (src/api/alert-json.ts)', () => {
  it('writes what the whole-alert encoder writes, for the same alert object under changing statuses, receivers and versions', () => {
    const r = rng(17);
    const view1 = {};
    const view2 = {};
    for (let i = 0; i < 500; i++) {
      let a = randomAlert(r);
      for (let round = 0; round < 4; round++) {
        const status = randomStatus(r);
        const receivers = Array.from({ length: Math.floor(r() * 3) }, () => randomText(r));
        expect(alertJson(a, receiversJson(receivers), statusJson(status))).toBe(gettableAlertJson(a, status, receivers));
        // the receivers part is kept per config view: a new view recomputes it
        const view = round < 2 ? view1 : view2;
        const rcv = alertReceivers(a, view, () => receivers);
        expect(rcv.list).toEqual(receivers);
        expect(alertJson(a, rcv.json, statusJson(status))).toBe(gettableAlertJson(a, status, receivers));
        // an update stores a new object (src/provider/mem-alerts.ts): its encoding is its own
        a = { ...a, annotations: randomLabels(r, 2), endsAt: a.endsAt + 1000, updatedAt: a.updatedAt + 1 };
      }
    }
  });
});

/** Alerts routed to one, two or three receivers; `severity=critical` inhibits `severity=warning` in the same cluster. */
const CONFIG = `
route:
  receiver: default
  group_by: [cluster]
  group_wait: 1h
  routes:
    - matchers: ['alertname=~"A[01]"']
      receiver: team-a
      continue: true
    - matchers: ['alertname="A1"']
      receiver: team-b
receivers: [{name: default}, {name: team-a}, {name: team-b}]
inhibit_rules:
  - source_matchers: [severity="critical"]
    target_matchers: [severity="warning"]
    equal: [cluster]
`;

describe('GET /api/v2/alerts and /alerts/groups through the cached encoding', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startApp({ config: CONFIG });
  });
  afterEach(async () => {
    await h.close();
  });

  const r = rng(4242);
  function wireAlert(i: number, version: number) {
    const labels: Record<string, string> = { alertname: `A${i % 3}`, cluster: `c${i % 4}`, i: String(i), ...randomLabels(rng(i + 1), 1 + (i % 3)) };
    if (i % 5 === 0) labels.severity = 'warning';
    return {
      labels,
      annotations: { summary: `${randomText(r)} v${version}` },
      startsAt: new Date(Date.now() - 60_000 - i).toISOString(),
      endsAt: new Date(Date.now() + 3_600_000 + version * 1000).toISOString(),
      ...(i % 2 === 0 ? { generatorURL: `http://gen.example/${i}?q=${encodeURIComponent(randomText(r))}` } : {}),
    };
  }

  async function getText(path: string): Promise<{ text: string; next: string | null }> {
    const res = await fetch(`${h.url}${path}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/json');
    return { text: await res.text(), next: res.headers.get(NEXT_CURSOR_HEADER) };
  }

  /** The answer, byte for byte, as the whole-alert encoder writes each listed alert (and Go writes the groups). */
  async function checkBothEndpoints(): Promise<{ alerts: any[]; groups: any[] }> {
    const { text } = await getText('/api/v2/alerts');
    const alerts = JSON.parse(text) as any[];
    const stored = (fp: string) => h.app.core.alerts.get(fp)!;
    const want = alerts.map((x) => gettableAlertJson(stored(x.fingerprint), x.status, x.receivers.map((y: { name: string }) => y.name)));
    expect(text).toBe(`[${want.join(',')}]\n`);
    const now = Date.now();
    expect(alerts.length).toBe([...h.app.core.alerts.all()].filter((a) => a.endsAt === 0 || a.endsAt >= now).length);

    const g = await getText('/api/v2/alerts/groups');
    const groups = JSON.parse(g.text) as any[];
    const wantGroups = groups.map(
      (x) =>
        `{"alerts":[${x.alerts.map((y: any) => gettableAlertJson(stored(y.fingerprint), y.status, y.receivers.map((z: { name: string }) => z.name))).join(',')}],"labels":${labelSetJson(x.labels)},"receiver":{"name":${goJsonString(x.receiver.name)}},"routeLabels":${labelSetJson(x.routeLabels)}}`,
    );
    expect(g.text).toBe(`[${wantGroups.join(',')}]\n`);
    // the same status and receivers in both answers
    const byFp = new Map(alerts.map((x) => [x.fingerprint, x]));
    for (const x of groups) for (const y of x.alerts) expect(y).toEqual(byFp.get(y.fingerprint));
    return { alerts, groups };
  }

  it('stays byte-identical to the whole-alert encoder after updates, silences and inhibitions', async () => {
    const N = 120;
    expect((await postAlerts(h.url, Array.from({ length: N }, (_, i) => wireAlert(i, 0)))).status).toBe(200);
    let { alerts } = await checkBothEndpoints();
    expect(alerts.length).toBe(N);
    expect(new Set(alerts.map((a) => a.receivers.length))).toEqual(new Set([1, 2]));

    // updated: new annotations and endsAt for every third alert; the answer shows the new version
    const updated = Array.from({ length: N }, (_, i) => i)
      .filter((i) => i % 3 === 0)
      .map((i) => wireAlert(i, 1));
    expect((await postAlerts(h.url, updated)).status).toBe(200);
    ({ alerts } = await checkBothEndpoints());
    for (const u of updated) {
      const a = alerts.find((x) => x.labels.i === u.labels.i);
      expect(a.annotations.summary).toBe(u.annotations.summary);
    }

    // silenced: cluster c1 (the alerts themselves do not change)
    const silenceID = await postSilence(h.url, { cluster: 'c1' });
    ({ alerts } = await checkBothEndpoints());
    for (const a of alerts) {
      expect(a.status.silencedBy).toEqual(a.labels.cluster === 'c1' ? [silenceID] : []);
    }

    // inhibited: a critical alert in c2 inhibits the warnings there
    expect((await postAlerts(h.url, [{ labels: { alertname: 'Crit', severity: 'critical', cluster: 'c2' } }])).status).toBe(200);
    ({ alerts } = await checkBothEndpoints());
    const source = alerts.find((a) => a.labels.alertname === 'Crit')!;
    const inhibited = alerts.filter((a) => a.status.inhibitedBy.length > 0);
    expect(inhibited.length).toBeGreaterThan(0);
    for (const a of alerts) {
      const want = a.labels.cluster === 'c2' && a.labels.severity === 'warning' ? [source.fingerprint] : [];
      expect([a.labels.i, a.status.inhibitedBy]).toEqual([a.labels.i, want]);
      expect(a.status.state).toBe(a.status.inhibitedBy.length + a.status.silencedBy.length > 0 ? 'suppressed' : 'active');
    }

    // resolved: gone from both answers
    const resolved = { ...wireAlert(7, 2), endsAt: new Date(Date.now() - 1000).toISOString() };
    resolved.labels = alerts.find((a) => a.labels.i === '7')!.labels;
    expect((await postAlerts(h.url, [resolved])).status).toBe(200);
    ({ alerts } = await checkBothEndpoints());
    expect(alerts.some((a) => a.labels.i === '7')).toBe(false);
  });

  it('pages with limit and cursor: the pages put together are the whole answer; X-Tocsin-Next-Cursor ends on the last page', async () => {
    expect((await postAlerts(h.url, Array.from({ length: 50 }, (_, i) => wireAlert(i, 0)))).status).toBe(200);
    for (const path of ['/api/v2/alerts', '/api/v2/alerts/groups']) {
      const whole = await getText(path);
      expect(whole.next).toBeNull();
      const all = JSON.parse(whole.text) as unknown[];
      const pages: unknown[][] = [];
      let cursor: string | null = null;
      for (;;) {
        const page = await getText(`${path}?limit=3&filter=alertname!%3D%22none%22${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
        const items = JSON.parse(page.text) as unknown[];
        pages.push(items);
        cursor = page.next;
        if (cursor === null) break;
        expect(items.length).toBe(3);
      }
      expect(pages.flat()).toEqual(all);
      expect(pages.length).toBe(Math.ceil(all.length / 3));
    }
  });

  it('refuses a malformed limit or group cursor with 400 naming the parameter', async () => {
    for (const q of ['limit=0', 'limit=-1', 'limit=x', 'limit=1.5']) {
      for (const path of ['/api/v2/alerts', '/api/v2/alerts/groups']) {
        const res = await fetch(`${h.url}${path}?${q}`);
        expect(res.status).toBe(400);
        expect(((await res.json()) as { message: string }).message).toMatch(/^limit in query must be a positive integer/);
      }
    }
    const res = await fetch(`${h.url}/api/v2/alerts/groups?cursor=nonsense`);
    expect(res.status).toBe(400);
    expect(((await res.json()) as { message: string }).message).toMatch(/^cursor in query/);
  });
});
