import zlib from 'node:zlib';
import { type Harness, postAlerts, startApp } from '../../test/helpers/app-harness';

/**
 * POST/GET /api/v2/alerts through the real express app on a loopback port. Expected texts are upstream's,
 * recorded from a running Alertmanager (0.25, Debian) and adjusted to master where master differs
 * (errors joined with a newline; UTF-8 label names valid by default).
 */
describe('API v2 alerts', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startApp();
  });
  afterEach(async () => {
    await h.close();
  });

  const getAlerts = async (query = '') => {
    const r = await fetch(`${h.url}/api/v2/alerts${query}`);
    return { status: r.status, body: (await r.json()) as any };
  };

  describe('POST validation', () => {
    const cases: [string, string, number, string][] = [
      ['labels missing', '[{}]', 422, '{"code":602,"message":"0.labels in body is required"}'],
      ['labels null', '[{"labels":null}]', 422, '{"code":602,"message":"0.labels in body is required"}'],
      ['labels missing in 2nd', '[{"labels":{"a":"b"}},{}]', 422, '{"code":602,"message":"1.labels in body is required"}'],
      ['generatorURL not a uri', '[{"labels":{"a":"b"},"generatorURL":"x"}]', 422, '{"code":601,"message":"0.generatorURL in body must be of type uri: \\"x\\""}'],
      ['generatorURL with space', '[{"labels":{"a":"b"},"generatorURL":"http://x y"}]', 422, '{"code":601,"message":"0.generatorURL in body must be of type uri: \\"http://x y\\""}'],
      ['generatorURL checked before labels', '[{"generatorURL":"x"}]', 422, '{"code":601,"message":"0.generatorURL in body must be of type uri: \\"x\\""}'],
      ['empty body', '', 422, '{"code":602,"message":"alerts in body is required"}'],
      ['not JSON', 'xyz', 400, `{"code":400,"message":"parsing alerts body from \\"\\" failed, because invalid character 'x' looking for beginning of value"}`],
      ['truncated', '[{"labels":{"a":"b"}', 400, '{"code":400,"message":"parsing alerts body from \\"\\" failed, because unexpected EOF"}'],
      ['missing colon', '[{"labels" 1}]', 400, `{"code":400,"message":"parsing alerts body from \\"\\" failed, because invalid character '1' after object key"}`],
      ['bad after pair', '[{"labels":{"a":"b"} x]', 400, `{"code":400,"message":"parsing alerts body from \\"\\" failed, because invalid character 'x' after object key:value pair"}`],
      ['bad literal', '{"a" : tru}', 400, `{"code":400,"message":"parsing alerts body from \\"\\" failed, because invalid character '}' in literal true (expecting 'e')"}`],
      ['unquoted key', '[{labels:1}]', 400, `{"code":400,"message":"parsing alerts body from \\"\\" failed, because invalid character 'l' looking for beginning of object key string"}`],
      ['object, not array', '{"labels":{"a":"b"}}', 400, '{"code":400,"message":"parsing alerts body from \\"\\" failed, because json: cannot unmarshal object into Go value of type models.PostableAlerts"}'],
      ['label value number', '[{"labels":{"a":1}}]', 400, '{"code":400,"message":"parsing alerts body from \\"\\" failed, because json: cannot unmarshal number into Go struct field Alert.labels of type string"}'],
      ['labels array', '[{"labels":[1]}]', 400, '{"code":400,"message":"parsing alerts body from \\"\\" failed, because json: cannot unmarshal array into Go struct field Alert.labels of type models.LabelSet"}'],
      ['annotation number', '[{"labels":{"a":"b"},"annotations":{"x":1}}]', 400, '{"code":400,"message":"parsing alerts body from \\"\\" failed, because json: cannot unmarshal number into Go struct field .annotations of type string"}'],
      ['startsAt number', '[{"labels":{"a":"b"},"startsAt":5}]', 400, '{"code":400,"message":"parsing alerts body from \\"\\" failed, because json: cannot unmarshal number into Go struct field .startsAt of type string"}'],
      ['generatorURL number', '[{"labels":{"a":"b"},"generatorURL":1}]', 400, '{"code":400,"message":"parsing alerts body from \\"\\" failed, because json: cannot unmarshal number into Go struct field Alert.generatorURL of type string"}'],
      ['bad date', '[{"labels":{"a":"b"},"startsAt":"xyz"}]', 400, '{"code":400,"message":"parsing alerts body from \\"\\" failed, because parsing time \\"xyz\\" as \\"2006-01-02 15:04:05\\": cannot parse \\"xyz\\" as \\"2006\\""}'],
      ['date without time', '[{"labels":{"a":"b"},"startsAt":"2026-01-02"}]', 400, '{"code":400,"message":"parsing alerts body from \\"\\" failed, because parsing time \\"2026-01-02\\" as \\"2006-01-02 15:04:05\\": cannot parse \\"\\" as \\"15\\""}'],
      ['offset without colon', '[{"labels":{"a":"b"},"startsAt":"2026-01-02T00:00:00+0100"}]', 400, '{"code":400,"message":"parsing alerts body from \\"\\" failed, because parsing time \\"2026-01-02T00:00:00+0100\\" as \\"2006-01-02 15:04:05\\": cannot parse \\"T00:00:00+0100\\" as \\" \\""}'],
      ['month 13', '[{"labels":{"a":"b"},"startsAt":"2026-13-02T00:00:00Z"}]', 400, '{"code":400,"message":"parsing alerts body from \\"\\" failed, because parsing time \\"2026-13-02T00:00:00Z\\": month out of range"}'],
      ['extra text', '[{"labels":{"a":"b"},"startsAt":"2026-01-02 00:00:00x"}]', 400, '{"code":400,"message":"parsing alerts body from \\"\\" failed, because parsing time \\"2026-01-02 00:00:00x\\": extra text: \\"x\\""}'],
      ['empty labels', '[{"labels":{}}]', 400, '"at least one label pair required"\n'],
      ['only empty label values', '[{"labels":{"a":""}}]', 400, '"at least one label pair required"\n'],
      ['null label value', '[{"labels":{"a":null}}]', 400, '"at least one label pair required"\n'],
      ['ends before start', '[{"labels":{"a":"b"},"startsAt":"2026-01-02T00:00:00Z","endsAt":"2026-01-01T00:00:00Z"}]', 400, '"start time must be before end time"\n'],
      ['empty annotation name', '[{"labels":{"a":"b"},"annotations":{"":"y"}}]', 400, '"invalid annotations: invalid name \\"\\""\n'],
      ['empty label name', '[{"labels":{"":"y"}}]', 400, '"invalid label set: invalid name \\"\\""\n'],
    ];
    it.each(cases)('%s', async (_name, body, status, expected) => {
      const r = await postAlerts(h.url, body);
      expect(r.status).toBe(status);
      expect(r.text).toBe(expected);
      expect(r.contentType).toBe('application/json');
      expect(h.app.core.alerts.count()).toBe(0);
    });

    it('accepts gzip, deflate and br bodies; refuses a corrupt one (400) and an unknown encoding (415)', async () => {
      const body = Buffer.from(JSON.stringify([{ labels: { alertname: 'Zipped' } }]));
      const send = (enc: string, data: Buffer) =>
        fetch(`${h.url}/api/v2/alerts`, { method: 'POST', headers: { 'Content-Type': 'application/json', 'Content-Encoding': enc }, body: new Uint8Array(data) });
      for (const [enc, data] of [
        ['gzip', zlib.gzipSync(body)],
        ['deflate', zlib.deflateSync(body)],
        ['br', zlib.brotliCompressSync(body)],
      ] as const) {
        const r = await send(enc, data);
        expect([enc, r.status]).toEqual([enc, 200]);
      }
      const bad = await send('gzip', body);
      expect(bad.status).toBe(400);
      expect(await bad.text()).toBe('"invalid gzip request body: incorrect header check"\n');
      const unknown = await send('zz', body);
      expect(unknown.status).toBe(415);
      expect(await unknown.text()).toBe('"unsupported content encoding \\"zz\\""\n');
      expect(h.app.core.alerts.count()).toBe(1);
    });

    it('refuses a non-JSON content type with 415, naming it', async () => {
      const r = await postAlerts(h.url, '[]', 'text/plain');
      expect(r.status).toBe(415);
      expect(r.text).toBe('{"code":415,"message":"unsupported media type \\"text/plain\\", only [application/json] are allowed"}');
    });

    it('accepts application/json with a charset, null and [] bodies, and ignores trailing data like Go', async () => {
      for (const body of ['[]', 'null', '[] x']) {
        const r = await postAlerts(h.url, body, 'application/json; charset=utf-8');
        expect([body, r.status, r.text]).toEqual([body, 200, '']);
      }
    });

    it('stores the valid alerts of a batch and lists every invalid one (newline-joined, as master)', async () => {
      const r = await postAlerts(h.url, [
        { labels: { a: 'b' }, startsAt: '2026-01-02T00:00:00Z', endsAt: '2026-01-01T00:00:00Z' },
        { labels: { alertname: 'ok' } },
        { labels: {} },
        { labels: { alertname: 'ok2' }, annotations: { summary: 'x' } },
      ]);
      expect(r.status).toBe(400);
      expect(JSON.parse(r.text)).toBe('start time must be before end time\nat least one label pair required');
      const got = await getAlerts();
      expect(got.body.map((a: any) => a.labels.alertname).sort()).toEqual(['ok', 'ok2']);
      const m = await h.registry.metrics();
      expect(m).toContain('alertmanager_alerts_invalid_total{version="v2"} 2');
      expect(m).toContain('alertmanager_alerts_received_total{status="firing",version="v2"} 3');
      expect(m).toContain('alertmanager_alerts_received_total{status="resolved",version="v2"} 1');
    });

    it('accepts UTF-8 label names by default (master fallback mode)', async () => {
      const r = await postAlerts(h.url, [{ labels: { a: 'a', '00': 'b', 'Σ': 'c', '🙂': 'dΘ' } }]);
      expect(r.status).toBe(200);
      const got = await getAlerts('?filter=' + encodeURIComponent('Σ=c'));
      expect(got.body).toHaveLength(1);
      expect(got.body[0].labels).toEqual({ a: 'a', '00': 'b', 'Σ': 'c', '🙂': 'dΘ' });
    });

    it('applies the time rules: startsAt defaults, resolve_timeout, timestamps in ms precision', async () => {
      const before = Date.now();
      await postAlerts(h.url, [
        { labels: { alertname: 'noTimes' } },
        { labels: { alertname: 'onlyEnd' }, endsAt: '2099-01-01T00:00:00.123456Z' },
      ]);
      const all = [...h.app.core.alerts.all()];
      const noTimes = all.find((a) => a.labels.alertname === 'noTimes')!;
      expect(noTimes.startsAt).toBeGreaterThanOrEqual(before);
      expect(noTimes.timeout).toBe(true);
      expect(noTimes.endsAt - noTimes.startsAt).toBe(5 * 60_000); // default resolve_timeout 5m
      const onlyEnd = all.find((a) => a.labels.alertname === 'onlyEnd')!;
      expect(onlyEnd.startsAt).toBe(Date.UTC(2099, 0, 1, 0, 0, 0, 123));
      expect(onlyEnd.endsAt).toBe(onlyEnd.startsAt);
      expect(onlyEnd.timeout).toBe(false);
    });
  });

  describe('GET', () => {
    beforeEach(async () => {
      const r = await postAlerts(h.url, [
        { labels: { alertname: 'A', severity: 'warning' }, annotations: { summary: 's' }, generatorURL: 'http://prom/graph' },
        { labels: { alertname: 'B', severity: 'critical', team: 'x' } },
        { labels: { alertname: 'Old' }, startsAt: '2020-01-01T00:00:00Z', endsAt: '2020-01-01T01:00:00Z' },
      ]);
      expect(r.status).toBe(200);
    });

    it('returns the gettableAlert shape, sorted by fingerprint, without resolved alerts', async () => {
      const r = await fetch(`${h.url}/api/v2/alerts`);
      expect(r.headers.get('cache-control')).toBe('no-store');
      const text = await r.text();
      const body = JSON.parse(text);
      expect(body.map((a: any) => a.labels.alertname).sort()).toEqual(['A', 'B']);
      expect(body[0].fingerprint < body[1].fingerprint).toBe(true);
      const a = body.find((x: any) => x.labels.alertname === 'A');
      expect(Object.keys(a)).toEqual(['annotations', 'endsAt', 'fingerprint', 'receivers', 'startsAt', 'status', 'updatedAt', 'generatorURL', 'labels']);
      expect(a.receivers).toEqual([{ name: 'default' }]);
      expect(a.status).toEqual({ inhibitedBy: [], mutedBy: [], silencedBy: [], state: 'active' });
      expect(a.fingerprint).toMatch(/^[0-9a-f]{16}$/);
      expect(a.startsAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
      expect('generatorURL' in body.find((x: any) => x.labels.alertname === 'B')).toBe(false);
    });

    it('filters by matchers with upstream empty-value semantics', async () => {
      const names = async (q: string) => ((await getAlerts(q)).body as any[]).map((a) => a.labels.alertname).sort();
      expect(await names('?filter=severity%3Dwarning')).toEqual(['A']);
      expect(await names('?filter=alertname%3D~%22A%7CB%22&filter=team%3Dx')).toEqual(['B']);
      expect(await names('?filter=team%3D%22%22')).toEqual(['A']); // lacking the label passes
      expect(await names('?filter=team!%3D%22%22')).toEqual(['B']); // having it passes
    });

    it('answers 400 with the parser error for a bad filter and a bad receiver regex', async () => {
      const bad = await getAlerts('?filter=a%3D%22b');
      expect(bad.status).toBe(400);
      expect(bad.body).toBe('matcher value contains unescaped double quote: "b');
      const rcv = await getAlerts('?receiver=(');
      expect(rcv.status).toBe(400);
      expect(rcv.body).toBe('failed to parse receiver param: error parsing regexp: missing closing ): `^(?:()$`');
    });

    it('filters by receiver_matchers on the receivers\' labels', async () => {
      expect((await getAlerts('?receiver_matchers=name%3Ddefault')).body).toHaveLength(2);
      expect((await getAlerts('?receiver_matchers=name%3Dother')).body).toHaveLength(0);
      const bad = await getAlerts('?receiver_matchers=a%3D%22b');
      expect(bad.status).toBe(400);
      expect(bad.body).toBe('failed to parse receiver_matchers param: matcher value contains unescaped double quote: "b');
    });

    it('filters by receiver (anchored regex) and active', async () => {
      expect((await getAlerts('?receiver=def')).body).toHaveLength(0);
      expect((await getAlerts('?receiver=def.*')).body).toHaveLength(2);
      expect((await getAlerts('?active=false')).body).toHaveLength(0);
      expect((await getAlerts('?unprocessed=false')).body).toHaveLength(2);
    });
  });

  describe('merging with stored alerts', () => {
    it('keeps the earliest startsAt when intervals overlap, and replaces otherwise', async () => {
      const post = (startsAt: string, endsAt: string) => postAlerts(h.url, [{ labels: { alertname: 'M' }, startsAt, endsAt }]);
      await post('2099-01-01T00:00:00Z', '2099-01-01T02:00:00Z');
      await post('2099-01-01T01:00:00Z', '2099-01-01T03:00:00Z'); // starts inside the stored one: merge
      let a = [...h.app.core.alerts.all()][0]!;
      expect(new Date(a.startsAt).toISOString()).toBe('2099-01-01T00:00:00.000Z');
      expect(new Date(a.endsAt).toISOString()).toBe('2099-01-01T03:00:00.000Z');
      await post('2099-02-01T00:00:00Z', '2099-02-01T01:00:00Z'); // no overlap: replace
      a = [...h.app.core.alerts.all()][0]!;
      expect(new Date(a.startsAt).toISOString()).toBe('2099-02-01T00:00:00.000Z');
      expect(h.app.core.alerts.count()).toBe(1);
    });
  });
});

describe('API v2 in classic mode', () => {
  it('rejects non-classic label names with upstream text', async () => {
    const h = await startApp({ options: { features: ['classic-mode'] } });
    try {
      const r = await postAlerts(h.url, [{ labels: { '0a': 'b' } }]);
      expect(r.status).toBe(400);
      expect(r.text).toBe('"invalid label set: invalid name \\"0a\\""\n');
    } finally {
      await h.close();
    }
  });
});
