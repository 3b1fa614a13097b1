import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import express from 'express';
import { Registry } from 'prom-client';
import { Silences } from '../silence/silences';
import { type DB, openDatabase } from '../store/db';
import { SilenceStore } from '../store/silences';
import type { Clock } from '../types/clock';
import { silentLogger } from '../types/logger';
import { silenceRoutes } from './silences';

const H = 3600_000;
const T0 = Date.UTC(2026, 0, 1, 12, 0, 0);
const iso = (ms: number) => new Date(ms).toISOString();

let dir: string;
let db: DB;
let now = T0;
const clock: Clock = { now: () => now, setTimer: () => ({ cancel() {} }) };
let silences: Silences;
let server: import('node:http').Server;
let base: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'tocsin-apisil-'));
  db = openDatabase(dir);
  silences = new Silences({ store: new SilenceStore(db), clock, logger: silentLogger(), registry: new Registry(), retention: 120 * H });
  const app = express();
  app.use('/api/v2', silenceRoutes({ silences, logger: silentLogger(), clock }));
  await new Promise<void>((resolve) => {
    server = app.listen(0, '127.0.0.1', () => resolve());
  });
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/v2`;
});

afterAll(async () => {
  await new Promise((r) => server.close(r));
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

async function post(body: unknown, contentType = 'application/json') {
  const r = await fetch(`${base}/silences`, {
    method: 'POST',
    headers: { 'content-type': contentType },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: r.status, text: await r.text() };
}

function silence(over: Record<string, unknown> = {}) {
  return {
    matchers: [{ name: 'alertname', value: 'A', isRegex: false, isEqual: true }],
    startsAt: iso(now),
    endsAt: iso(now + H),
    createdBy: 'me',
    comment: 'c',
    ...over,
  };
}

describe('POST /silences', () => {
  test('creates, then GET /silence/{id} returns it in upstream form', async () => {
    const r = await post(silence({ annotations: { ticket: 'X-1' } }));
    expect(r.status).toBe(200);
    const { silenceID } = JSON.parse(r.text);
    expect(r.text).toBe(`{"silenceID":"${silenceID}"}\n`);
    const g = await fetch(`${base}/silence/${silenceID}`);
    expect(g.status).toBe(200);
    expect(await g.text()).toBe(
      `{"id":"${silenceID}","status":{"state":"active"},"updatedAt":"${iso(T0)}","annotations":{"ticket":"X-1"},` +
        `"comment":"c","createdBy":"me","endsAt":"${iso(T0 + H)}",` +
        `"matchers":[{"isEqual":true,"isRegex":false,"name":"alertname","value":"A"}],"startsAt":"${iso(T0)}"}\n`,
    );
  });

  test('update in place keeps the id; a changed matcher replaces and expires the old one', async () => {
    const { silenceID: id } = JSON.parse((await post(silence())).text);
    const same = await post(silence({ id, comment: 'edited', endsAt: iso(now + 2 * H) }));
    expect(JSON.parse(same.text).silenceID).toBe(id);
    expect(silences.get(id)).toMatchObject({ comment: 'edited', endsAt: now + 2 * H });
    now += 1000;
    const changed = await post(silence({ id, matchers: [{ name: 'alertname', value: 'B', isRegex: false }] }));
    const newId = JSON.parse(changed.text).silenceID;
    expect(newId).not.toBe(id);
    expect(silences.get(id)!.endsAt).toBe(now);
    now += 1;
  });

  test('unknown id is 404 "silence not found"', async () => {
    const r = await post(silence({ id: 'c5e7f0aa-1111-4222-8333-444455556666' }));
    expect(r).toEqual({ status: 404, text: '"silence not found"\n' });
  });

  test.each<[string, unknown, number, string]>([
    ['start after end', silence({ startsAt: iso(T0 + 2 * H), endsAt: iso(T0 + H) }), 400, '"Failed to create silence: start time must be before end time"\n'],
    ['start equals end', silence({ startsAt: iso(T0 + H), endsAt: iso(T0 + H) }), 400, '"Failed to create silence: start time must be before end time"\n'],
    ['end in the past', silence({ startsAt: iso(T0 - 2 * H), endsAt: iso(T0 - H) }), 400, '"Failed to create silence: end time can\'t be in the past"\n'],
    [
      'bad regex',
      silence({ matchers: [{ name: 'foo', value: '(', isRegex: true }] }),
      400,
      '"invalid silence: invalid label matcher 0 in set 0: invalid regular expression \\"(\\": error parsing regexp: missing closing ): `(`"\n',
    ],
    [
      'matches empty',
      silence({ matchers: [{ name: 'foo', value: '.*', isRegex: true }] }),
      400,
      '"invalid silence: matcher set 0: at least one matcher must not match the empty string"\n',
    ],
    ['no matchers', silence({ matchers: [] }), 422, '{"code":612,"message":"matchers in body should have at least 1 items"}'],
    ['missing comment', silence({ comment: undefined }), 422, '{"code":602,"message":"comment in body is required"}'],
    [
      'missing matcher name',
      silence({ matchers: [{ value: 'x', isRegex: false }] }),
      422,
      '{"code":602,"message":"matchers.0.name in body is required"}',
    ],
    [
      'several problems',
      silence({ comment: undefined, createdBy: undefined }),
      422,
      '{"code":602,"message":"comment in body is required"}',
    ],
    ['malformed JSON', '{x', 400, '{"code":400,"message":"parsing silence body from \\"\\" failed, because invalid character \'x\' looking for beginning of object key string"}'],
    ['wrong type', silence({ comment: 5 }), 400, '{"code":400,"message":"parsing silence body from \\"\\" failed, because json: cannot unmarshal number into Go struct field Silence.comment of type string"}'],
    ['empty body', '', 422, '{"code":602,"message":"silence in body is required"}'],
    ['null body', 'null', 422, '{"code":602,"message":"comment in body is required"}'],
    [
      'array body',
      '[]',
      400,
      '{"code":400,"message":"parsing silence body from \\"\\" failed, because json: cannot unmarshal array into Go value of type struct { ID string \\"json:\\\\\\"id,omitempty\\\\\\"\\" }"}',
    ],
    [
      'wrong matcher type',
      silence({ matchers: [{ name: 5, value: 'b', isRegex: false }] }),
      400,
      '{"code":400,"message":"parsing silence body from \\"\\" failed, because json: cannot unmarshal number into Go struct field Matcher.matchers.name of type string"}',
    ],
    [
      'numeric time',
      silence({ startsAt: 5 }),
      400,
      '{"code":400,"message":"parsing silence body from \\"\\" failed, because json: cannot unmarshal number into Go struct field Silence.startsAt of type string"}',
    ],
    [
      'bad time',
      silence({ startsAt: 'xyz' }),
      400,
      '{"code":400,"message":"parsing silence body from \\"\\" failed, because parsing time \\"xyz\\" as \\"2006-01-02 15:04:05\\": cannot parse \\"xyz\\" as \\"2006\\""}',
    ],
  ])('%s', async (_n, body, status, text) => {
    expect(await post(body)).toEqual({ status, text });
  });

  test('non-JSON content type is 415', async () => {
    const r = await post('x', 'text/plain');
    expect(r).toEqual({ status: 415, text: '{"code":415,"message":"unsupported media type \\"text/plain\\", only [application/json] are allowed"}' });
  });

  test('isEqual defaults to true', async () => {
    const r = await post(silence({ matchers: [{ name: 'job', value: 'a.+', isRegex: true }] }));
    const id = JSON.parse(r.text).silenceID;
    expect(silences.get(id)!.matcherSets[0]![0]!.toString()).toBe('job=~"a.+"');
  });
});

describe('GET /silences', () => {
  test('filters by identical matchers, by state, and sorts as upstream', async () => {
    const mk = async (name: string, start: number, end: number) =>
      JSON.parse((await post(silence({ matchers: [{ name: 'team', value: name, isRegex: false }], startsAt: iso(start), endsAt: iso(end) }))).text)
        .silenceID as string;
    const a1 = await mk('t1', now, now + 3 * H);
    const a2 = await mk('t1', now, now + 2 * H);
    const p1 = await mk('t1', now + 2 * H, now + 4 * H);
    const p2 = await mk('t1', now + H, now + 4 * H);
    const e1 = await mk('t1', now, now + H);
    const e2 = await mk('t1', now, now + 2 * H);
    await fetch(`${base}/silence/${e1}`, { method: 'DELETE' });
    now += 1000;
    await fetch(`${base}/silence/${e2}`, { method: 'DELETE' });
    now += 1000;
    const list = async (q: string) => {
      const r = await fetch(`${base}/silences?${q}`);
      expect(r.status).toBe(200);
      return ((await r.json()) as { id: string; status: { state: string } }[]).map((s) => s.id);
    };
    expect(await list('filter=team%3D%22t1%22')).toEqual([a2, a1, p2, p1, e2, e1]);
    expect(await list('filter=team%3D%22t1%22&active=false&pending=false')).toEqual([e2, e1]);
    expect(await list('filter=team%3D%22t1%22&expired=0')).toEqual([a2, a1, p2, p1]);
    // go-swagger binding (get_silences_parameters.go bindActive...): the last value of a repeated flag counts and an
    // empty value keeps the default (true)
    expect(await list('filter=team%3D%22t1%22&active=&pending=&expired=')).toEqual([a2, a1, p2, p1, e2, e1]);
    expect(await list('filter=team%3D%22t1%22&active=true&active=false&pending=true&pending=0')).toEqual([e2, e1]);
    expect(await list('filter=team%3D%22t1%22&active=false&active=&expired=false&expired=')).toEqual([a2, a1, p2, p1, e2, e1]);
    // syntactic, not semantic: a regex filter does not select equality matchers
    expect(await list('filter=team%3D~%22t.%22')).toEqual([]);
    expect(await list('filter=team%3Dt1&filter=team%3D%22t1%22')).toHaveLength(6);
    expect(await list('filter=team%3D%22t1%22&filter=alertname%3DA')).toEqual([]);
  });

  test('a bad filter is 400 with the parser error', async () => {
    const r = await fetch(`${base}/silences?filter=${encodeURIComponent('{foo=bar}')}`);
    expect(r.status).toBe(400);
    expect(await r.text()).toBe('"unexpected open or close brace: {foo=bar}"\n');
    const r2 = await fetch(`${base}/silences?filter=${encodeURIComponent('foo="bar')}`);
    expect(r2.status).toBe(400);
    expect(await r2.text()).toBe('"matcher value contains unescaped double quote: \\"bar"\n');
  });

  test('a silence with several matcher sets cannot be shown (500)', async () => {
    const id = silences.set({
      matcherSets: [[{ type: '=', name: 'a', value: '1' }], [{ type: '=', name: 'b', value: '2' }]],
      startsAt: now,
      endsAt: now + H,
      createdBy: 'x',
      comment: 'y',
    });
    const r = await fetch(`${base}/silence/${id}`);
    expect(r.status).toBe(500);
    expect(await r.text()).toBe(`"silence '${id}' has multiple matcher sets which is not supported by this API version"\n`);
    silences.expire(id);
    now += 1;
    expect((await fetch(`${base}/silences?active=false&pending=false`)).status).toBe(500);
  });
});

describe('GET and DELETE /silence/{id}', () => {
  test('non-UUID is 422, unknown is 404 with an empty body', async () => {
    const r = await fetch(`${base}/silence/xyz`);
    expect(r.status).toBe(422);
    expect(await r.text()).toBe('{"code":601,"message":"silenceID in path must be of type uuid: \\"xyz\\""}');
    const d = await fetch(`${base}/silence/xyz`, { method: 'DELETE' });
    expect(d.status).toBe(422);
    const u = await fetch(`${base}/silence/c5e7f0aa-1111-4222-8333-444455556666`);
    expect(u.status).toBe(404);
    expect(await u.text()).toBe('');
    const du = await fetch(`${base}/silence/c5e7f0aa-1111-4222-8333-444455556666`, { method: 'DELETE' });
    expect(du.status).toBe(404);
  });

  test('DELETE expires (idempotent); GET shows expired', async () => {
    const id = JSON.parse((await post(silence())).text).silenceID;
    expect((await fetch(`${base}/silence/${id}`, { method: 'DELETE' })).status).toBe(200);
    expect((await fetch(`${base}/silence/${id}`, { method: 'DELETE' })).status).toBe(200);
    const g = (await (await fetch(`${base}/silence/${id}`)).json()) as { status: { state: string }; endsAt: string };
    expect(g.status.state).toBe('expired'); // API rule: expired once now >= endsAt
    expect(g.endsAt).toBe(iso(now));
  });
});
