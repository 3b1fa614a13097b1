/**
 * Our Slack, PagerDuty and webhook requests against what the real Alertmanager 0.25 sent for the same config
 * and alerts (test/fixtures/notifiers/am-captured, recorded by scripts/capture-am-notifiers.js).
 *
 * Compared byte for byte, except these documented differences (0.25 vs master, which Tocsin follows):
 * - webhook: master adds `notification_reason` and `routeLabels`; they are removed from ours before comparing.
 * - pagerduty `details`: 0.25 keeps every value a string; master applies the structured-value rule, so an empty
 *   rendering becomes null (resolved phase, `firing: ""`), and the default details are `toJson` lists and
 *   integer counts instead of text lists and string counts. Default-details cases compare everything else,
 *   and the counts by value.
 * - User-Agent carries the version (`Alertmanager/0.25.0` there); we send the same prefix with ours.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { loadConfigString } from '../../config/loader';
import type { Notifier } from '../../pipeline/types';
import type { Alert } from '../../types/alert';
import { fingerprint } from '../../types/fingerprint';
import { EmailNotifier } from '../email/notifier';
import { notifierFactories } from '../registry';
import { type FakeReceiver, startFakeReceiver } from './fake-receiver';
import { silentLogger } from '../../types/logger';
import { notifyContext, rendererFor } from './fixtures';

const DIR = resolve(__dirname, '../../../test/fixtures/notifiers/am-captured');

interface Captured {
  phase: string;
  method: string;
  path: string;
  headers: Record<string, string>;
  raw: string;
}
interface Input {
  alertmanager: string;
  externalURL: string;
  receiver: string;
  config: string;
  phases: { name: string; alerts: { labels: Record<string, string>; annotations: Record<string, string>; startsAt: string; endsAt?: string; generatorURL?: string }[] }[];
}

const input = JSON.parse(readFileSync(join(DIR, 'input.json'), 'utf8')) as Input;
const captured = readdirSync(DIR)
  .filter((f) => f !== 'input.json' && f.endsWith('.json'))
  .map((f) => JSON.parse(readFileSync(join(DIR, f), 'utf8')) as Captured);
const NOW = Date.parse('2026-11-24T00:00:00Z');

function alertsOf(phase: string): Alert[] {
  const p = input.phases.find((x) => x.name === phase)!;
  return p.alerts.map((a) => ({
    labels: a.labels,
    annotations: a.annotations,
    startsAt: Date.parse(a.startsAt),
    endsAt: a.endsAt ? Date.parse(a.endsAt) : 0,
    updatedAt: Date.parse(a.startsAt),
    generatorURL: a.generatorURL ?? '',
    timeout: false,
    fingerprint: fingerprint(a.labels),
  }));
}

describe(`payloads match Alertmanager ${input.alertmanager} (captured)`, () => {
  let srv: FakeReceiver;
  let notifiers: Notifier[];
  beforeAll(async () => {
    srv = await startFakeReceiver();
    srv.respond = () => ({ status: 200, body: 'ok' });
    const cfg = loadConfigString(input.config.replaceAll('CAPTURE', srv.url), 'am-captured.yml').config;
    const receiver = cfg.receivers.find((r) => r.name === input.receiver)!;
    notifiers = receiver.integrations.map((ic) => {
      const make = notifierFactories[ic.type]!;
      return make(ic, {
        externalURL: input.externalURL,
        userAgent: `Alertmanager/${input.alertmanager}`,
        logger: silentLogger(),
        renderText: (t, ctx, alerts) => rendererFor(ctx, alerts, input.externalURL).text(t),
        renderHtml: (t, ctx, alerts) => rendererFor(ctx, alerts, input.externalURL).html(t),
      });
    });
    expect(notifiers.some((n) => n instanceof EmailNotifier)).toBe(false);
  });
  afterAll(() => srv.close());

  const ours = new Map<string, Captured>();
  async function send(phase: string): Promise<void> {
    if ([...ours.values()].some((c) => c.phase === phase)) return;
    const webhook = captured.find((c) => c.phase === phase && c.path === '/webhook')!;
    const groupKey = (JSON.parse(webhook.raw) as { groupKey: string }).groupKey;
    srv.reset();
    srv.respond = () => ({ status: 200, body: 'ok' });
    const ctx = notifyContext({ receiver: input.receiver, groupKey, groupLabels: { alertname: 'HighLatency' }, now: NOW });
    for (const n of notifiers) await n.notify(ctx, alertsOf(phase));
    for (const r of srv.requests) ours.set(`${phase}${r.url}`, { phase, method: r.method, path: r.url, headers: { 'content-type': String(r.headers['content-type']), 'user-agent': String(r.headers['user-agent']) }, raw: r.body });
  }

  test('the capture covers both phases and every integration', () => {
    expect(captured.map((c) => `${c.phase}${c.path}`).sort()).toEqual(
      ['mixed', 'resolved'].flatMap((p) => ['/pd/0', '/pd/1', '/slack/0', '/slack/1', '/webhook'].map((x) => `${p}${x}`)).sort(),
    );
  });

  test.each(captured.map((c) => [`${c.phase} ${c.path}`, c] as const))('%s', async (_name, theirs) => {
    await send(theirs.phase);
    const mine = ours.get(`${theirs.phase}${theirs.path}`);
    expect(mine).toBeDefined();
    expect(mine!.method).toBe(theirs.method);
    expect(mine!.headers).toEqual(theirs.headers);
    if (theirs.path.startsWith('/slack') || (theirs.path === '/pd/0' && theirs.phase === 'mixed')) {
      expect(mine!.raw).toBe(theirs.raw);
      return;
    }
    const a = JSON.parse(mine!.raw) as Record<string, unknown>;
    const b = JSON.parse(theirs.raw) as Record<string, unknown>;
    if (theirs.path === '/webhook') {
      expect(a.notification_reason).toBe('first notification');
      delete a.notification_reason;
      delete a.routeLabels;
      expect(JSON.stringify(a)).toBe(JSON.stringify(b));
      return;
    }
    // pagerduty: details differ by design (see the header comment)
    const da = (a.payload as { custom_details: Record<string, unknown> }).custom_details;
    const db = (b.payload as { custom_details: Record<string, unknown> }).custom_details;
    if (theirs.path === '/pd/0') {
      for (const [k, v] of Object.entries(db)) expect(da[k]).toEqual(v === '' ? null : v);
    } else {
      expect(String(da.num_firing)).toBe(db.num_firing);
      expect(String(da.num_resolved)).toBe(db.num_resolved);
      expect((da.firing as unknown[]).length).toBe(Number(db.num_firing));
      expect((da.resolved as unknown[]).length).toBe(Number(db.num_resolved));
    }
    delete (a.payload as Record<string, unknown>).custom_details;
    delete (b.payload as Record<string, unknown>).custom_details;
    expect(JSON.stringify(a)).toBe(JSON.stringify(b));
  });
});
