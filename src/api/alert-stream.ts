/**
 * @module api/alert-stream
 * Tocsin-only live updates of the alert list: `GET /api/v2/tocsin/alerts/stream` (Server-Sent Events).
 *
 * At connect the client gets `event: resync` (load the list now, e.g. GET /api/v2/alerts or /alerts/groups), then
 * `event: alerts` whose data is a JSON array of changes since, coalesced per COALESCE_MS:
 *   {"type":"added","alert":<gettableAlert>}    an alert is listed that was not (new, or back from resolved)
 *   {"type":"updated","alert":<gettableAlert>}  a listed alert changed (times, annotations), its status did not
 *   {"type":"status","alert":<gettableAlert>}   a listed alert's status changed (silenced, inhibited, unmuted...)
 *   {"type":"removed","fingerprint":"..."}     a listed alert is resolved or gone
 * Alerts are those GET /api/v2/alerts lists without filters (receivers and status as it writes them). Another
 * `resync` comes after a config reload or when a batch is too big to be worth sending alert by alert.
 *
 * One hub serves every client and runs only while one is connected: stored alerts are announced by the provider
 * (subscribe/onDelete); statuses and time-based resolution, which change without the alert changing, are found by
 * re-checking every alert now and then (every RECONCILE_MIN_MS, or 20 times as long as the last check took, in
 * slices), so a connected screen stays current within about a second at a bounded cost.
 */
import express, { type Request, type Response, type Router } from 'express';
import type { AlertsProvider } from '../provider/types';
import type { Alert } from '../types/alert';
import type { Clock } from '../types/clock';
import type { Logger } from '../types/logger';
import { alertJson, alertReceivers, statusJson } from './alert-json';
import { runSliced } from './slices';
import type { ApiView } from './types';

export const STREAM_PATH = '/tocsin/alerts/stream';
/** changes are gathered this long before they are sent */
export const COALESCE_MS = 200;
/** every alert's status and end time is re-checked at most this often */
export const RECONCILE_MIN_MS = 1000;
/** a batch with more changes than this is sent as a `resync` */
const MAX_BATCH = 5000;
/** a client with this much unsent data is dropped (its EventSource reconnects and resyncs) */
const MAX_BUFFERED_BYTES = 16 * 1024 * 1024;
const KEEPALIVE_MS = 15_000;

export interface AlertStreamDeps {
  alerts: AlertsProvider;
  view(): ApiView;
  clock: Clock;
  logger: Logger;
}

interface Client {
  res: Response;
}

interface Known {
  alert: Alert;
  status: string;
}

/** The shared hub: what connected clients have been told, and the changes since. */
export class AlertStreamHub {
  readonly #deps: AlertStreamDeps;
  readonly #clients = new Set<Client>();
  readonly #known = new Map<string, Known>();
  readonly #pending = new Set<string>();
  #unsubscribe: (() => void)[] = [];
  #timer: ReturnType<typeof setInterval> | undefined;
  #keepalive: ReturnType<typeof setInterval> | undefined;
  #view: ApiView | undefined;
  #busy = false;
  #nextReconcile = 0;
  #reconcileEvery = RECONCILE_MIN_MS;
  /** batches published so far */
  ticks = 0;

  constructor(deps: AlertStreamDeps) {
    this.#deps = deps;
  }

  get clientCount(): number {
    return this.#clients.size;
  }

