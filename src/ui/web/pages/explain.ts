/**
 * @module ui/web/pages/explain
 * "Why did/didn't this alert notify?": route path, effective group_by and timers, group key, last/next
 * notification, silences, inhibition, time intervals, receivers and integrations, and the alert's timeline (src/ui/web/alert-timeline.ts) from the
 * history (GET /api/v2/tocsin/history?fingerprint=). Uses
 * GET /api/v2/tocsin/explain?fingerprint=; when that is missing (404, e.g. on upstream Alertmanager) the page says
 * "not available" for server-only facts and computes routing from config.original in the browser.
 */
import { ApiError, type Explain, type GettableAlert, api } from '../api';
import { type Child, clear, h } from '../dom';
import type { Cleanup, PageContext } from '../page';
import { type ApiMatcher, type LabelSet, type UiMatcher, formatMatcher, fromApi, matcherFn, parseMatchers } from '../matchers';
import { type ParsedConfig, type RouteNode, groupKey, matchRoutes, parseConfig, pathTo } from '../routing';
import { timeEl } from '../time';
import { alertTimeline } from '../alert-timeline';

const NA = () => h('span', { className: 'muted na' }, 'not available');

function section(title: string, ...body: Child[]): HTMLElement {
  return h('section', { className: 'card' }, h('h2', null, title), ...body);
}

function kv(pairs: [string, Child][]): HTMLElement {
  return h('dl', { className: 'kv' }, pairs.map(([k, v]) => [h('dt', null, k), h('dd', null, v)]));
}

function asMatcherList(m: Explain['routes'][number]['matchers']): UiMatcher[] {
  if (typeof m === 'string') {
    try {
      return parseMatchers(m);
    } catch {
      return [];
    }
  }
  if (!Array.isArray(m)) return [];
  return (m as (string | ApiMatcher)[]).flatMap((x) => {
    if (typeof x !== 'string') return [fromApi(x)];
    try {
      return parseMatchers(x);
    } catch {
      return [];
    }
  });
}

function fmtDur(v: string | number): string {
  return typeof v === 'number' ? `${v / 1000}s` : v;
}

function inhibitRuleMatches(rule: Record<string, unknown>, side: 'target' | 'source', ls: LabelSet): boolean {
  const ms: UiMatcher[] = [];
  const eq = rule[`${side}_match`];
  const re = rule[`${side}_match_re`];
  const list = rule[`${side}_matchers`];
  if (eq && typeof eq === 'object') for (const [k, v] of Object.entries(eq)) ms.push({ name: k, op: '=', value: String(v) });
  if (re && typeof re === 'object') for (const [k, v] of Object.entries(re)) ms.push({ name: k, op: '=~', value: String(v) });
  if (Array.isArray(list))
    for (const s of list) {
      try {
        ms.push(...parseMatchers(String(s)));
      } catch {
        /* ignore unparsable */
      }
    }
  return ms.every((m) => matcherFn(m)(ls));
}

