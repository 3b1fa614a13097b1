/**
 * GET and POST /api/v2/alerts (upstream api/v2/api.go getAlertsHandler, postAlertsHandler).
 */
import { StorageUnavailableError } from '../store/storage';
import express, { type Request, type Response, type Router } from 'express';
import { Counter, type Registry } from 'prom-client';
import type { Alert } from '../types/alert';
import type { AlertStatus } from '../types/marker';
import { getOrCreateMetric } from '../types/metrics';
import { alertPasses, matchFilterLabels, parseAlertFilters, statusPasses } from './alert-filters';
import { formatApiTime, memoApiTime } from '../go/strfmt-time';
import { jsonBodyReader } from './json-body';
import { decodePostableAlerts, isRefusal } from './postable-alerts';
import { goJsonString, labelSetJson, sendErrorString, sendFrameworkError } from './respond';
import type { ApiDeps } from './types';

/** gettableAlert in Go's field order (annotations, endsAt, fingerprint, receivers, startsAt, status, updatedAt, generatorURL, labels). */
export function gettableAlertJson(a: Alert, status: AlertStatus, receivers: readonly string[], time: (ms: number) => string = formatApiTime): string {
  const rcv = receivers.map((r) => `{"name":${goJsonString(r)}}`).join(',');
  const list = (xs: readonly string[]) => `[${xs.map(goJsonString).join(',')}]`;
  const st = `{"inhibitedBy":${list(status.inhibitedBy)},"mutedBy":${list(status.mutedBy)},"silencedBy":${list(status.silencedBy)},"state":"${status.state}"}`;
  const gen = a.generatorURL !== '' ? `"generatorURL":${goJsonString(a.generatorURL)},` : '';
  return `{"annotations":${labelSetJson(a.annotations)},"endsAt":"${time(a.endsAt)}","fingerprint":"${a.fingerprint}","receivers":[${rcv}],"startsAt":"${time(a.startsAt)}","status":${st},"updatedAt":"${time(a.updatedAt)}",${gen}"labels":${labelSetJson(a.labels)}}`;
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

export function alertsRoutes(deps: ApiDeps): Router {
  const router = express.Router();
  const m = alertsMetrics(deps.registry);
  const readBody = jsonBodyReader('256mb');

  router.post('/alerts', (req: Request, res: Response, next) => {
    readBody(req, res, next, (text) => {
      const view = deps.view();
      const now = deps.clock.now();
      const decoded = decodePostableAlerts(text, {
        now,
        resolveTimeout: view.loaded.config.global.resolve_timeout,
        labelNameMode: deps.matcherMode,
      });
      if (isRefusal(decoded)) {
        sendFrameworkError(res, decoded.status, decoded.body.code, decoded.body.message);
        return;
      }
      m.firing.inc(decoded.firing);
      m.resolved.inc(decoded.resolved);
      if (decoded.errors.length > 0) m.invalid.inc(decoded.errors.length);
      const failed = (e: unknown) => {
        deps.logger.error({ err: e }, 'Failed to create alerts');
        sendErrorString(res, e instanceof StorageUnavailableError ? 503 : 500, e instanceof Error ? e.message : String(e));
      };
      const answer = () => {
        if (decoded.errors.length > 0) {
          const joined = decoded.errors.join('\n');
          deps.logger.error({ err: joined }, 'Failed to validate alerts');
          sendErrorString(res, 400, joined);
          return;
        }
        res.status(200).end();
      };
      let stored: Promise<void> | undefined;
      try {
        deps.alerts.put(decoded.valid);
        stored = deps.durable?.();
      } catch (e) {
        failed(e);
        return;
      }
      if (stored) stored.then(answer, failed);
      else answer();
    });
  });

  router.get('/alerts', (req: Request, res: Response) => {
    const q = req.query;
    const filters = parseAlertFilters(deps, q, res);
    if (!filters) return;
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
    const picked: { a: Alert; status: AlertStatus; receivers: string[] }[] = [];
    for (const a of deps.alerts.all()) {
      if (!alertPasses(filters, a, now)) continue;
      const receivers = view.receiversFor(a.labels);
      if (receiverRe && !receivers.some((r) => receiverRe.matches(r))) continue;
      if (receiverOk && !receiverOk(receivers)) continue;
      const status = view.alertStatus(a);
      if (!statusPasses(filters, status)) continue;
      picked.push({ a, status, receivers });
    }
    picked.sort((x, y) => (x.a.fingerprint < y.a.fingerprint ? -1 : x.a.fingerprint > y.a.fingerprint ? 1 : 0));
    // written in chunks: a 100k-alert answer never exists as one string
    res.status(200);
    res.setHeader('Content-Type', 'application/json');
    const CHUNK = 500;
    const time = memoApiTime();
    let buf = '[';
    for (let i = 0; i < picked.length; i++) {
      const p = picked[i]!;
      if (i > 0) buf += ',';
      buf += gettableAlertJson(p.a, p.status, p.receivers, time);
      if (i % CHUNK === CHUNK - 1) {
        res.write(buf);
        buf = '';
      }
    }
    res.end(`${buf}]\n`);
  });

  return router;
}
