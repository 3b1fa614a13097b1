/**
 * GET /api/v2/tocsin/events streams history events as Server-Sent Events once they are stored, filtered like
 * the history query; a bad filter answers 400 before the stream starts.
 */
import { type Harness, postAlerts, startApp } from '../helpers/app-harness';

describe('history events stream', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startApp({ config: 'route: {receiver: default, group_by: [alertname], group_wait: 1h}\nreceivers: [{name: default}]\n' });
  });
  afterAll(() => h.close());

  it('streams new events matching the filters, as SSE', async () => {
    const ac = new AbortController();
    const r = await fetch(`${h.url}/api/v2/tocsin/events?kind=alert_created&filter=${encodeURIComponent('team="db"')}`, { signal: ac.signal });
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const reader = r.body!.getReader();
    const decoder = new TextDecoder();
    let text = '';
    expect((await postAlerts(h.url, [{ labels: { alertname: 'Web', team: 'web' } }, { labels: { alertname: 'Disk', team: 'db' } }])).status).toBe(200);
    const deadline = Date.now() + 10_000;
    const complete = () => {
      const at = text.indexOf('event: alert_created');
      return at >= 0 && text.includes('\n\n', at);
    };
    while (!complete() && Date.now() < deadline) {
      const { value, done } = await reader.read();
      if (done) break;
      text += decoder.decode(value);
    }
    ac.abort();
    const frames = text.split('\n\n').filter((f) => f.startsWith('event: '));
    expect(frames).toHaveLength(1);
    const [head, data] = frames[0]!.split('\n');
    expect(head).toBe('event: alert_created');
    const ev = JSON.parse(data!.replace(/^data: /, '')) as { kind: string; labels: Record<string, string>; time: string; fingerprint: string };
    expect(ev).toMatchObject({ kind: 'alert_created', labels: { alertname: 'Disk', team: 'db' } });
    expect(ev.fingerprint).toMatch(/^[0-9a-f]{16}$/);
    expect(Number.isNaN(Date.parse(ev.time))).toBe(false);
  });

  it('answers 400 naming a bad parameter', async () => {
    const r = await fetch(`${h.url}/api/v2/tocsin/events?kind=bogus`);
    expect(r.status).toBe(400);
    expect(await r.text()).toContain('bad kind');
  });
});
