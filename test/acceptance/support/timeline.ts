/**
 * The acceptance timeline DSL (after upstream test/with_api_v2/acceptance.go): actions at t seconds after the
 * base time, expectations as windows, and webhook collectors that record batches with their arrival time.
 *
 *   const tl = new Timeline();
 *   tl.at(1, () => am.push(alert('alertname', 'test').active(1.1)));
 *   co.want(between(2, 2.5), alert('alertname', 'test').active(1));
 *   await tl.run(am);  // then co.check() throws on any mismatch
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Window {
  start: number;
  end: number;
}
export const between = (start: number, end: number): Window => ({ start, end });

/** A test alert: labels, annotations and times in seconds relative to the base (0 = unset). */
export class TestAlert {
  labels: Record<string, string> = {};
  annotations: Record<string, string> = {};
  startsAt = 0;
  endsAt = 0;
  constructor(...kv: string[]) {
    for (let i = 0; i + 1 < kv.length; i += 2) this.labels[kv[i]!] = kv[i + 1]!;
  }
  active(start: number, end = 0): this {
    this.startsAt = start;
    this.endsAt = end;
    return this;
  }
  annotate(k: string, v: string): this {
    this.annotations[k] = v;
    return this;
  }
  /** the postable alert at base time `base` (epoch ms), as upstream's harness posts it */
  postable(base: number): Record<string, unknown> {
    const o: Record<string, unknown> = { labels: this.labels, annotations: this.annotations };
    if (this.startsAt > 0) o.startsAt = new Date(base + this.startsAt * 1000).toISOString();
    if (this.endsAt > 0) o.endsAt = new Date(base + this.endsAt * 1000).toISOString();
    return o;
  }
}
export const alert = (...kv: string[]) => new TestAlert(...kv);

interface ReceivedAlert {
  labels: Record<string, string>;
  annotations: Record<string, string>;
  startsAt: string;
  endsAt: string;
}
interface Batch {
  t: number;
  alerts: ReceivedAlert[];
  body: Record<string, unknown>;
}

/** A webhook receiver on loopback that records each POST's alerts as one batch. */
export class Collector {
  readonly batches: Batch[] = [];
  readonly #wants: { w: Window; alerts: TestAlert[] }[] = [];
  #server: Server | undefined;
  url = '';
  base = 0;
  /**
   * Optional hook: return {record:false} to answer 200 without recording (upstream mock Func),
   * with an optional delay before answering.
   */
  hook: ((t: number) => { record: boolean; delayMs?: number }) | undefined;

  constructor(
    readonly name: string,
    readonly toleranceS = 0.15,
  ) {}

