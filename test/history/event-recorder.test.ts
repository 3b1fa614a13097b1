/**
 * Upstream's event recorder (`--enable-feature=event-recorder`, `event_recorder:` in alertmanager.yml), through
 * the app in-process: an alert fires and is notified through a real webhook, a silence is created and mutes a
 * second alert. The file output is compared field by field with upstream's documented event shape (built here
 * from upstream's eventrecorder.proto and Go's protojson rules, not from Tocsin's code): the envelope
 * {"@timestamp", "instance", "data"}, lowerCamelCase fields, 64-bit integers as decimal strings, zero values left
 * out, enums by name, timestamps RFC 3339 UTC, durations in seconds. The webhook output (a real HTTP sink) gets
 * the same events, at the URL the config names and nowhere else. Without the feature flag nothing is written.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import xxhash from 'xxhash-wasm';
import { type FakeReceiver, startFakeReceiver } from '../../src/notifiers/testing/fake-receiver';
import { type Harness, postAlerts, startApp } from '../helpers/app-harness';
import { waitFor } from '../helpers/ports';

// biome-ignore lint/suspicious/noExplicitAny: parsed JSON, walked field by field
type Json = Record<string, any>;

const config = (hook: string, sink: string, file: string) => `
route: {receiver: hook, group_by: [alertname], group_wait: 50ms, group_interval: 1h, repeat_interval: 4h}
receivers:
  - name: hook
    webhook_configs: [{url: '${hook}/notify'}]
event_recorder:
  file_outputs:
    - path: '${file}'
  webhook_outputs:
    - url: '${sink}/events?token=t0ken'
      workers: 1
`;

/** upstream notify.hashAlert: xxHash64 over the sorted label names and values, each followed by 0xff */
async function upstreamHash(labels: Record<string, string>): Promise<string> {
  const h = await xxhash();
  const parts: Buffer[] = [];
  for (const k of Object.keys(labels).sort()) parts.push(Buffer.from(k), Buffer.from([0xff]), Buffer.from(labels[k]!), Buffer.from([0xff]));
  return h.h64Raw(new Uint8Array(Buffer.concat(parts))).toString();
}

/** eventrecorderpb.LabelSet as protojson writes it: pairs sorted by name */
const labelSet = (ls: Record<string, string>) => ({ labels: Object.keys(ls).sort().map((key) => ({ key, value: ls[key] })) });
const RFC3339_UTC = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{3}|\.\d{6}|\.\d{9})?Z$/;

function readEvents(file: string): Json[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as Json);
}
const typeOf = (e: Json) => Object.keys(e.data)[0];

