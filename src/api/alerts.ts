/**
 * GET and POST /api/v2/alerts (upstream api/v2/api.go getAlertsHandler, postAlertsHandler).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { StorageUnavailableError } from '../store/storage';
import express, { type Request, type Response, type Router } from 'express';
import { Counter, type Registry } from 'prom-client';
import type { Alert } from '../types/alert';
import type { AlertStatus } from '../types/marker';
import { getOrCreateMetric } from '../types/metrics';
import { alertPasses, matchFilterLabels, parseAlertFilters, statusPasses } from './alert-filters';
import { formatApiTime } from '../go/strfmt-time';
import { type AlertParts, alertParts, alertReceivers, statusJson } from './alert-json';
import { ApiError, sendError, swaggerError } from './errors';
import { readJsonText } from './json-body';
import { type DecodedBatch, decodeSteps, isRefusal } from './postable-alerts';
import { NEXT_CURSOR_HEADER, type Paging, parsePaging } from './paging';
import { goJsonString, labelSetJson } from './respond';
import { streamJson } from './stream-json';
import { inChunks, runSliced } from './slices';
import { type ApiDeps, DEFAULT_REQUEST_LIMITS } from './types';

/** Alerts stored per slice: ~5 ms of SQLite writes and dispatcher work. */
const PUT_CHUNK = 500;

/**
 * gettableAlert in Go's field order (annotations, endsAt, fingerprint, receivers, startsAt, status, updatedAt,
 * generatorURL, labels), encoded whole: the reference that src/api/alert-json.ts's cached parts are tested against.
 */
export function gettableAlertJson(a: Alert, status: AlertStatus, receivers: readonly string[]): string {
  const time = formatApiTime;
  const rcv = receivers.map((r) => `{"name":${goJsonString(r)}}`).join(',');
  const list = (xs: readonly string[]) => `[${xs.map(goJsonString).join(',')}]`;
  const st = `{"inhibitedBy":${list(status.inhibitedBy)},"mutedBy":${list(status.mutedBy)},"silencedBy":${list(status.silencedBy)},"state":"${status.state}"}`;
  const gen = a.generatorURL !== '' ? `"generatorURL":${goJsonString(a.generatorURL)},` : '';
  return `{"annotations":${labelSetJson(a.annotations)},"endsAt":"${time(a.endsAt)}","fingerprint":"${a.fingerprint}","receivers":[${rcv}],"startsAt":"${time(a.startsAt)}","status":${st},"updatedAt":"${time(a.updatedAt)}",${gen}"labels":${labelSetJson(a.labels)}}`;
}

/** An alert picked for GET /alerts: its parts, receivers' JSON and status's JSON. */
interface Picked {
  fp: string;
  parts: AlertParts;
  receivers: string;
  status: string;
}

function* pieces(picked: readonly Picked[], n: number): Generator<string, void, void> {
  yield '[';
  for (let i = 0; i < n; i++) {
    const p = picked[i]!;
    if (i > 0) yield ',';
    yield p.parts.pre;
    yield p.receivers;
    yield p.parts.mid;
    yield p.status;
    yield p.parts.post;
  }
  yield ']';
}

export interface AlertsMetrics {
  firing: Counter;
  resolved: Counter;
  invalid: Counter;
}

export function alertsMetrics(registry: Registry): AlertsMetrics {
  const received = getOrCreateMetric(
    registry,
    'alertmanager_alerts_received_total',
    () =>
      new Counter({
        name: 'alertmanager_alerts_received_total',
        help: 'The total number of received alerts.',
        labelNames: ['status', 'version'],
        registers: [registry],
      }),
  );
  const invalid = getOrCreateMetric(
    registry,
    'alertmanager_alerts_invalid_total',
    () =>
      new Counter({
        name: 'alertmanager_alerts_invalid_total',
        help: 'The total number of received alerts that were invalid.',
        labelNames: ['version'],
        registers: [registry],
      }),
  );
  const firing = received.labels({ status: 'firing', version: 'v2' });
  const resolved = received.labels({ status: 'resolved', version: 'v2' });
  const inv = invalid.labels({ version: 'v2' });
  firing.inc(0);
  resolved.inc(0);
  inv.inc(0);
  return {
    firing: firing as unknown as Counter,
    resolved: resolved as unknown as Counter,
    invalid: inv as unknown as Counter,
  };
}