  async start(): Promise<void> {
    this.#server = createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        const t = (Date.now() - this.base) / 1000;
        const h = this.hook?.(t) ?? { record: true };
        const answer = () => {
          if (h.record) {
            const msg = JSON.parse(body) as { alerts: ReceivedAlert[] };
            this.batches.push({ t, alerts: msg.alerts, body: msg as unknown as Record<string, unknown> });
          }
          res.statusCode = 200;
          res.end();
        };
        if (h.delayMs) setTimeout(answer, h.delayMs);
        else answer();
      });
    });
    await new Promise<void>((r) => this.#server!.listen(0, '127.0.0.1', r));
    this.url = `http://127.0.0.1:${(this.#server.address() as AddressInfo).port}/${this.name}`;
  }

  stop(): Promise<void> {
    return new Promise((r) => {
      this.#server?.closeAllConnections();
      this.#server?.close(() => r());
    });
  }

  want(w: Window, ...alerts: TestAlert[]): void {
    this.#wants.push({ w, alerts });
  }

  get lastWindowEnd(): number {
    return Math.max(0, ...this.#wants.map((x) => x.w.end));
  }

  #equal(exp: TestAlert, got: ReceivedAlert): boolean {
    if (JSON.stringify(sortKeys(exp.labels)) !== JSON.stringify(sortKeys(got.labels))) return false;
    if (JSON.stringify(sortKeys(exp.annotations)) !== JSON.stringify(sortKeys(got.annotations ?? {}))) return false;
    const at = (s: string) => (Date.parse(s) - this.base) / 1000;
    if (Math.abs(at(got.startsAt) - exp.startsAt) > this.toleranceS) return false;
    if (exp.endsAt === 0) return got.endsAt === '0001-01-01T00:00:00Z';
    return got.endsAt !== '0001-01-01T00:00:00Z' && Math.abs(at(got.endsAt) - exp.endsAt) <= this.toleranceS;
  }

  /**
   * Problems found (empty = pass), checked as upstream's Collector.check does, with two tolerances for a shared,
   * loaded machine: a wanted batch may arrive up to `slack` s after its window ends (event-loop and scheduling
   * delays) or up to `early` s before it starts (arrivals are whole-ms Date.now() stamps; calm runs land only
   * 4-30 ms after the start). A window that wants nothing is checked exactly, as upstream does. Wanted windows
   * must stay disjoint after widening, so the tolerances never let one batch satisfy two windows; the total
   * count still catches any extra notification.
   */
  check(slack: number, early = 0): string[] {
    const problems: string[] = [];
    const show = () => this.batches.map((b) => `  t=${b.t.toFixed(2)}: ${b.alerts.map(fmtReceived).join(', ')}`).join('\n');
    const wanted = this.#wants.filter((x) => x.alerts.length > 0).map((x) => x.w);
    wanted.sort((a, b) => a.start - b.start);
    for (let i = 1; i < wanted.length; i++) {
      const [a, b] = [wanted[i - 1]!, wanted[i]!];
      if (a.end + slack >= b.start - early) problems.push(`${this.name}: windows [${a.start}, ${a.end}] and [${b.start}, ${b.end}] overlap once widened by the tolerances`);
    }
    for (const { w, alerts } of this.#wants) {
      if (alerts.length === 0) {
        const inWin = this.batches.filter((b) => b.t >= w.start && b.t <= w.end);
        if (inWin.length > 0) problems.push(`${this.name}: expected no notification in [${w.start}, ${w.end}], got ${inWin.length}\n${show()}`);
        continue;
      }
      const inWin = this.batches.filter((b) => b.t >= w.start - early && b.t <= w.end + slack);
      const ok = inWin.some((b) => b.alerts.length === alerts.length && alerts.every((e) => b.alerts.some((g) => this.#equal(e, g))));
      if (!ok) problems.push(`${this.name}: no batch in [${w.start}, ${w.end}] equal to {${alerts.map(fmtExpected).join(', ')}}\n${show()}`);
    }
    const expectedTotal = this.#wants.reduce((n, x) => n + x.alerts.length, 0);
    const horizon = this.lastWindowEnd + slack;
    const gotTotal = this.batches.filter((b) => b.t <= horizon).reduce((n, b) => n + b.alerts.length, 0);
    if (gotTotal !== expectedTotal) problems.push(`${this.name}: received ${gotTotal} alerts in total, expected ${expectedTotal}\n${show()}`);
    if (this.batches.some((b) => b.alerts.length === 0)) problems.push(`${this.name}: empty batch received`);
    return problems;
  }
}

function sortKeys(o: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(o).sort(([a], [b]) => (a < b ? -1 : 1)));
}
function fmtExpected(a: TestAlert): string {
  return `${a.labels.alertname ?? JSON.stringify(a.labels)}@${a.startsAt}${a.endsAt ? `–${a.endsAt}` : ''}`;
}
function fmtReceived(a: ReceivedAlert): string {
  return `${a.labels.alertname ?? JSON.stringify(a.labels)}${a.endsAt === '0001-01-01T00:00:00Z' ? '' : ' (resolved)'}`;
}

/** Scheduled actions on real time, relative to the base taken when run() starts. */
export class Timeline {
  readonly #actions: { t: number; fn: () => unknown }[] = [];
  base = 0;

  at(t: number, fn: () => unknown): this {
    this.#actions.push({ t, fn });
    return this;
  }

  /** Runs every action at its time, then waits until `until` seconds after base. */
  async run(until: number, onBase: (base: number) => void): Promise<void> {
    this.base = Date.now();
    onBase(this.base);
    const errors: unknown[] = [];
    const done = this.#actions.map(
      (a) =>
        new Promise<void>((resolve) => {
          setTimeout(
            async () => {
              try {
                await a.fn();
              } catch (e) {
                errors.push(e);
              }
              resolve();
            },
            Math.max(0, this.base + a.t * 1000 - Date.now()),
          );
        }),
    );
    await Promise.all(done);
    const left = this.base + until * 1000 - Date.now();
    if (left > 0) await new Promise((r) => setTimeout(r, left));
    if (errors.length > 0) throw errors[0];
  }
}
