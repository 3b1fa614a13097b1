/**
 * @module api/alert-groups
 * GET /api/v2/alerts/groups (upstream api/v2/api.go getAlertGroupsHandler, reference §3.9 and §8.3).
 * Reads a snapshot of the dispatcher's groups; status is computed at request time (silences, inhibitions),
 * mutedBy comes from the group's last flush and forces `suppressed`.
 */
import express, { type Request, type Response, type Router } from 'express';
import type { Ack, EscalationState } from '../ack/types';
import type { EscalationStep } from '../types/tocsin-config';
import { ackJson, escalationJson } from './ack-json';
import { compareAlerts, compareLabelSets } from '../routing/labels';
import type { Alert, LabelSet } from '../types/alert';
import type { AlertStatus } from '../types/marker';
import { alertPasses, matchFilterLabels, parseAlertFilters, statusPasses } from './alert-filters';
import { alertParts, receiversJson, statusJson } from './alert-json';
import { sendError } from './errors';
import { NEXT_CURSOR_HEADER, type Paging, groupCursor, parseGroupCursor, parsePaging } from './paging';
import { goJsonString, labelSetJson } from './respond';
import { runSliced } from './slices';
import { streamJson } from './stream-json';
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
  /** Tocsin: the ack applying to the group now */
  ack?: Ack;
  /** Tocsin: the group's escalation on its receiver, with the receiver's steps */
  escalation?: { state: EscalationState; steps: readonly EscalationStep[] };
}

export interface AlertGroupsDeps extends ApiDeps {
  /** the live dispatch's groups (a snapshot); empty before the first config load */
  alertGroups(): readonly AlertGroupView[];
}

export function alertGroupsRoutes(deps: AlertGroupsDeps): Router {
  const router = express.Router();
  router.get('/alerts/groups', async (req: Request, res: Response) => {
    const q = req.query;
    const filters = parseAlertFilters(deps, q, res);
    if (!filters) return;
    let paging: Paging;
    let after: { labels: Record<string, string>; receiver: string } | undefined;
    try {
      paging = parsePaging(q);
      if (paging.cursor !== undefined) after = parseGroupCursor(paging.cursor);
    } catch (e) {
      sendError(res, e);
      return;
    }
    const { receiverRe, receiverMatchers } = filters;
    const view = deps.view();
    const rcvLabels = new Map<string, Record<string, string>>();
    for (const r of view.loaded.config.receivers) rcvLabels.set(r.name, { ...(r.labels ?? {}), name: r.name });
    const now = deps.clock.now();

    // an alert's status and receivers: computed once per request (an alert can be in several groups)
    const statusCache = new Map<string, AlertStatus>();
    const statusOf = (a: Alert) => {
      let s = statusCache.get(a.fingerprint);
      if (!s) {
        s = view.alertStatus(a);
        statusCache.set(a.fingerprint, s);
      }
      return s;
    };
    // the receiver of the first listed group holding the alert; an array once a second one holds it
    const receivers = new Map<string, string | string[]>();
    const kept: { g: AlertGroupView; alerts: { a: Alert; st: AlertStatus }[] }[] = [];
    const groups = deps.alertGroups();
    // picked in slices: 100k alerts' status never holds up other requests for long
    function* pick(): Generator<void, void, void> {
      let work = 0;
      for (const g of groups) {
        if (receiverRe && !receiverRe.matches(g.receiver)) continue;
        if (receiverMatchers.length > 0) {
          const l = rcvLabels.get(g.receiver);
          if (!l || !matchFilterLabels(receiverMatchers, l)) continue;
        }
        const alerts: { a: Alert; st: AlertStatus }[] = [];
        for (const a of g.alerts) {
          if (++work % 256 === 0) yield;
          if (!alertPasses(filters!, a, now)) continue;
          const st = statusOf(a);
          if (!statusPasses(filters!, st)) continue;
          const rs = receivers.get(a.fingerprint);
          if (rs === undefined) receivers.set(a.fingerprint, g.receiver);
          else if (typeof rs === 'string') receivers.set(a.fingerprint, [rs, g.receiver]);
          else rs.push(g.receiver);
          alerts.push({ a, st });
        }
        if (alerts.length === 0) continue;
        if (!filters!.muted && g.mutedBy.length > 0) continue;
        kept.push({ g, alerts });
      }
    }
    try {
      await runSliced(pick());
      // gone, or answered meanwhile (--web.timeout)
      if (res.destroyed || res.headersSent) return;
      const order = (x: AlertGroupView, labels: LabelSet, receiver: string) => compareLabelSets(x.labels, labels) || (x.receiver < receiver ? -1 : x.receiver > receiver ? 1 : 0);
      kept.sort((x, y) => order(x.g, y.g.labels, y.g.receiver));
      let from = 0;
      if (after) {
        const { labels, receiver } = after;
        while (from < kept.length && order(kept[from]!.g, labels, receiver) <= 0) from++;
      }
      const to = Math.min(kept.length, from + paging.limit);
      if (to < kept.length) res.setHeader(NEXT_CURSOR_HEADER, groupCursor(kept[to - 1]!.g.labels, kept[to - 1]!.g.receiver));
      // the receivers of an alert are those of every listed group holding it, sorted
      const rcvJson = new Map<string, string>();
      const receiversOf = (fp: string) => {
        const names = receivers.get(fp) ?? [];
        const key = typeof names === 'string' ? names : JSON.stringify([...names].sort());
        let j = rcvJson.get(key);
        if (j === undefined) {
          j = receiversJson(typeof names === 'string' ? [names] : [...names].sort());
          rcvJson.set(key, j);
        }
        return j;
      };
      function* pieces(): Generator<string, void, void> {
        yield '[';
        for (let k = from; k < to; k++) {
          const { g, alerts } = kept[k]!;
          alerts.sort((x, y) => compareAlerts(x.a, y.a));
          const muted = g.mutedBy.length > 0;
          yield `${k > from ? ',' : ''}{"alerts":[`;
          for (let i = 0; i < alerts.length; i++) {
            const { a, st } = alerts[i]!;
            const status = statusJson(muted ? { ...st, mutedBy: [...g.mutedBy], state: 'suppressed' } : st);
            const p = alertParts(a);
            if (i > 0) yield ',';
            yield p.pre;
            yield receiversOf(a.fingerprint);
            yield p.mid;
            yield status;
            yield p.post;
          }
          yield `],"labels":${labelSetJson(g.labels)},"receiver":{"name":${goJsonString(g.receiver)}},"routeLabels":${labelSetJson(g.routeLabels)}${tocsinFields(g)}}`;
        }
        yield ']';
      }
      await streamJson(res, pieces());
    } catch (e) {
      deps.logger.error({ err: e }, 'Failed to list alert groups');
      if (res.headersSent) res.destroy();
      else sendError(res, e);
    }
  });
  return router;
}

/**
 * The group's Tocsin state as extra fields Go clients ignore (amtool, Grafana): `tocsinAck` when acknowledged,
 * `tocsinEscalation` while escalating; nothing otherwise, so the item is byte for byte Alertmanager's.
 */
function tocsinFields(g: AlertGroupView): string {
  let out = '';
  if (g.ack) out += `,"tocsinAck":${JSON.stringify(ackJson(g.ack))}`;
  if (g.escalation) out += `,"tocsinEscalation":${JSON.stringify(escalationJson(g.escalation.state, g.escalation.steps))}`;
  return out;
}