/** The handler of POST /api/v2/alerts (server.ts also calls it past the router: Prometheus's busiest path). */
export function postAlertsHandler(deps: ApiDeps): (req: IncomingMessage, res: ServerResponse) => Promise<void> {
  const m = alertsMetrics(deps.registry);
  const limits = deps.requestLimits ?? DEFAULT_REQUEST_LIMITS;
  const stored = (fp: string) => deps.alerts.get(fp);

  return async (req: IncomingMessage, res: ServerResponse) => {
    let decoded: DecodedBatch;
    try {
      const text = await readJsonText(req, limits);
      const view = deps.view();
      const now = deps.clock.now();
      // in slices: a big batch never holds up other requests for long (src/api/slices.ts)
      const result = await runSliced(
        decodeSteps(text, {
          now,
          resolveTimeout: view.loaded.config.global.resolve_timeout,
          labelNameMode: deps.matcherMode,
          maxAlerts: limits.maxAlertsPerRequest,
          stored,
        }),
      );
      if (isRefusal(result)) throw swaggerError(result.status, result.body.message, result.body.code);
      decoded = result;
    } catch (e) {
      sendError(res, e);
      return;
    }
    m.firing.inc(decoded.firing);
    m.resolved.inc(decoded.resolved);
    if (decoded.errors.length > 0) m.invalid.inc(decoded.errors.length);
    // each chunk's write to shared storage (PostgreSQL) or through the SQLite writer thread, awaited before
    // answering (an acknowledged POST is durable)
    const writes: Promise<void>[] = [];
    try {
      // stored in chunks (upstream stores alert by alert)
      await runSliced(
        inChunks(decoded.valid, PUT_CHUNK, (chunk) => {
          deps.alerts.put(chunk);
          const w = deps.durable?.();
          if (w) {
            w.catch(() => undefined); // awaited below: not an unhandled rejection meanwhile
            writes.push(w);
          }
        }),
      );
      await Promise.all(writes);
    } catch (e) {
      deps.logger.error({ err: e }, 'Failed to create alerts');
      sendError(res, new ApiError(e instanceof StorageUnavailableError ? 503 : 500, e instanceof Error ? e.message : String(e)));
      return;
    }
    if (decoded.errors.length > 0) {
      const joined = decoded.errors.join('\n');
      deps.logger.error({ err: joined }, 'Failed to validate alerts');
      sendError(res, new ApiError(400, joined));
      return;
    }
    res.statusCode = 200;
    res.end();
  };
}

/** GET and POST /alerts; `post` is the POST handler when the caller made it already. */
export function alertsRoutes(deps: ApiDeps, post: (req: IncomingMessage, res: ServerResponse) => Promise<void> = postAlertsHandler(deps)): Router {
  const router = express.Router();
  router.post('/alerts', post);

  router.get('/alerts', async (req: Request, res: Response) => {
    const q = req.query;
    const filters = parseAlertFilters(deps, q, res);
    if (!filters) return;
    let paging: Paging;
    try {
      paging = parsePaging(q);
    } catch (e) {
      sendError(res, e);
      return;
    }
    const { receiverRe, receiverMatchers } = filters;
    const view = deps.view();
    // receiver_matchers (master 0.33): keep an alert if one of its receivers' label sets matches them all
    let receiverOk: ((receivers: readonly string[]) => boolean) | undefined;
    if (receiverMatchers.length > 0) {
      const ok = new Set<string>();
      for (const r of view.loaded.config.receivers) {
        if (matchFilterLabels(receiverMatchers, { ...(r.labels ?? {}), name: r.name })) ok.add(r.name);
      }
      receiverOk = (receivers) => receivers.some((r) => ok.has(r));
    }
    const now = deps.clock.now();
    const receiversFor = (a: Alert) => view.receiversFor(a.labels);
    const { cursor } = paging;
    const all = Array.from(deps.alerts.all());
    // picked in slices: 100k alerts' routing and status never hold up other requests for long
    function* pick(): Generator<void, Picked[], void> {
      const picked: Picked[] = [];
      for (let i = 0; i < all.length; i++) {
        if (i % 256 === 255) yield;
        const a = all[i]!;
        if (cursor !== undefined && a.fingerprint <= cursor) continue;
        if (!alertPasses(filters!, a, now)) continue;
        const rcv = alertReceivers(a, view, receiversFor);
        if (receiverRe && !rcv.list.some((r) => receiverRe.matches(r))) continue;
        if (receiverOk && !receiverOk(rcv.list)) continue;
        const status = view.alertStatus(a);
        if (!statusPasses(filters!, status)) continue;
        picked.push({ fp: a.fingerprint, parts: alertParts(a), receivers: rcv.json, status: statusJson(status) });
      }
      return picked;
    }
    try {
      const picked = await runSliced(pick());
      // gone, or answered meanwhile (--web.timeout)
      if (res.destroyed || res.headersSent) return;
      picked.sort((x, y) => (x.fp < y.fp ? -1 : x.fp > y.fp ? 1 : 0));
      const n = Math.min(picked.length, paging.limit);
      if (n < picked.length) res.setHeader(NEXT_CURSOR_HEADER, picked[n - 1]!.fp);
      // streamed: a 100k-alert answer never exists as one string
      await streamJson(res, pieces(picked, n));
    } catch (e) {
      deps.logger.error({ err: e }, 'Failed to list alerts');
      if (res.headersSent) res.destroy();
      else sendError(res, e);
    }
  });

  return router;
}
