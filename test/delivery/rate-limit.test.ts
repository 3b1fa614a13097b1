/**
 * Storm control (issue 15) on real time: 20 groups at once to a receiver limited to 3 notifications per 2 s,
 * through a real webhook and a Slack integration (both on loopback servers): 3 notifications on their own,
 * then ONE digest per integration when the window ends, naming the 17 other groups, rendered by each
 * integration's own templates; the history and explain tell the same.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type FakeReceiver, startFakeReceiver } from '../../src/notifiers/testing/fake-receiver';
import { postAlerts } from '../helpers/app-harness';
import { type Running, run, sleep, until } from './run-app';

jest.setTimeout(60_000);


interface WebhookPayload {
  groupLabels: Record<string, string>;
  commonAnnotations: Record<string, string>;
  alerts: { labels: Record<string, string>; annotations: Record<string, string> }[];
}

describe('rate_limit on real time', () => {
  let hook: FakeReceiver;
  let slack: FakeReceiver;
  let dir: string;
  let r: Running;

  beforeAll(async () => {
    hook = await startFakeReceiver();
    slack = await startFakeReceiver();
    slack.respond = () => ({ status: 200, body: 'ok' });
    dir = mkdtempSync(path.join(os.tmpdir(), 'tocsin-rl-'));
    writeFileSync(
      path.join(dir, 'alertmanager.yml'),
      `
route: {receiver: pager, group_by: [instance], group_wait: 50ms, group_interval: 400ms, repeat_interval: 1h}
receivers:
  - name: pager
    webhook_configs: [{url: '${hook.url}/hook'}]
    slack_configs: [{api_url: '${slack.url}/slack', channel: '#ops'}]
`,
    );
    r = await run(dir, 'receivers:\n  pager:\n    rate_limit: {max: 3, window: 2s}\n');
  });
  afterAll(async () => {
    await r.stop();
    await hook.close();
    await slack.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('3 notifications, then one digest per integration naming the 17 other groups', async () => {
    const instances = Array.from({ length: 20 }, (_, i) => `node${String(i).padStart(2, '0')}`);
    expect((await postAlerts(r.url, instances.map((instance) => ({ labels: { alertname: 'NodeDown', instance } })))).status).toBe(200);
    // (polling: a loaded machine may take a while for the first flush)
    await until('the first 3 notifications', () => hook.requests.length >= 3);
    await sleep(300);
    expect(hook.requests).toHaveLength(3);
    // explain: the receiver's rate limit now
    const alerts = (await (await fetch(`${r.url}/api/v2/alerts`)).json()) as { fingerprint: string }[];
    const ex = (await (await fetch(`${r.url}/api/v2/tocsin/explain?fingerprint=${alerts[0]!.fingerprint}`)).json()) as { receivers: { rateLimit: Record<string, unknown> }[] };
    // (exact counts are asserted on a fake clock in src/pipeline/rate-limit.test.ts; here the machine may be slow)
    const rl = ex.receivers[0]!.rateLimit as { max: number; window: string; sentInWindow: number; foldedGroups: number; nextDigest: string | null };
    expect(rl).toMatchObject({ max: 3, window: '2s' });
    expect(rl.sentInWindow).toBeLessThanOrEqual(3);
    if (hook.requests.length === 3) {
      expect(rl.foldedGroups).toBe(17);
      expect(rl.nextDigest).toEqual(expect.any(String));
    }

    // the window ends about 2 s after the first notification; then group intervals pass with nothing more
    await until('the digest', () => hook.requests.length >= 4 && slack.requests.length >= 4);
    await sleep(1000);
    const payloads = hook.requests.map((q) => JSON.parse(q.body) as WebhookPayload);
    expect(payloads).toHaveLength(4);
    const own = payloads.slice(0, 3);
    const digest = payloads[3]!;
    expect(digest.groupLabels).toEqual({ tocsin_digest: '17 more groups firing' });
    const ownInstances = own.map((p) => p.groupLabels.instance!);
    const folded = instances.filter((i) => !ownInstances.includes(i));
    expect(folded).toHaveLength(17);
    // the common annotation sums up (the first 10 names); every alert names its folded group
    expect(digest.commonAnnotations.tocsin_digest).toMatch(/^17 more groups firing: \{instance="node\d\d"\}(, \{instance="node\d\d"\}){9}, … \(7 more\)$/);
    expect(digest.alerts.map((a) => a.annotations.tocsin_digest_group).sort()).toEqual(folded.map((i) => `{instance="${i}"}`));
    expect(digest.alerts.map((a) => a.labels.instance).sort()).toEqual(folded);

    // Slack got the same: 3 messages and a digest rendered by its default templates
    expect(slack.requests).toHaveLength(4);
    const slackDigest = JSON.parse(slack.requests[3]!.body) as { attachments: { title: string }[] };
    expect(slackDigest.attachments[0]!.title).toContain('17 more groups firing');

    // the history: each folded group into that digest, and the digest sent with the same groups
    const h = (await (await fetch(`${r.url}/api/v2/tocsin/history?kind=notification_folded,digest_sent&limit=1000`)).json()) as {
      events: { kind: string; time: string; groupKey?: string; data: { digest: string; digestAt?: string; groups?: string[]; outcome?: string } }[];
    };
    const sent = h.events.filter((e) => e.kind === 'digest_sent');
    expect(sent).toHaveLength(1);
    // sent when the window ends: not before the time each fold announced
    const due = h.events.filter((e) => e.kind === 'notification_folded').map((e) => Date.parse(e.data.digestAt!));
    expect(new Set(due).size).toBe(1);
    expect(Date.parse(sent[0]!.time)).toBeGreaterThanOrEqual(due[0]!);
    expect(sent[0]!.data.outcome).toBe('success');
    const foldedKeys = new Set(h.events.filter((e) => e.kind === 'notification_folded' && e.data.digest === sent[0]!.data.digest).map((e) => e.groupKey));
    expect([...foldedKeys].sort()).toEqual([...sent[0]!.data.groups!].sort());
    expect(foldedKeys.size).toBe(17);

    const metric = async (name: string) => ((await r.registry.getSingleMetric(name)?.get())?.values ?? []).reduce((n, v) => n + v.value, 0);
    expect(await metric('tocsin_digests_sent_total')).toBe(1);
    expect(await metric('tocsin_notifications_folded_total')).toBeGreaterThanOrEqual(17);
  });

  it('a reload keeps the count and the pending digest (by receiver name)', async () => {
    hook.requests.length = 0;
    slack.requests.length = 0;
    // the previous test's window is over; a new storm of 4 groups, 3 of them sent on their own
    const post = (instances: string[]) => postAlerts(r.url, instances.map((instance) => ({ labels: { alertname: 'DiskFull', instance } })));
    expect((await post(['d1', 'd2', 'd3', 'd4'])).status).toBe(200);
    await until('3 notifications', () => hook.requests.length >= 3 && slack.requests.length >= 3);
    expect(hook.requests).toHaveLength(3);
    // the three are in the notification log (after their history events, within a history batch) before the reload
    await sleep(500);
    await r.app.reload();
    await post(['d5']);
    await sleep(500);
    // still over the limit after the reload: d4 and d5 wait for the digest
    expect(hook.requests).toHaveLength(3);
    await until('the digest', () => hook.requests.length >= 4);
    await sleep(500);
    expect(hook.requests).toHaveLength(4);
    const digest = JSON.parse(hook.requests[3]!.body) as WebhookPayload;
    expect(digest.groupLabels).toEqual({ tocsin_digest: '2 more groups firing' });
    expect(digest.alerts.map((a) => a.labels.instance).sort()).toEqual(['d4', 'd5']);
  });
});