  /** Serves one SSE client until it disconnects. */
  serve(req: Request, res: Response): void {
    res.status(200);
    res.setHeader('Content-Type', 'text/event-stream');
    res.setHeader('X-Accel-Buffering', 'no');
    res.setHeader('Connection', 'keep-alive');
    res.flushHeaders();
    req.socket.setNoDelay(true);
    const client: Client = { res };
    this.#clients.add(client);
    res.write('retry: 2000\n\n');
    if (this.#clients.size === 1) this.#start();
    // told after the hub's state is current, so nothing between the client's reload and the next batch is lost
    if (!this.#busy) this.#send(client, 'event: resync\ndata: {}\n\n');
    else (this.#resyncAfterBusy ??= new Set()).add(client);
    const drop = () => {
      if (!this.#clients.delete(client)) return;
      this.#resyncAfterBusy?.delete(client);
      if (this.#clients.size === 0) this.#stop();
    };
    res.on('close', drop);
    res.on('error', drop);
  }

  #resyncAfterBusy: Set<Client> | undefined;

  #start(): void {
    const { alerts } = this.#deps;
    this.#unsubscribe = [
      alerts.subscribe((a) => this.#pending.add(a.fingerprint)),
      alerts.onDelete((fps) => {
        for (const fp of fps) this.#pending.add(fp);
      }),
    ];
    this.#view = this.#deps.view();
    this.#rebuild();
    this.#timer = setInterval(() => this.#tick(), COALESCE_MS);
    this.#timer.unref?.();
    this.#keepalive = setInterval(() => this.#broadcast(': keepalive\n\n'), KEEPALIVE_MS);
    this.#keepalive.unref?.();
  }

  #stop(): void {
    for (const u of this.#unsubscribe) u();
    this.#unsubscribe = [];
    clearInterval(this.#timer);
    clearInterval(this.#keepalive);
    this.#timer = undefined;
    this.#known.clear();
    this.#pending.clear();
    this.#view = undefined;
  }

  /** Sets the known state from scratch (in slices); clients waiting for it get their `resync`. */
  #rebuild(): void {
    this.#busy = true;
    this.#known.clear();
    this.#pending.clear();
    const view = this.#view!;
    const all = Array.from(this.#deps.alerts.all());
    const now = this.#deps.clock.now();
    const known = this.#known;
    function* steps(): Generator<void, void, void> {
      for (let i = 0; i < all.length; i++) {
        if (i % 256 === 255) yield;
        const a = all[i]!;
        if (a.endsAt !== 0 && a.endsAt < now) continue;
        known.set(a.fingerprint, { alert: a, status: statusJson(view.alertStatus(a)) });
      }
    }
    const started = performance.now();
    runSliced(steps())
      .then(() => {
        this.#busy = false;
        this.#planReconcile(performance.now() - started);
        const waiting = this.#resyncAfterBusy;
        this.#resyncAfterBusy = undefined;
        for (const c of waiting ?? []) if (this.#clients.has(c)) this.#send(c, 'event: resync\ndata: {}\n\n');
      })
      .catch((err: unknown) => this.#deps.logger.error({ err }, 'alert stream: rebuild failed'));
  }

  #planReconcile(tookMs: number): void {
    this.#reconcileEvery = Math.max(RECONCILE_MIN_MS, 20 * tookMs);
    this.#nextReconcile = performance.now() + this.#reconcileEvery;
  }

  #tick(): void {
    if (this.#busy || this.#clients.size === 0) return;
    const view = this.#deps.view();
    if (view !== this.#view) {
      // a reload may change every alert's receivers: everyone reloads
      this.#view = view;
      for (const c of this.#clients) (this.#resyncAfterBusy ??= new Set()).add(c);
      this.#rebuild();
      return;
    }
    if (performance.now() >= this.#nextReconcile) {
      this.#reconcile();
      return;
    }
    if (this.#pending.size === 0) return;
    const changes: string[] = [];
    const now = this.#deps.clock.now();
    for (const fp of this.#pending) this.#evaluate(fp, now, changes);
    this.#pending.clear();
    this.#publish(changes);
  }

  /** Re-checks every alert (statuses and end times change without the alert changing), in slices. */
  #reconcile(): void {
    this.#busy = true;
    const started = performance.now();
    const now = this.#deps.clock.now();
    const changes: string[] = [];
    const self = this;
    // announced before this check starts: checked by it; those announced during it wait for the next tick
    const announced = [...this.#pending];
    this.#pending.clear();
    function* steps(): Generator<void, void, void> {
      const seen = new Set<string>();
      let i = 0;
      for (const a of self.#deps.alerts.all()) {
        if (++i % 256 === 0) yield;
        seen.add(a.fingerprint);
        self.#evaluate(a.fingerprint, now, changes);
      }
      for (const fp of [...self.#known.keys()]) if (!seen.has(fp)) self.#evaluate(fp, now, changes);
      for (const fp of announced) if (!seen.has(fp)) self.#evaluate(fp, now, changes);
    }
    runSliced(steps())
      .then(() => {
        this.#busy = false;
        this.#planReconcile(performance.now() - started);
        this.#publish(changes);
      })
      .catch((err: unknown) => {
        this.#busy = false;
        this.#deps.logger.error({ err }, 'alert stream: reconcile failed');
      });
  }

  #evaluate(fp: string, now: number, changes: string[]): void {
    const view = this.#view!;
    const a = this.#deps.alerts.get(fp);
    const k = this.#known.get(fp);
    if (a === undefined || (a.endsAt !== 0 && a.endsAt < now)) {
      if (k !== undefined) {
        this.#known.delete(fp);
        changes.push(`{"type":"removed","fingerprint":"${fp}"}`);
      }
      return;
    }
    const status = statusJson(view.alertStatus(a));
    let type: string;
    if (k === undefined) type = 'added';
    else if (k.status !== status) type = 'status';
    else if (k.alert !== a) type = 'updated';
    else return;
    this.#known.set(fp, { alert: a, status });
    const rcv = alertReceivers(a, view, (x) => view.receiversFor(x.labels));
    changes.push(`{"type":"${type}","alert":${alertJson(a, rcv.json, status)}}`);
  }

  #publish(changes: string[]): void {
    this.ticks++;
    if (changes.length === 0) return;
    if (changes.length > MAX_BATCH) {
      this.#broadcast('event: resync\ndata: {}\n\n');
      return;
    }
    this.#broadcast(`event: alerts\ndata: [${changes.join(',')}]\n\n`);
  }

  #broadcast(text: string): void {
    if (this.#clients.size === 0) return;
    const buf = Buffer.from(text, 'utf8');
    for (const c of this.#clients) this.#send(c, buf);
  }

  #send(c: Client, data: string | Buffer): void {
    if (c.res.writableLength > MAX_BUFFERED_BYTES) {
      // too slow to follow: it reconnects and starts over from a resync
      c.res.destroy();
      return;
    }
    c.res.write(data);
  }
}

/** The route; the hub is created with the router and is idle while no client is connected. */
export function alertStreamRoutes(deps: AlertStreamDeps): { router: Router; hub: AlertStreamHub } {
  const router = express.Router();
  const hub = new AlertStreamHub(deps);
  router.get(STREAM_PATH, (req: Request, res: Response) => hub.serve(req, res));
  return { router, hub };
}
