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
 * - email: Message-Id, Date and the multipart boundary are random/time-based; header lines come in Go map order
 *   there (random) and sorted here, so headers are compared as a set and the body with the boundary replaced.
 *   The text part is compared byte for byte (quoted-printable included). The HTML part differs in one string of
 *   the default template (master's email.tmpl says https://schema.org, 0.25's http://schema.org); it is compared
 *   decoded with that string normalised, and its encoded lines are checked to stay within 76 characters.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { loadConfigString } from '../../config/loader';
import type { Notifier } from '../../pipeline/types';
import type { Alert } from '../../types/alert';
import { fingerprint } from '../../types/fingerprint';
import { SMTPServer } from 'smtp-server';
import { notifierFactories } from '../registry';
import { type FakeReceiver, startFakeReceiver } from './fake-receiver';
import { silentLogger } from '../../types/logger';
import { notifyContext, rendererFor } from './fixtures';

const DIR = resolve(__dirname, '../../../test/fixtures/notifiers/am-captured');

interface Captured {
  phase: string;
  method: string;
  path: string;
  headers?: Record<string, string>;
  envelope?: { from: string; to: string[]; hello: string };
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
  let smtp: SMTPServer;
  const mails: Captured[] = [];
  let phaseNow = '';
  let notifiers: Notifier[];
  beforeAll(async () => {
    srv = await startFakeReceiver();
    srv.respond = () => ({ status: 200, body: 'ok' });
    smtp = new SMTPServer({
      logger: false,
      authOptional: true,
      hideSTARTTLS: true,
      onData(stream, session, cb) {
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('end', () => {
          const env = { from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '', to: session.envelope.rcptTo.map((x) => x.address), hello: session.hostNameAppearsAs };
          mails.push({ phase: phaseNow, method: 'SMTP', path: '/email', envelope: env, raw: Buffer.concat(chunks).toString('utf8') });
          cb();
        });
      },
    });
    await new Promise<void>((r) => smtp.listen(0, '127.0.0.1', r));
    const smtpHost = `127.0.0.1:${(smtp.server.address() as { port: number }).port}`;
    const cfg = loadConfigString(input.config.replaceAll('CAPTURE', srv.url).replaceAll('SMTPHOST', smtpHost), 'am-captured.yml').config;
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
  });
  afterAll(async () => {
    await srv.close();
    await new Promise<void>((r) => smtp.close(() => r()));
  });

  const ours = new Map<string, Captured>();
  async function send(phase: string): Promise<void> {
    if ([...ours.values()].some((c) => c.phase === phase)) return;
    const webhook = captured.find((c) => c.phase === phase && c.path === '/webhook')!;
    const groupKey = (JSON.parse(webhook.raw) as { groupKey: string }).groupKey;
    srv.reset();
    srv.respond = () => ({ status: 200, body: 'ok' });
    phaseNow = phase;
    const ctx = notifyContext({ receiver: input.receiver, groupKey, groupLabels: { alertname: 'HighLatency' }, now: NOW });
    for (const n of notifiers) await n.notify(ctx, alertsOf(phase));
    for (const m of mails.filter((x) => x.phase === phase)) ours.set(`${phase}/email`, m);
    for (const r of srv.requests) ours.set(`${phase}${r.url}`, { phase, method: r.method, path: r.url, headers: { 'content-type': String(r.headers['content-type']), 'user-agent': String(r.headers['user-agent']) }, raw: r.body });
  }

  test('the capture covers both phases and every integration', () => {
    expect(captured.map((c) => `${c.phase}${c.path}`).sort()).toEqual(
      ['mixed', 'resolved'].flatMap((p) => ['/email', '/pd/0', '/pd/1', '/slack/0', '/slack/1', '/webhook'].map((x) => `${p}${x}`)).sort(),
    );
  });

  test.each(captured.map((c) => [`${c.phase} ${c.path}`, c] as const))('%s', async (_name, theirs) => {
    await send(theirs.phase);
    const mine = ours.get(`${theirs.phase}${theirs.path}`);
    expect(mine).toBeDefined();
    expect(mine!.method).toBe(theirs.method);
    if (theirs.path === '/email') {
      compareEmail(mine!, theirs);
      return;
    }
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

function compareEmail(mine: Captured, theirs: Captured): void {
  expect(mine.envelope).toEqual(theirs.envelope);
  const split = (raw: string) => {
    const cut = raw.indexOf('\r\n\r\n');
    const lines = raw.slice(0, cut).split('\r\n');
    const boundary = /boundary=([0-9a-f]+)/.exec(raw)?.[1] ?? 'none';
    const varying = /^(Message-Id|Date|Content-Type): /;
    return {
      headers: lines.filter((l) => !varying.test(l)).sort(),
      contentType: lines.find((l) => l.startsWith('Content-Type: '))!.replace(boundary, 'B'),
      messageId: lines.find((l) => l.startsWith('Message-Id: ')),
      date: lines.find((l) => l.startsWith('Date: ')),
      body: raw.slice(cut).split(boundary).join('B'),
      boundary,
    };
  };
  const a = split(mine.raw);
  const b = split(theirs.raw);
  expect(a.headers).toEqual(b.headers);
  expect(a.contentType).toBe(b.contentType);
  expect(a.boundary).toMatch(/^[0-9a-f]{60}$/);
  expect(a.messageId).toMatch(/^Message-Id: <\d+\.\d+@[^>]+>$/);
  expect(a.date).toMatch(/^Date: \w{3}, \d{2} \w{3} \d{4} \d{2}:\d{2}:\d{2} [+-]\d{4}$/);
  const parts = (body: string) => body.split('\r\n--B').slice(1, -1);
  const [textA, htmlA] = parts(a.body);
  const [textB, htmlB] = parts(b.body);
  expect(textA).toBe(textB);
  const decode = (qp: string) => Buffer.from(qp.replace(/=\r\n/g, '').replace(/=([0-9A-F]{2})/g, (_m, h: string) => String.fromCharCode(Number.parseInt(h, 16))), 'latin1').toString('utf8');
  expect(decode(htmlA!).replace('https://schema.org/EmailMessage', 'http://schema.org/EmailMessage')).toBe(decode(htmlB!));
  for (const line of htmlA!.split('\r\n')) expect(line.length).toBeLessThanOrEqual(76);
}
