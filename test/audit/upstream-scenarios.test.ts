/**
 * Issue 3 acceptance: the upstream acceptance scenarios (test/with_api_v2/acceptance) that the in-repo suite
 * (test/acceptance) did not re-create yet, run against the compiled server (bin/tocsin) or the real app:
 * api_test.go TestAddAlerts; silence_test.go TestAddSilence; utf8_test.go TestCannotAddUTF8AlertsInClassicMode,
 * TestAddUTF8Silences, TestCannotAddUTF8SilencesInClassicMode; web_test.go TestWebWithPrefix; and
 * send_test.go TestMergeAlerts (the variant without endsAt; send.test.ts has the one with endsAt).
 * TestColdStart (--dispatch.start-delay) is in cold-start.test.ts.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describeScenarios, runScenario } from '../acceptance/support/run';
import { alert, between } from '../acceptance/support/timeline';
import { ensureBuilt } from '../helpers/build';
import { startTocsin, type TocsinProcess } from '../helpers/tocsin-process';

const CONF = `
route:
  receiver: "default"
  group_by: []
  group_wait:      1s
  group_interval:  10m
  repeat_interval: 1h
receivers:
- name: "default"
`;

const json = (body: unknown): RequestInit => ({ method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
const silenceBody = (name: string, value: string) => {
  const now = Date.now();
  return {
    comment: 'test',
    createdBy: 'test',
    matchers: [{ name, isEqual: true, isRegex: false, value }],
    startsAt: new Date(now).toISOString(),
    endsAt: new Date(now + 24 * 3600_000).toISOString(),
  };
};

describe('upstream API scenarios on bin/tocsin', () => {
  let dir: string;
  let utf8: TocsinProcess | undefined;
  let classic: TocsinProcess | undefined;
  let prefixed: TocsinProcess | undefined;

  beforeAll(async () => {
    ensureBuilt();
    dir = mkdtempSync(path.join(os.tmpdir(), 'tocsin-upstream-'));
    const configFile = path.join(dir, 'am.yml');
    writeFileSync(configFile, CONF);
    [utf8, classic, prefixed] = await Promise.all([
      startTocsin({ configFile, storagePath: path.join(dir, 'd1') }),
      startTocsin({ configFile, storagePath: path.join(dir, 'd2'), args: ['--enable-feature=classic-mode'] }),
      startTocsin({ configFile, storagePath: path.join(dir, 'd3'), args: ['--web.route-prefix=/foo'] }),
    ]);
  }, 120_000);
  afterAll(async () => {
    await Promise.all([utf8?.stop(), classic?.stop(), prefixed?.stop()]);
    rmSync(dir, { recursive: true, force: true });
  });

  test('TestAddAlerts: classic mode accepts UTF-8 label values', async () => {
    const now = Date.now();
    const r = await fetch(
      `${classic!.url}/api/v2/alerts`,
      json([{ startsAt: new Date(now).toISOString(), endsAt: new Date(now + 300_000).toISOString(), labels: { a: 'b', b: 'Σ', c: '🙂', d: 'eΘ' } }]),
    );
    expect(r.status).toBe(200);
    const got = (await (await fetch(`${classic!.url}/api/v2/alerts`)).json()) as { labels: Record<string, string> }[];
    expect(got.map((a) => a.labels)).toEqual([{ a: 'b', b: 'Σ', c: '🙂', d: 'eΘ' }]);
  });

  test('TestCannotAddUTF8AlertsInClassicMode: 400 "invalid label set", nothing stored', async () => {
    const now = Date.now();
    const labels = { a: 'a', '00': 'b', Σ: 'c', '🙂': 'dΘ' };
    const r = await fetch(
      `${classic!.url}/api/v2/alerts`,
      json([{ startsAt: new Date(now).toISOString(), endsAt: new Date(now + 300_000).toISOString(), labels }]),
    );
    expect(r.status).toBe(400);
    expect(await r.text()).toContain('invalid label set');
    const got = (await (await fetch(`${classic!.url}/api/v2/alerts?filter=a%3Da`)).json()) as unknown[];
    expect(got).toEqual([]);
  });

  test('TestAddSilence: classic mode accepts a classic silence', async () => {
    const r = await fetch(`${classic!.url}/api/v2/silences`, json(silenceBody('foo', 'bar')));
    expect(r.status).toBe(200);
    const { silenceID } = (await r.json()) as { silenceID: string };
    const s = (await (await fetch(`${classic!.url}/api/v2/silence/${silenceID}`)).json()) as { status: { state: string } };
    expect(s.status.state).toBe('active');
  });

  test('TestCannotAddUTF8SilencesInClassicMode: 400 "invalid silence: invalid label matcher"', async () => {
    const r = await fetch(`${classic!.url}/api/v2/silences`, json(silenceBody('fooΣ', 'bar🙂')));
    expect(r.status).toBe(400);
    expect(await r.text()).toContain('invalid silence: invalid label matcher');
    expect(await (await fetch(`${classic!.url}/api/v2/silences?filter=${encodeURIComponent('foo="bar"')}`)).json()).toHaveLength(1);
  });

  test('TestAddUTF8Silences: stored, returned with the same matchers, and filterable by UTF-8 matchers', async () => {
    const body = silenceBody('fooΣ', 'bar🙂');
    const r = await fetch(`${utf8!.url}/api/v2/silences`, json(body));
    expect(r.status).toBe(200);
    const all = (await (await fetch(`${utf8!.url}/api/v2/silences`)).json()) as { matchers: unknown }[];
    expect(all).toHaveLength(1);
    expect(all[0]!.matchers).toEqual(body.matchers);
    const filtered = (await (await fetch(`${utf8!.url}/api/v2/silences?filter=${encodeURIComponent('fooΣ=bar🙂')}`)).json()) as { matchers: unknown }[];
    expect(filtered).toHaveLength(1);
    expect(filtered[0]!.matchers).toEqual(body.matchers);
    const none = (await (await fetch(`${utf8!.url}/api/v2/silences?filter=${encodeURIComponent('fooΣ=other')}`)).json()) as unknown[];
    expect(none).toEqual([]);
  });

  test('TestWebWithPrefix: the API answers under --web.route-prefix=/foo', async () => {
    for (const p of ['/-/ready', '/-/healthy', '/api/v2/status', '/api/v2/alerts', '/api/v2/silences', '/api/v2/receivers']) {
      expect([p, (await fetch(`${prefixed!.url}/foo${p}`)).status]).toEqual([p, 200]);
    }
    expect((await fetch(`${prefixed!.url}/api/v2/status`)).status).toBe(404);
  });
});

describeScenarios('upstream send scenarios on the real app', {
  'TestMergeAlerts (without endsAt)': () =>
    runScenario({
      config: `
route: {receiver: default, group_by: [alertname], group_wait: 1s, group_interval: 1s, repeat_interval: 1ms}
receivers: [{name: default, webhook_configs: [{url: "{{wh}}", send_resolved: true}]}]
`,
      collectors: ['wh'],
      define({ am, tl, co }) {
        const a = () => alert('alertname', 'test');
        // refreshed several times: startsAt stays at the earliest point in time
        tl.at(1, () => am.push(a().active(1.1)));
        tl.at(1.2, () => am.push(a().active(1)));
        co.wh!.want(between(2, 2.5), a().active(1));
        tl.at(2.1, () => am.push(a().annotate('ann', 'v1').active(2)));
        co.wh!.want(between(3, 3.5), a().annotate('ann', 'v1').active(1));
        // annotations always come from the most recent push
        tl.at(3.6, () => am.push(a().annotate('ann', 'v2').active(1.5)));
        co.wh!.want(between(4, 4.5), a().annotate('ann', 'v2').active(1));
        // resolved twice: the latest resolve time wins
        tl.at(4.6, () => am.push(a().annotate('ann', 'v2').active(3, 4.5)));
        tl.at(4.8, async () => {
          await am.push(a().annotate('ann', 'v3').active(2.9, 4.8));
          await am.push(a().annotate('ann', 'v3').active(2.9, 4.1));
        });
        co.wh!.want(between(5, 5.5), a().annotate('ann', 'v3').active(1, 4.8));
        // reactivated after a resolved occurrence: no overlap, no merge
        tl.at(5.3, () => am.push(a().active(5)));
        co.wh!.want(between(6, 6.5), a().active(5));
      },
    }),
});