describe('event recorder (upstream eventrecorder)', () => {
  let hook: FakeReceiver;
  let sink: FakeReceiver;
  let dir: string;
  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'tocsin-recorder-'));
    hook = await startFakeReceiver();
    sink = await startFakeReceiver();
  });
  afterAll(async () => {
    await hook.close();
    await sink.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('writes upstream-shaped events to the file and the webhook outputs', async () => {
    hook.reset();
    sink.reset();
    const file = path.join(dir, 'on.jsonl');
    const h: Harness = await startApp({ config: config(hook.url, sink.url, file), options: { features: ['event-recorder'] } });
    let closed = false;
    try {
      const disk = { alertname: 'Disk', severity: 'page' };
      expect((await postAlerts(h.url, [{ labels: disk, annotations: { summary: 'full' } }])).status).toBe(200);
      await waitFor(async () => hook.requests.length > 0, { what: 'the notification' });
      const alert = ((await (await fetch(`${h.url}/api/v2/alerts`)).json()) as Json[])[0]!;
      const r = await fetch(`${h.url}/api/v2/silences`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          matchers: [{ name: 'alertname', value: 'Later', isRegex: false, isEqual: true }],
          startsAt: new Date().toISOString(),
          endsAt: new Date(Date.now() + 3600_000).toISOString(),
          createdBy: 'ann',
          comment: 'maintenance',
        }),
      });
      const { silenceID } = (await r.json()) as { silenceID: string };
      expect((await postAlerts(h.url, [{ labels: { alertname: 'Later' } }])).status).toBe(200);
      await waitFor(async () => existsSync(file) && readEvents(file).some((e) => typeOf(e) === 'silenceMutedAlert'), { what: 'silence_muted_alert in the file' });
      // upstream's metrics, per event type and output
      const metrics = await (await fetch(`${h.url}/metrics`)).text();
      expect(metrics).toContain(`alertmanager_events_recorded_total{event_type="notification",output="file:${file}",result="success"} 1`);
      expect(metrics).toContain(`alertmanager_events_recorded_total{event_type="notification",output="webhook:${sink.url}/events",result="success"} 1`);
      expect(metrics).toMatch(/^alertmanager_event_recorder_queue_length 0$/m);
      await h.close();
      closed = true;

      const events = readEvents(file);
      // the envelope: exactly these keys, instance = hostname, cluster_position 0 left out
      for (const e of events) {
        expect(Object.keys(e).sort()).toEqual(['@timestamp', 'data', 'instance']);
        expect(e['@timestamp']).toMatch(RFC3339_UTC);
        expect(e.instance).toBe(os.hostname());
        expect(Object.keys(e.data)).toHaveLength(1);
      }
      const types = events.map(typeOf);
      expect(types[0]).toBe('alertmanagerStartupEvent');
      expect(types[types.length - 1]).toBe('alertmanagerShutdownEvent');
      expect(events[events.length - 1]!.data.alertmanagerShutdownEvent).toEqual({});
      expect(Object.keys(events[0]!.data.alertmanagerStartupEvent).sort()).toEqual(['buildContext', 'version']);

      const fp = BigInt(`0x${alert.fingerprint}`).toString();
      const hash = await upstreamHash(disk);
      const details = (a: Json) => {
        expect(new Date(a.startsAt).getTime()).toBe(new Date(alert.startsAt).getTime());
        expect(a.endsAt).toMatch(RFC3339_UTC);
        const { startsAt: _s, endsAt: _e, ...rest } = a;
        return rest;
      };
      const created = events.find((e) => typeOf(e) === 'alertCreated' && e.data.alertCreated.alert.name === 'Disk')!.data.alertCreated;
      expect(Object.keys(created)).toEqual(['alert']);
      expect(details(created.alert)).toEqual({ fingerprint: fp, name: 'Disk', labels: labelSet(disk), annotations: labelSet({ summary: 'full' }) });

      const groupKey = '{}:{alertname="Disk"}';
      const groupInfo = { groupKey, groupLabels: labelSet({ alertname: 'Disk' }), groupId: createHash('sha256').update(groupKey).digest('hex'), receiverName: 'hook' };
      const grouped = events.find((e) => typeOf(e) === 'alertGrouped' && e.data.alertGrouped.alert.details.name === 'Disk')!.data.alertGrouped;
      expect(Object.keys(grouped).sort()).toEqual(['alert', 'groupInfo']);
      expect(grouped.groupInfo).toEqual(groupInfo);
      expect(grouped.alert.hash).toBe(hash);
      expect(details(grouped.alert.details)).toEqual({ fingerprint: fp, name: 'Disk', labels: labelSet(disk), annotations: labelSet({ summary: 'full' }) });

      const notes = events.filter((e) => typeOf(e) === 'notification');
      expect(notes).toHaveLength(1);
      const n = notes[0]!.data.notification;
      expect(Object.keys(n).sort()).toEqual(['alerts', 'firingAlerts', 'groupInfo', 'integration', 'reason', 'repeatInterval']);
      expect(n.alerts).toHaveLength(1);
      expect(n.alerts[0].hash).toBe(hash);
      expect(details(n.alerts[0].details)).toMatchObject({ fingerprint: fp, name: 'Disk' });
      expect(n.firingAlerts).toEqual([{ hash }]);
      expect(n.groupInfo).toEqual(groupInfo);
      expect(n.repeatInterval).toBe('14400s');
      expect(n.reason).toBe('NOTIFY_REASON_FIRST_NOTIFICATION');
      // index 0 is int64's zero value: left out
      expect(n.integration).toEqual({ name: 'webhook' });

      const silence = events.find((e) => typeOf(e) === 'silenceCreated')!.data.silenceCreated.silence;
      const matcher = { type: 'TYPE_EQUAL', name: 'alertname', pattern: 'Later', rendered: 'alertname="Later"' };
      expect(Object.keys(silence).sort()).toEqual(['comment', 'createdBy', 'endsAt', 'id', 'matcherSets', 'matchers', 'startsAt', 'updatedAt']);
      expect(silence).toMatchObject({ id: silenceID, createdBy: 'ann', comment: 'maintenance', matchers: [matcher], matcherSets: [{ matchers: [matcher] }] });
      for (const k of ['startsAt', 'endsAt', 'updatedAt']) expect(silence[k]).toMatch(RFC3339_UTC);

      const muted = events.find((e) => typeOf(e) === 'silenceMutedAlert')!.data.silenceMutedAlert;
      expect(Object.keys(muted).sort()).toEqual(['mutedAlert', 'silence']);
      expect(muted.silence.id).toBe(silenceID);
      expect(muted.mutedAlert.labels).toEqual(labelSet({ alertname: 'Later' }));
      expect(muted.mutedAlert.fingerprint).toMatch(/^\d+$/);

      // Tocsin's own kinds (config reloads, flush skips, ...) are not upstream events
      expect(new Set(types)).toEqual(
        new Set(['alertmanagerStartupEvent', 'alertCreated', 'alertGrouped', 'notification', 'silenceCreated', 'silenceMutedAlert', 'alertmanagerShutdownEvent']),
      );

      // the webhook output: the same events, POSTed one per request to the configured URL only
      expect(sink.requests.length).toBe(events.length);
      for (const req of sink.requests) {
        expect(req.method).toBe('POST');
        expect(req.url).toBe('/events?token=t0ken');
        expect(req.headers['content-type']).toBe('application/json');
      }
      expect(sink.requests.map((q) => JSON.parse(q.body))).toEqual(events);
      expect(hook.requests.every((q) => q.url === '/notify')).toBe(true);
    } finally {
      if (!closed) await h.close();
    }
  }, 60_000);

  it('records nothing without --enable-feature=event-recorder (as upstream)', async () => {
    hook.reset();
    sink.reset();
    const file = path.join(dir, 'off.jsonl');
    const h = await startApp({ config: config(hook.url, sink.url, file) });
    try {
      expect((await postAlerts(h.url, [{ labels: { alertname: 'Disk' } }])).status).toBe(200);
      await waitFor(async () => hook.requests.length > 0, { what: 'the notification' });
      await new Promise((r) => setTimeout(r, 300));
      expect(existsSync(file)).toBe(false);
      expect(sink.requests).toEqual([]);
    } finally {
      await h.close();
    }
  }, 60_000);

  it('batch webhook output: JSON arrays, retried after a 5xx; reload swaps the outputs; history off still records', async () => {
    hook.reset();
    sink.reset();
    let calls = 0;
    // the first request fails: the same batch is posted again
    sink.respond = () => ({ status: calls++ === 0 ? 503 : 200 });
    const first = path.join(dir, 'first.jsonl');
    const second = path.join(dir, 'second.jsonl');
    const cfg = (file: string) => `
route: {receiver: hook, group_by: [alertname], group_wait: 50ms, group_interval: 1h}
receivers:
  - name: hook
    webhook_configs: [{url: '${hook.url}/notify'}]
event_recorder:
  file_outputs: [{path: '${file}'}]
  webhook_outputs:
    - url: '${sink.url}/batch'
      batch: true
      batch_max_events: 50
      batch_flush_interval: 300ms
      retry_backoff: 50ms
`;
    const h = await startApp({ config: cfg(first), options: { features: ['event-recorder'], history: { enabled: false, retention: 3600_000, maxEvents: 0 } } });
    try {
      expect((await postAlerts(h.url, [{ labels: { alertname: 'B1' } }, { labels: { alertname: 'B2' } }])).status).toBe(200);
      await waitFor(async () => existsSync(first) && readEvents(first).filter((e) => typeOf(e) === 'notification').length === 2, { what: 'two notifications in the file' });
      // history is off: the API has nothing, the recorder still got every event
      expect(((await (await fetch(`${h.url}/api/v2/tocsin/history`)).json()) as { events: unknown[] }).events).toEqual([]);
      await waitFor(async () => sink.requests.length >= 2 && calls >= 2, { what: 'the batch posted twice' });
      expect(sink.requests[0]!.body).toBe(sink.requests[1]!.body);
      const batch = JSON.parse(sink.requests[0]!.body) as Json[];
      expect(Array.isArray(batch)).toBe(true);
      expect(batch.length).toBeGreaterThan(1);
      expect(batch.map(typeOf)[0]).toBe('alertmanagerStartupEvent');

      // reload with another file: events from now on go there, not to the first
      writeFileSync(h.configFile, cfg(second));
      await h.app.reload();
      const before = readEvents(first).length;
      expect((await postAlerts(h.url, [{ labels: { alertname: 'B3' } }])).status).toBe(200);
      await waitFor(async () => existsSync(second) && readEvents(second).some((e) => typeOf(e) === 'notification'), { what: 'the notification in the second file' });
      expect(readEvents(first)).toHaveLength(before);
      expect(readEvents(second).find((e) => typeOf(e) === 'alertCreated')!.data.alertCreated.alert.name).toBe('B3');
    } finally {
      sink.respond = () => ({ status: 200 });
      await h.close();
    }
  }, 60_000);
});