export function explainPage(main: HTMLElement, ctx: PageContext, fp: string): Cleanup {
  let alive = true;
  const body = h('div', { className: 'explain' }, h('p', { className: 'muted' }, 'Loading…'));
  // the alert's story from the history, oldest first (Tocsin only: Alertmanager answers 404)
  const story = alertTimeline(fp);
  const timeline = section('Timeline', story.el);
  timeline.id = 'alert-timeline';
  main.append(h('h1', null, 'Explain alert ', h('code', null, fp)), body, timeline);

  async function load() {
    // with the alert's labels in the link only that alert is fetched; otherwise the whole list is searched
    let filter: string[] = [];
    try {
      filter = parseMatchers(ctx.params.get('filter') ?? '').map(formatMatcher);
    } catch {
      filter = [];
    }
    const [alertsR, explainR, statusR] = await Promise.allSettled([
      api
        .alerts({ filter, silenced: true, inhibited: true, muted: true })
        .then((as) => (filter.length > 0 && !as.some((a) => a.fingerprint === fp) ? api.alerts({ filter: [], silenced: true, inhibited: true, muted: true }) : as)),
      api.explain(fp),
      api.status(),
    ]);
    if (!alive) return;
    clear(body);
    const alert: GettableAlert | undefined = alertsR.status === 'fulfilled' ? alertsR.value.find((a) => a.fingerprint === fp) : undefined;
    const ex: Explain | null = explainR.status === 'fulfilled' ? explainR.value : null;
    let cfg: ParsedConfig | null = null;
    if (statusR.status === 'fulfilled' && statusR.value.config?.original) {
      try {
        cfg = parseConfig(statusR.value.config.original);
      } catch {
        cfg = null;
      }
    }
    if (!ex) {
      const why = explainR.status === 'rejected' && explainR.reason instanceof ApiError && explainR.reason.status === 404 ? 'the server has no explain endpoint' : 'the explain request failed';
      body.append(
        h('p', { className: 'notice', 'data-testid': 'explain-fallback' }, `Server-side explanation not available (${why}). Routing below is computed in the browser from the loaded config.`),
      );
    }
    if (!alert) {
      body.append(h('p', { className: 'warning' }, 'This alert is not currently active (resolved or unknown fingerprint).'));
    } else {
      const st = alert.status;
      body.append(
        section(
          'Alert',
          kv([
            ['Labels', h('div', { className: 'labels' }, Object.keys(alert.labels).sort().map((k) => h('span', { className: 'pill' }, formatMatcher({ name: k, op: '=', value: alert.labels[k]! }))))],
            ['State', h('span', { className: `badge ${st.state}` }, st.state)],
            ['Started', timeEl(alert.startsAt)],
            ['Ends', timeEl(alert.endsAt)],
          ]),
        ),
      );
    }
    const labels = alert?.labels;

    // Routes
    const routeCards: HTMLElement[] = [];
    if (ex && Array.isArray(ex.routes)) {
      for (const r of ex.routes) {
        routeCards.push(
          kv([
            ['Route', h('code', null, r.id)],
            ['Matchers', h('div', { className: 'labels' }, asMatcherList(r.matchers).map((m) => h('span', { className: 'pill' }, formatMatcher(m))))],
            ['Receiver', r.receiver],
            ['group_by', h('code', null, `[${(r.group_by ?? []).join(', ')}]`)],
            ['Timers', `group_wait ${fmtDur(r.group_wait)} · group_interval ${fmtDur(r.group_interval)} · repeat_interval ${fmtDur(r.repeat_interval)}`],
            ...(typeof r.continue === 'boolean' ? [['continue', r.continue ? 'yes' : 'no'] as [string, Child]] : []),
            ...(r.groupKey && ex.routes.length > 1 ? [['Group key', h('code', null, r.groupKey)] as [string, Child]] : []),
            ...(r.ack ? [['Acknowledged', h('span', { 'data-testid': 'explain-ack' }, `by ${r.ack.createdBy}: ${r.ack.comment} (no repeat notification until the group changes${r.ack.endsAt ? ' or ' : ''}`, r.ack.endsAt ? timeEl(r.ack.endsAt) : '', ')')] as [string, Child]] : []),
            ...(r.escalation
              ? [
                  [
                    'Escalation',
                    h(
                      'span',
                      { 'data-testid': 'explain-escalation' },
                      `started `,
                      timeEl(r.escalation.startedAt),
                      r.escalation.reached.length ? `; reached ${r.escalation.reached.join(', ')}` : '; no step reached yet',
                      r.escalation.next ? `; next: ${r.escalation.next.receiver} at ` : '',
                      r.escalation.next ? timeEl(r.escalation.next.at) : '',
                      r.escalation.stoppedAt ? `; stopped (${r.escalation.stopReason ?? 'acknowledged'})` : '',
                    ),
                  ] as [string, Child],
                ]
              : []),
          ]),
        );
      }
    } else if (cfg?.root && labels) {
      for (const n of matchRoutes(cfg.root, labels)) routeCards.push(routeCard(cfg.root, n, labels));
    }
    body.append(section('Route path', routeCards.length ? routeCards : NA()));

    body.append(
      section(
        'Notifications',
        kv([
          ['Group key', ex?.groupKey ? h('code', null, ex.groupKey) : NA()],
          ['Last notified', ex ? (ex.lastNotified ? timeEl(ex.lastNotified) : 'never') : NA()],
          ['Next flush', ex ? (ex.nextFlush ? timeEl(ex.nextFlush) : '—') : NA()],
        ]),
      ),
    );

    const silences = ex?.silences ?? alert?.status.silencedBy ?? [];
    const inhibitedBy = ex?.inhibitedBy ?? alert?.status.inhibitedBy ?? [];
    const mutedBy = ex?.mutedBy ?? alert?.status.mutedBy ?? [];
    const applicableRules = cfg && labels ? cfg.inhibitRules.filter((r) => inhibitRuleMatches(r, 'target', labels)) : [];
    const intervals = new Set<string>();
    if (cfg?.root && labels) for (const n of matchRoutes(cfg.root, labels)) for (const t of [...n.muteTimeIntervals, ...n.activeTimeIntervals]) intervals.add(t);
    // Tocsin's server says which intervals contain the current time
    const timed = ex?.muteTimeIntervals || ex?.activeTimeIntervals ? [...(ex.muteTimeIntervals ?? []).map((t) => ({ ...t, kind: 'mute' })), ...(ex.activeTimeIntervals ?? []).map((t) => ({ ...t, kind: 'active' }))] : null;
    const serverIntervals: Child | null = timed ? (timed.length ? timed.map((t) => h('div', null, `${t.name} (${t.kind}; ${t.activeNow ? 'in effect now' : 'not in effect now'})`)) : 'none') : null;
    body.append(
      section(
        'Suppression',
        kv([
          ['Silences', silences.length ? silences.map((id) => h('div', null, h('a', { href: `#/silences/${encodeURIComponent(id)}` }, id))) : 'none'],
          ['Inhibited by', inhibitedBy.length ? inhibitedBy.map((f) => h('div', null, h('a', { href: `#/explain/${encodeURIComponent(f)}` }, f))) : 'none'],
          ...(ex?.inhibitions
            ? [
                [
                  'Inhibiting rules',
                  ex.inhibitions.length
                    ? ex.inhibitions.map((i) => h('pre', { className: 'rule', 'data-testid': 'inhibiting-rule' }, JSON.stringify({ ...i.rule, source: i.sourceFingerprint }, null, 1)))
                    : 'none',
                ] as [string, Child],
              ]
            : []),
          [
            'Inhibit rules targeting it',
            cfg
              ? applicableRules.length
                ? applicableRules.map((r) => h('pre', { className: 'rule' }, JSON.stringify(r, null, 1)))
                : 'none'
              : NA(),
          ],
          ['Muted by time intervals', mutedBy.length ? mutedBy.join(', ') : 'none'],
          ['Time intervals on its routes', serverIntervals ?? (cfg ? (intervals.size ? [...intervals].join(', ') : 'none') : NA())],
        ]),
      ),
    );

    // tocsin.yml delivery settings of a receiver, as explain reports them
    const delivery = (r: NonNullable<Explain['receivers']>[number]): string => {
      const parts: string[] = [];
      if (r.resolvedAfterMute === true) parts.push('resolved after mute');
      const rl = r.rateLimit;
      if (rl) parts.push(`rate limit ${rl.max} per ${rl.window}: ${rl.sentInWindow} sent in the window, ${rl.foldedGroups} groups folded${rl.nextDigest ? `, digest at ${rl.nextDigest}` : ''}`);
      return parts.length ? ` (${parts.join('; ')})` : '';
    };
    const receivers: { name: string; integrations: string[]; delivery?: string }[] = ex?.receivers
      ? ex.receivers.map((r) => ({ name: r.name, integrations: (r.integrations ?? []).map((i) => (typeof i === 'string' ? i : String(i.name ?? JSON.stringify(i)))), delivery: delivery(r) }))
      : (alert?.receivers ?? []).map((r) => ({ name: r.name, integrations: cfg?.receivers.find((c) => c.name === r.name)?.integrations ?? [] }));
    body.append(
      section(
        'Receivers and integrations',
        receivers.length
          ? h('ul', null, receivers.map((r) => h('li', null, h('strong', null, r.name), ': ', r.integrations.length ? r.integrations.join(', ') : 'no integrations', r.delivery ?? '')))
          : NA(),
      ),
    );
    main.setAttribute('data-state', 'ready');
  }

  function routeCard(root: RouteNode, n: RouteNode, ls: LabelSet): HTMLElement {
    const path = pathTo(root, n);
    return kv([
      ['Route', h('code', null, n.id)],
      ['Path', h('ol', { className: 'route-path' }, path.map((p) => h('li', null, p.depth === 0 ? 'root' : p.matchers.map(formatMatcher).join(', '), ` → ${p.receiver}`)))],
      ['Receiver', n.receiver],
      ['group_by', h('code', null, n.groupBy === 'all' ? '[...]' : `[${n.groupBy.join(', ')}]`)],
      ['Timers', `group_wait ${n.groupWait} · group_interval ${n.groupInterval} · repeat_interval ${n.repeatInterval}`],
      ['Group key (computed)', h('code', null, groupKey(n, ls))],
    ]);
  }

  load().catch((e) => {
    clear(body);
    body.append(h('p', { className: 'error' }, `Could not explain: ${String(e)}`));
  });
  return () => {
    alive = false;
    story.destroy();
  };
}
