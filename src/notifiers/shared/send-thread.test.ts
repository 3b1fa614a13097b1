import { useFakeReceiver } from '../testing/fake-receiver';
import { type PoolSettings, SendThread, SendThreadError } from './send-thread';

const settings: PoolSettings = { connect: {}, follow_redirects: true, http2: false, maxConnections: 4 };
const signal = () => new AbortController().signal;
const srv = useFakeReceiver();

describe('SendThread', () => {
  test('a request made on the thread: method, path, headers and body go out; status, headers and body come back', async () => {
    srv.respond = () => ({ status: 201, body: '\uFEFFcreated', headers: { 'x-a': '1' } });
    const t = new SendThread();
    const pool = t.register(settings);
    const origin = srv.url;
    const res = await t.exchange({ pool, direct: false, origin, path: '/p?q=1', method: 'PUT', headers: { 'x-h': 'v' }, body: 'hello' }, signal());
    expect(res).toMatchObject({ status: 201, body: 'created' });
    expect(res.headers['x-a']).toBe('1');
    expect(srv.requests[0]).toMatchObject({ method: 'PUT', url: '/p?q=1', body: 'hello' });
    expect(srv.requests[0]!.headers['x-h']).toBe('v');
    await t.closePool(pool);
  });

  test('a transport error keeps its message and code; a URL that is not http(s) gets undici\'s own error', async () => {
    const t = new SendThread();
    const pool = t.register(settings);
    const refused = t.exchange({ pool, direct: false, origin: 'http://127.0.0.1:1', path: '/', method: 'POST', headers: {}, body: '{}' }, signal());
    await expect(refused).rejects.toBeInstanceOf(SendThreadError);
    await expect(refused).rejects.toMatchObject({ code: 'ECONNREFUSED' });
    await expect(t.exchange({ pool, direct: false, url: 'ftp://example.invalid/', method: 'POST', headers: {} }, signal())).rejects.toThrow(/protocol/i);
    await t.closePool(pool);
  });

  test('requests started in one turn all complete, across pools; an abort settles at once with its reason', async () => {
    srv.respond = (r) => (r.url === '/hang' ? { status: 200, hang: true } : { status: 200, body: r.url });
    const t = new SendThread();
    const a = t.register(settings);
    const b = t.register({ ...settings, follow_redirects: false });
    const all = await Promise.all(
      Array.from({ length: 40 }, (_, i) => t.exchange({ pool: i % 2 ? a : b, direct: false, origin: srv.url, path: `/r${i}`, method: 'POST', headers: {}, body: '' }, signal())),
    );
    expect(all.map((r) => r.body)).toEqual(Array.from({ length: 40 }, (_, i) => `/r${i}`));
    const ac = new AbortController();
    const hanging = t.exchange({ pool: a, direct: false, origin: srv.url, path: '/hang', method: 'POST', headers: {}, body: '' }, ac.signal);
    while (!srv.requests.some((r) => r.url === '/hang')) await new Promise((r) => setTimeout(r, 5));
    ac.abort(new Error('stop'));
    await expect(hanging).rejects.toThrow('stop');
    await Promise.all([t.closePool(a), t.closePool(b)]);
  });

  test('warm() starts the thread with a warm-up of its own (every request answered, none to a receiver); the pools work after it', async () => {
    srv.respond = () => ({ status: 200, body: 'ok' });
    const t = new SendThread();
    const warmed = t.warmedUp();
    t.warm(8);
    expect(await warmed).toBe(200);
    expect(srv.requests).toHaveLength(0);
    const pool = t.register(settings);
    await expect(t.exchange({ pool, direct: false, origin: srv.url, path: '/after', method: 'POST', headers: {}, body: 'x' }, signal())).resolves.toMatchObject({ status: 200, body: 'ok' });
    expect(srv.requests.map((r) => r.url)).toEqual(['/after']);
    await t.closePool(pool);
  });

  test('a request that comes during the warm-up stops it: the warm-up ends without sending its remaining requests', async () => {
    srv.respond = () => ({ status: 200, body: 'ok' });
    const t = new SendThread();
    const warmed = t.warmedUp();
    t.warm(2);
    const pool = t.register(settings);
    await expect(t.exchange({ pool, direct: false, origin: srv.url, path: '/now', method: 'POST', headers: {}, body: '' }, signal())).resolves.toMatchObject({ status: 200 });
    expect(await warmed).toBeLessThan(200);
    await t.closePool(pool);
  });

  test('an idle thread ends; the next request starts another and registers its pool again', async () => {
    srv.respond = () => ({ status: 200, body: 'ok' });
    const t = new SendThread(20);
    const pool = t.register(settings);
    const req = () => t.exchange({ pool, direct: false, origin: srv.url, path: '/x', method: 'POST', headers: {}, body: '' }, signal());
    await expect(req()).resolves.toMatchObject({ status: 200 });
    const first = srv.requests[0]!.remotePort;
    await new Promise((r) => setTimeout(r, 200));
    await expect(req()).resolves.toMatchObject({ status: 200 });
    // a new thread: a new connection (the first one's kept-alive socket ended with its thread)
    expect(srv.requests[1]!.remotePort).not.toBe(first);
    await t.closePool(pool);
  });
});
