/**
 * @module api/alert-groups
 * GET /api/v2/alerts/groups (upstream api/v2/api.go getAlertGroupsHandler, reference §3.9 and §8.3).
 * Reads a snapshot of the dispatcher's groups; status is computed at request time (silences, inhibitions),
 * mutedBy comes from the group's last flush and forces `suppressed`.
 */
import express, { type Request, type Response, type Router } from 'express';
import { compareAlerts, compareLabelSets } from '../routing/labels';
import type { Alert, LabelSet } from '../types/alert';
import { alertPasses, matchFilterLabels, parseAlertFilters, statusPasses } from './alert-filters';
import { gettableAlertJson } from './alerts';
import { goJsonString, labelSetJson, sendJson } from './respond';
import type { ApiDeps } from './types';

/** A dispatcher group as this endpoint reads it (the app builds these from its dispatch: src/app/create-dispatch.ts). */
export interface AlertGroupView {
  labels: LabelSet;
  routeLabels: LabelSet;
  receiver: string;
  groupKey: string;
  routeId: string;
  mutedBy: readonly string[];
  alerts: readonly Alert[];
}

export interface AlertGroupsDeps extends ApiDeps {
  /** the live dispatch's groups (a snapshot); empty before the first config load */
  alertGroups(): readonly AlertGroupView[];
}

export function alertGroupsRoutes(deps: AlertGroupsDeps): Router {
  const router = express.Router();
  router.get('/alerts/groups', (req: Request, res: Response) => {
    const q = req.query;
    const filters = parseAlertFilters(deps, q, res);
    if (!filters) return;
    const { receiverRe, receiverMatchers } = filters;
    const view = deps.view();
    const rcvLabels = new Map<string, Record<string, string>>();
    for (const r of view.loaded.config.receivers) rcvLabels.set(r.name, { ...(r.labels ?? {}), name: r.name });
    const now = deps.clock.now();

    const statusCache = new Map<string, ReturnType<typeof view.alertStatus>>();
    const statusOf = (a: Alert) => {
      let s = statusCache.get(a.fingerprint);
      if (!s) {
        s = view.alertStatus(a);
        statusCache.set(a.fingerprint, s);
      }
      return s;
    };
    const receivers = new Map<string, string[]>();
    const kept: { g: AlertGroupView; alerts: Alert[] }[] = [];
    for (const g of deps.alertGroups()) {
      if (receiverRe && !receiverRe.matches(g.receiver)) continue;
      if (receiverMatchers.length > 0) {
        const l = rcvLabels.get(g.receiver);
        if (!l || !matchFilterLabels(receiverMatchers, l)) continue;
      }
      const alerts: Alert[] = [];
      for (const a of g.alerts) {
        if (!alertPasses(filters, a, now)) continue;
        if (!statusPasses(filters, statusOf(a))) continue;
        const rs = receivers.get(a.fingerprint);
        if (rs) rs.push(g.receiver);
        else receivers.set(a.fingerprint, [g.receiver]);
        alerts.push(a);
      }
      if (alerts.length === 0) continue;
      if (!filters.muted && g.mutedBy.length > 0) continue;
      kept.push({ g, alerts });
    }
    kept.sort((x, y) => compareLabelSets(x.g.labels, y.g.labels) || (x.g.receiver < y.g.receiver ? -1 : x.g.receiver > y.g.receiver ? 1 : 0));
    const parts: string[] = [];
    for (const { g, alerts } of kept) {
      alerts.sort(compareAlerts);
      const json = alerts.map((a) => {
        const st = statusOf(a);
        const status = g.mutedBy.length > 0 ? { ...st, mutedBy: [...g.mutedBy], state: 'suppressed' as const } : st;
        return gettableAlertJson(a, status, [...(receivers.get(a.fingerprint) ?? [])].sort());
      });
      parts.push(`{"alerts":[${json.join(',')}],"labels":${labelSetJson(g.labels)},"receiver":{"name":${goJsonString(g.receiver)}},"routeLabels":${labelSetJson(g.routeLabels)}}`);
    }
    sendJson(res, 200, `[${parts.join(',')}]`);
  });
  return router;
}
