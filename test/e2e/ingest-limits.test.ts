import http from 'node:http';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { ensureBuilt } from '../helpers/build';
import { startTocsin, type TocsinProcess } from '../helpers/tocsin-process';

/**
 * Issue 11 item 1: no POST /api/v2/alerts can take the server down or hold up other requests. Runs the real
 * server (bin/tocsin) and measures its memory (peak RSS from /proc) and how long /-/healthy takes to answer while
 * the request is processed. Before the limits, the gzip bomb below grew the process by over 1 GB and froze it for
 * about a minute, and a 60k-alert batch held /-/healthy for seconds.
 */

/** Peak resident memory of a process (VmHWM), MB. */
function peakRssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmHWM:\s+(\d+)/.exec(status)![1]) / 1024;
}

function post(url: string, body: Buffer, headers: Record<string, string> = {}): Promise<{ status: number; text: string; ms: number }> {
  const start = Date.now();
  return new Promise((resolve, reject) => {
    const req = http.request(
      `${url}/api/v2/alerts`,
      { method: 'POST', headers: { 'Content-Type': 'application/json', 'Content-Length': String(body.length), ...headers } },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (d: string) => {
          text += d;
        });
        res.on('end', () => resolve({ status: res.statusCode!, text, ms: Date.now() - start }));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/** Runs `work` while pinging /-/healthy every 10 ms; the slowest answer (ms) and the number of answers. */
async function healthyWhile<T>(url: string, work: Promise<T>): Promise<{ result: T; maxMs: number; pings: number }> {
  let done = false;
  let maxMs = 0;
  let pings = 0;
  const pinger = (async () => {
    while (!done) {
      const t = Date.now();
      const r = await fetch(`${url}/-/healthy`);
      await r.text();
      maxMs = Math.max(maxMs, Date.now() - t);
      pings++;
      await new Promise((res) => setTimeout(res, 10));
    }
  })();
  try {
    const result = await work;
    return { result, maxMs, pings };
  } finally {
    done = true;
    await pinger;
  }
}

function realisticBatch(n: number): Buffer {
  const endsAt = new Date(Date.now() + 3600_000).toISOString();
  return Buffer.from(
    JSON.stringify(
      Array.from({ length: n }, (_, i) => ({
        labels: { alertname: 'Big', instance: `host-${i}.example.com:9100`, job: 'node', severity: 'warning', team: 'infra' },
        annotations: { summary: 'CPU high', description: 'The CPU usage is above 90% for 5 minutes.' },
        endsAt,
      })),
    ),
  );
}

describe('POST /api/v2/alerts limits (real process)', () => {
  let dir: string;
  let p: TocsinProcess | undefined;
  beforeAll(() => {
    ensureBuilt();
    dir = mkdtempSync(path.join(os.tmpdir(), 'tocsin-ingest-'));
    writeFileSync(path.join(dir, 'tocsin.yml'), 'route:\n  receiver: default\nreceivers:\n  - name: default\n');
  }, 120_000);
  afterEach(async () => {
    await p?.stop('SIGKILL');
    p = undefined;
  });
  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  const start = async (args: string[] = []) => {
    p = await startTocsin({ configFile: path.join(dir, 'tocsin.yml'), storagePath: path.join(dir, `data-${Date.now()}`), args });
    // the notifier HTTP client is preloaded 0.5 s after start: let that pass so it is not measured
    await new Promise((r) => setTimeout(r, 1000));
    return p;
  };

  it('refuses a gzip bomb with 413 after inflating at most the limit: memory stays bounded, /-/healthy stays fast', async () => {
    const app = await start();
    // 12 million tiny alerts: 240 MB of JSON, 0.6 MB gzipped (the report's body)
    const one = '{"labels":{"a":"b"}},';
    const bomb = zlib.gzipSync(`[${one.repeat(12_000_000 - 1)}{"labels":{"a":"b"}}]`, { level: 9 });
    expect(bomb.length).toBeLessThan(1024 * 1024);
    const before = peakRssMb(app.child.pid!);
    const { result, maxMs } = await healthyWhile(app.url, post(app.url, bomb, { 'Content-Encoding': 'gzip' }));
    expect(result.status).toBe(413);
    expect(JSON.parse(result.text)).toEqual({
      code: 413,
      message: 'request body too large: over 16777216 bytes after decompression (--tocsin.api.max-decompressed-bytes)',
    });
    const grew = peakRssMb(app.child.pid!) - before;
    expect(grew).toBeLessThan(150); // measured ~20 MB; before the fix > 1 GB
    expect(maxMs).toBeLessThan(200);
    expect((await fetch(`${app.url}/api/v2/alerts`).then((r) => r.json())) as unknown[]).toEqual([]);
  }, 60_000);

  it('refuses a body over --tocsin.api.max-request-bytes with 413 before reading it', async () => {
    const app = await start(['--tocsin.api.max-request-bytes=1000000']);
    const before = peakRssMb(app.child.pid!);
    const r = await post(app.url, realisticBatch(5000)); // ~1.2 MB
    expect(r.status).toBe(413);
    expect(JSON.parse(r.text).message).toBe('request body too large: over 1000000 bytes (--tocsin.api.max-request-bytes)');
    expect(peakRssMb(app.child.pid!) - before).toBeLessThan(50);
  }, 60_000);

  it('refuses more alerts than --tocsin.api.max-alerts-per-request with 413, storing none', async () => {
    const app = await start(['--tocsin.api.max-alerts-per-request=300']);
    const r = await post(app.url, realisticBatch(301));
    expect(r.status).toBe(413);
    expect(JSON.parse(r.text)).toEqual({ code: 413, message: 'too many alerts in one request: over 300 (--tocsin.api.max-alerts-per-request)' });
    expect((await fetch(`${app.url}/api/v2/alerts`).then((r2) => r2.json())) as unknown[]).toEqual([]);
    expect((await post(app.url, realisticBatch(300))).status).toBe(200);
  }, 60_000);

  it('answers /-/healthy within tens of ms while a big allowed batch (60k alerts, 14 MB) is processed', async () => {
    const app = await start(['--tocsin.api.max-alerts-per-request=100000', '--tocsin.api.max-request-bytes=0', '--tocsin.api.max-decompressed-bytes=0']);
    const body = realisticBatch(60_000);
    const { result, maxMs, pings } = await healthyWhile(app.url, post(app.url, body));
    expect(result.status).toBe(200);
    // measured 1.7-2.2 s of processing, 75-86 answers, the slowest /-/healthy 34-104 ms (a GC pause at
    // worst; 267 ms once on a 2-core box with a load average of 9); before the fix 4 answers, each waiting for
    // the whole batch (~1.5 s and more)
    expect(pings).toBeGreaterThan(20);
    expect(maxMs).toBeLessThan(600);
    const got = (await fetch(`${app.url}/api/v2/alerts?filter=alertname%3DBig`).then((r) => r.json())) as unknown[];
    expect(got).toHaveLength(60_000);
  }, 90_000);
});
