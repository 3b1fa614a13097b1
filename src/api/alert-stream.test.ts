import { type Harness, postAlerts, postSilence, startApp } from '../../test/helpers/app-harness';

interface SseEvent {
  event: string;
  data: string;
}

/** A Server-Sent Events client over fetch: events as they arrive. */
async function connect(url: string) {
  const ctl = new AbortController();
  const res = await fetch(url, { signal: ctl.signal });
  const events: SseEvent[] = [];
  let waiters: (() => void)[] = [];
  const reading = (async () => {
    const dec = new TextDecoder();
    let buf = '';
    try {
      for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
        buf += dec.decode(chunk, { stream: true });
        let end = buf.indexOf('\n\n');
        while (end >= 0) {
          const block = buf.slice(0, end);
          buf = buf.slice(end + 2);
          let event = 'message';
          const data: string[] = [];
          for (const line of block.split('\n')) {
            if (line.startsWith('event: ')) event = line.slice(7);
            else if (line.startsWith('data: ')) data.push(line.slice(6));
          }
          if (data.length > 0) events.push({ event, data: data.join('\n') });
          end = buf.indexOf('\n\n');
        }
        for (const w of waiters) w();
        waiters = [];
      }
    } catch {
      // aborted
    }
  })();
  /** Waits for the first event after index `from` that `pred` accepts; resolves with it and its index. */
  async function next(pred: (e: SseEvent) => boolean, from: number, timeoutMs = 5000): Promise<{ e: SseEvent; i: number }> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      for (let i = from; i < events.length; i++) if (pred(events[i]!)) return { e: events[i]!, i };
      if (Date.now() > deadline) throw new Error(`no such event in time; got ${JSON.stringify(events.slice(from))}`);
      await new Promise<void>((r) => {
        waiters.push(r);
        setTimeout(r, 100);
      });
    }
  }
  return {
    res,
    events,
    next,
    async close() {
      ctl.abort();
      await reading;
    },
  };
}

type Change = { type: string; alert?: { fingerprint: string; labels: Record<string, string>; annotations: Record<string, string>; status: { silencedBy: string[] } }; fingerprint?: string };
const changes = (e: SseEvent) => (e.event === 'alerts' ? (JSON.parse(e.data) as Change[]) : []);

describe('GET /api/v2/tocsin/alerts/stream', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startApp();
  });
  afterEach(async () => {
    await h.close();
  });

  it('says resync at connect, then sends added, updated, status and removed changes as they happen', async () => {
    const s = await connect(`${h.url}/api/v2/tocsin/alerts/stream`);
    try {
      expect(s.res.status).toBe(200);
      expect(s.res.headers.get('content-type')).toBe('text/event-stream');
      let at = (await s.next((e) => e.event === 'resync', 0)).i;

      const labels = { alertname: 'Live', instance: 'a' };
      const t0 = Date.now();
      expect((await postAlerts(h.url, [{ labels, annotations: { v: '1' } }])).status).toBe(200);
      let got = await s.next((e) => changes(e).some((c) => c.type === 'added'), at + 1);
      expect(Date.now() - t0).toBeLessThan(1500);
      const added = changes(got.e).find((c) => c.type === 'added')!;
      expect(added.alert!.labels).toEqual(labels);
      // the alert as GET /api/v2/alerts writes it
      const listed = (await (await fetch(`${h.url}/api/v2/alerts`)).json()) as unknown[];
      expect(listed).toEqual([added.alert]);
      at = got.i;

      expect((await postAlerts(h.url, [{ labels, annotations: { v: '2' } }])).status).toBe(200);
      got = await s.next((e) => changes(e).some((c) => c.type === 'updated'), at + 1);
      expect(changes(got.e).find((c) => c.type === 'updated')!.alert!.annotations).toEqual({ v: '2' });
      at = got.i;

      // a silence changes the status, not the alert: found by the periodic check (about a second)
      const silenceID = await postSilence(h.url, { alertname: 'Live' });
      got = await s.next((e) => changes(e).some((c) => c.type === 'status'), at + 1);
      expect(changes(got.e).find((c) => c.type === 'status')!.alert!.status.silencedBy).toEqual([silenceID]);
      at = got.i;

      expect((await postAlerts(h.url, [{ labels, endsAt: new Date(Date.now() - 1000).toISOString() }])).status).toBe(200);
      got = await s.next((e) => changes(e).some((c) => c.type === 'removed'), at + 1);
      expect(changes(got.e).find((c) => c.type === 'removed')!.fingerprint).toBe(added.alert!.fingerprint);
    } finally {
      await s.close();
    }
  });

  it('keeps open streams out of the GET concurrency limit', async () => {
    const streams = await Promise.all(Array.from({ length: 10 }, () => connect(`${h.url}/api/v2/tocsin/alerts/stream`)));
    try {
      for (const s of streams) await s.next((e) => e.event === 'resync', 0);
      const res = await fetch(`${h.url}/api/v2/alerts`);
      expect(res.status).toBe(200);
    } finally {
      for (const s of streams) await s.close();
    }
  });
});
