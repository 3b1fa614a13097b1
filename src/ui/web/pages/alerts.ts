/**
 * @module ui/web/pages/alerts
 * Alerts grouped as the route tree groups them (GET /api/v2/alerts/groups). Filtering happens on the server (one
 * `filter=` parameter per matcher, `receiver=` anchored regex, silenced/inhibited/muted toggles); the list is
 * windowed (VirtualList) so 10k alerts in 1k groups render only what is on screen. Live updates come from the
 * server's stream (api/v2/tocsin/alerts/stream) and fall back to polling every 30 s; a `tocsin.refreshSeconds` set in
 * localStorage polls at that period, stream or not. Either replaces the rows while keeping the scroll anchor, the expanded rows and whatever is being typed.
 */
import { alertTimeline } from '../alert-timeline';
import { type AlertGroup, type AlertQuery, ApiError, type GettableAlert, type StreamChange, alertQueryString, api, apiBase } from '../api';
import { ackDialog } from '../ack-dialog';
import { clear, confirmDialog, h, linkify, safeUrl } from '../dom';
import type { Cleanup, PageContext } from '../page';
import { type MatcherParseError, type UiMatcher, escapeRegex, formatMatcher, formatMatchers, parseMatchers } from '../matchers';
import { since, timeEl } from '../time';
import { VirtualList } from '../virtual-list';

type Row =
  | { kind: 'group'; key: string; group: AlertGroup; collapsed: boolean }
  | { kind: 'alert'; key: string; alert: GettableAlert; group: AlertGroup; expanded: boolean };

export function groupId(g: AlertGroup): string {
  return `${g.receiver.name}\u0000${formatMatchers(Object.keys(g.labels).sort().map((k) => ({ name: k, op: '=' as const, value: g.labels[k]! })))}`;
}

export function silenceHref(labels: Record<string, string>): string {
  const ms: UiMatcher[] = Object.keys(labels)
    .sort()
    .map((k) => ({ name: k, op: '=', value: labels[k]! }));
  return `#/silences/new?${new URLSearchParams({ filter: formatMatchers(ms) }).toString()}`;
}

/** Explain link; the labels let the page fetch just this alert instead of the whole list. */
export function explainHref(fp: string, labels: Record<string, string>): string {
  const ms: UiMatcher[] = Object.keys(labels)
    .sort()
    .map((k) => ({ name: k, op: '=', value: labels[k]! }));
  return `#/explain/${encodeURIComponent(fp)}?${new URLSearchParams({ filter: formatMatchers(ms) }).toString()}`;
}

/** `tocsin.refreshSeconds` in localStorage, when set to a positive number */
function chosenRefreshSeconds(): number | undefined {
  const v = Number(localStorage.getItem('tocsin.refreshSeconds'));
  return Number.isFinite(v) && v > 0 ? v : undefined;
}

export function alertsPage(main: HTMLElement, ctx: PageContext): Cleanup {
  const p = ctx.params;
  let matchers: UiMatcher[] = [];
  try {
    matchers = parseMatchers(p.get('filter') ?? '');
  } catch {
    matchers = [];
  }
  const state = {
    receiver: p.get('receiver') ?? '',
    silenced: p.get('silenced') === 'true',
    inhibited: p.get('inhibited') === 'true',
    muted: p.get('muted') === 'true',
  };
  const collapsed = new Set<string>();
  const expanded = new Set<string>();
  /** the timelines of the expanded alerts (loaded once per expansion, kept across refreshes) */
  const timelines = new Map<string, ReturnType<typeof alertTimeline>>();
  let groups: AlertGroup[] = [];
  let inflight: AbortController | null = null;
  let seq = 0;

  const filterInput = h('input', {
    type: 'search',
    id: 'alert-filter',
    'data-filter-input': true,
    className: 'filter-input',
    placeholder: 'alertname="X", severity=~"crit.*"   (press / to focus)',
    'aria-label': 'Filter alerts by matchers',
    autocomplete: 'off',
    spellcheck: 'false',
  }) as HTMLInputElement;
  filterInput.value = matchers.length ? matchers.map(formatMatcher).join(', ') : '';
  const pills = h('div', { className: 'pills', 'aria-label': 'Active filters' });
  const receiverSelect = h('select', { id: 'receiver-filter', 'aria-label': 'Receiver' }, h('option', { value: '' }, 'All receivers')) as HTMLSelectElement;
  const toggle = (name: 'silenced' | 'inhibited' | 'muted', label: string) => {
    const cb = h('input', { type: 'checkbox', id: `show-${name}`, checked: state[name] }) as HTMLInputElement;
    cb.addEventListener('change', () => {
      state[name] = cb.checked;
      apply();
    });
    return h('label', { className: 'check' }, cb, ` ${label}`);
  };
  // the counts are announced to screen readers when they change; the refresh time is not
  const summaryCount = h('span', { role: 'status' });
  const summaryTime = h('span');
  const summary = h('span', { className: 'summary' }, summaryCount, summaryTime);
  const errorBox = h('div', { className: 'error', role: 'alert', hidden: true });
  const scroller = h('div', { className: 'list-scroller', id: 'alert-list', role: 'list', 'aria-label': 'Alert groups', tabindex: '0' });
  const empty = h('p', { className: 'empty muted', hidden: true }, 'No alerts match.');
  const form = h(
    'form',
    { className: 'filter-bar', role: 'search' },
    h('div', { className: 'filter-line' }, filterInput, h('button', { type: 'submit', className: 'btn primary' }, 'Apply')),
    pills,
    h(
      'div',
      { className: 'filter-line options' },
      h('label', { className: 'inline' }, 'Receiver ', receiverSelect),
      toggle('silenced', 'Silenced'),
      toggle('inhibited', 'Inhibited'),
      toggle('muted', 'Muted'),
      h('button', { type: 'button', className: 'btn small', onclick: () => setAll(false) }, 'Expand all'),
      h('button', { type: 'button', className: 'btn small', onclick: () => setAll(true) }, 'Collapse all'),
      h('button', { type: 'button', className: 'btn small', onclick: () => load() }, 'Refresh'),
      summary,
    ),
  );
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    try {
      matchers = parseMatchers(filterInput.value);
    } catch (err) {
      showError(`Invalid filter: ${(err as MatcherParseError).message}`);
      return;
    }
    apply();
  });
  receiverSelect.addEventListener('change', () => {
    state.receiver = receiverSelect.value;
    apply();
  });
  main.append(h('h1', { className: 'visually-hidden' }, 'Alerts'), form, errorBox, empty, scroller);

  const list = new VirtualList<Row>(scroller, {
    key: (r) => r.key,
    estimate: (r) => (r.kind === 'group' ? 46 : r.expanded ? 180 : 70),
    render: (r) => (r.kind === 'group' ? renderGroup(r) : renderAlert(r)),
  });

  function showError(msg: string | null) {
    errorBox.hidden = msg === null;
    errorBox.textContent = msg ?? '';
  }

  function addMatcher(m: UiMatcher) {
    if (!matchers.some((x) => x.name === m.name && x.op === m.op && x.value === m.value)) matchers = [...matchers, m];
    filterInput.value = matchers.map(formatMatcher).join(', ');
    apply();
  }

  function renderPills() {
    clear(pills);
    for (const m of matchers) {
      pills.append(
        h(
          'span',
          { className: 'pill filter-pill' },
          formatMatcher(m),
          h(
            'button',
            {
              type: 'button',
              className: 'pill-x',
              'aria-label': `Remove filter ${formatMatcher(m)}`,
              onclick: () => {
                matchers = matchers.filter((x) => x !== m);
                filterInput.value = matchers.map(formatMatcher).join(', ');
                apply();
              },
            },
            '×',
          ),
        ),
      );
    }
  }

  function query(): AlertQuery {
    return {
      filter: matchers.map(formatMatcher),
      receiver: state.receiver ? `^(?:${escapeRegex(state.receiver)})$` : undefined,
      silenced: state.silenced,
      inhibited: state.inhibited,
      muted: state.muted,
    };
  }

  function syncUrl() {
    const q = new URLSearchParams();
    if (matchers.length) q.set('filter', formatMatchers(matchers));
    if (state.receiver) q.set('receiver', state.receiver);
    for (const k of ['silenced', 'inhibited', 'muted'] as const) if (state[k]) q.set(k, 'true');
    const s = q.toString();
    history.replaceState(null, '', `#/alerts${s ? `?${s}` : ''}`);
  }

  function apply() {
    renderPills();
    syncUrl();
    load({ resetScroll: true });
  }

  function rows(): Row[] {
    const out: Row[] = [];
    for (const g of groups) {
      const gid = groupId(g);
      const isCollapsed = collapsed.has(gid);
      out.push({ kind: 'group', key: `g:${gid}`, group: g, collapsed: isCollapsed });
      if (isCollapsed) continue;
      for (const a of g.alerts) {
        out.push({ kind: 'alert', key: `a:${gid}:${a.fingerprint}`, alert: a, group: g, expanded: expanded.has(a.fingerprint) });
      }
    }
    return out;
  }

  function redraw() {
    list.setItems(rows());
  }

  function timelineOf(fp: string): HTMLElement {
    let t = timelines.get(fp);
    if (!t) {
      t = alertTimeline(fp, redraw);
      timelines.set(fp, t);
    }
    return t.el;
  }

  function setAll(collapse: boolean) {
    collapsed.clear();
    if (collapse) for (const g of groups) collapsed.add(groupId(g));
    redraw();
  }

  async function load(opts: { resetScroll?: boolean } = {}) {
    inflight?.abort();
    const ctl = new AbortController();
    inflight = ctl;
    const mySeq = ++seq;
    const q = query();
    main.setAttribute('data-state', 'loading');
    try {
      const res = await api.groups(q, ctl.signal);
      if (mySeq !== seq) return;
      groups = res;
      showError(null);
      if (opts.resetScroll) list.scrollToTop();
      // changes the stream sent while this answer was on its way are as new or newer than it
      const queued = queuedChanges;
      queuedChanges = [];
      indexGroups();
      for (const c of queued) patch(c);
      show();
      main.setAttribute('data-query', alertQueryString(q, true));
      main.setAttribute('data-state', 'ready');
      performance.clearMarks('tocsin:alerts-rendered');
      performance.mark('tocsin:alerts-rendered');
    } catch (e) {
      if ((e as Error).name === 'AbortError' || mySeq !== seq) return;
      showError(e instanceof ApiError ? `Could not load alerts: ${e.message}` : String(e));
      main.setAttribute('data-state', 'error');
    } finally {
      if (inflight === ctl) {
        inflight = null;
        lastLoadAt = Date.now();
        if (reloadWanted) reloadSoon();
      }
    }
  }

  /** The list, its counts and the time it was brought up to date. */
  function show() {
    redraw();
    let n = 0;
    for (const g of groups) n += g.alerts.length;
    const counts = `${groups.length} groups, ${n} alerts`;
    if (summaryCount.textContent !== counts) summaryCount.textContent = counts;
    summaryTime.textContent = ` · updated ${new Date().toLocaleTimeString()}`;
    empty.hidden = groups.length > 0;
  }

  // Live updates (GET api/v2/tocsin/alerts/stream, src/api/alert-stream.ts): changes to listed alerts are applied in
  // place; an alert that may newly belong to the list brings a reload of the groups (at most one every
  // RELOAD_GAP_MS). Without the stream (Alertmanager, a proxy that drops it) the page polls.
  const RELOAD_GAP_MS = 500;
  let queuedChanges: StreamChange[] = [];
  let reloadWanted = false;
  let reloadTimer: number | undefined;
  let lastLoadAt = 0;
  /** fingerprint → the groups listing it */
  let where = new Map<string, AlertGroup[]>();

  function indexGroups() {
    where = new Map();
    for (const g of groups) {
      for (const a of g.alerts) {
        const gs = where.get(a.fingerprint);
        if (gs) gs.push(g);
        else where.set(a.fingerprint, [g]);
      }
    }
  }

  function reloadSoon() {
    reloadWanted = true;
    if (inflight || reloadTimer !== undefined) return;
    reloadTimer = window.setTimeout(() => {
      reloadTimer = undefined;
      reloadWanted = false;
      load();
    }, Math.max(0, lastLoadAt + RELOAD_GAP_MS - Date.now()));
  }

  /** Listed under the silenced/inhibited toggles, as the server decides (its `silenced`, `inhibited` parameters). */
  function statusListed(a: GettableAlert): boolean {
    return (state.silenced || a.status.silencedBy.length === 0) && (state.inhibited || a.status.inhibitedBy.length === 0);
  }

  function remove(fp: string) {
    const gs = where.get(fp);
    if (!gs) return;
    where.delete(fp);
    for (const g of gs) g.alerts = g.alerts.filter((x) => x.fingerprint !== fp);
    groups = groups.filter((g) => g.alerts.length > 0);
  }

  /** Applies one change (one the list cannot show without a reload asks for one). */
  function patch(c: StreamChange): void {
    if (c.type === 'removed') {
      remove(c.fingerprint);
      return;
    }
    const fp = c.alert.fingerprint;
    const gs = where.get(fp);
    if (!gs) {
      // new to the list, or newly listed by its status: which groups hold it is the server's to say
      if ((c.type === 'added' || c.type === 'status') && statusListed(c.alert)) reloadSoon();
      return;
    }
    if (!statusListed(c.alert)) {
      remove(fp);
      return;
    }
    for (const g of gs) {
      g.alerts = g.alerts.map((old) => {
        if (old.fingerprint !== fp) return old;
        // the group's receivers and its time-interval mute stay as the groups answer wrote them
        const muted = old.status.mutedBy ?? [];
        const status = muted.length > 0 ? { ...c.alert.status, mutedBy: muted, state: 'suppressed' as const } : c.alert.status;
        return { ...c.alert, receivers: old.receivers, status };
      });
    }
  }

  function onChanges(changes: StreamChange[]) {
    if (inflight) {
      queuedChanges.push(...changes);
      return;
    }
    for (const c of changes) patch(c);
    show();
    performance.clearMarks('tocsin:alerts-rendered');
    performance.mark('tocsin:alerts-rendered');
  }

  let pollTimer: number | undefined;
  function startPolling() {
    if (pollTimer !== undefined) return;
    pollTimer = window.setInterval(() => {
      if (!document.hidden) load();
    }, (chosenRefreshSeconds() ?? 30) * 1000);
  }

  let stream: EventSource | null = null;
  if (typeof EventSource === 'function') {
    stream = new EventSource(`${apiBase()}api/v2/tocsin/alerts/stream`);
    stream.addEventListener('resync', () => {
      main.setAttribute('data-live', 'stream');
      load();
    });
    stream.addEventListener('alerts', (e) => {
      try {
        onChanges(JSON.parse((e as MessageEvent<string>).data) as StreamChange[]);
      } catch {
        reloadSoon();
      }
    });
    stream.addEventListener('error', () => {
      // CLOSED: refused (no such endpoint); else it reconnects by itself, and says resync when it is back
      if (stream?.readyState === EventSource.CLOSED) {
        main.setAttribute('data-live', 'polling');
        startPolling();
      }
    });
  }
  // no stream, or a refresh period chosen explicitly (it is kept besides the stream)
  if (!stream || chosenRefreshSeconds() !== undefined) startPolling();

  function labelPills(labels: Record<string, string>, skip?: Record<string, string>): HTMLElement {
    return h(
      'div',
      { className: 'labels' },
      Object.keys(labels)
        .sort()
        .filter((k) => !skip || skip[k] !== labels[k])
        .map((k) => {
          const m: UiMatcher = { name: k, op: '=', value: labels[k]! };
          return h(
            'button',
            { type: 'button', className: 'pill label', title: `Add ${formatMatcher(m)} to the filter`, onclick: () => addMatcher(m) },
            formatMatcher(m),
          );
        }),
    );
  }

  function renderGroup(r: Extract<Row, { kind: 'group' }>): HTMLElement {
    const g = r.group;
    const hasLabels = Object.keys(g.labels).length > 0;
    const toggleBtn = h(
      'button',
      {
        type: 'button',
        className: 'group-toggle',
        'aria-expanded': String(!r.collapsed),
        'aria-label': `${r.collapsed ? 'Expand' : 'Collapse'} group`,
        onclick: () => {
          const gid = groupId(g);
          if (collapsed.has(gid)) collapsed.delete(gid);
          else collapsed.add(gid);
          redraw();
        },
      },
      r.collapsed ? '▸' : '▾',
    );
    return h(
      'div',
      { className: 'group-row', role: 'listitem', 'data-group': formatMatchers(Object.keys(g.labels).sort().map((k) => ({ name: k, op: '=', value: g.labels[k]! }))) },
      toggleBtn,
      hasLabels ? labelPills(g.labels) : h('span', { className: 'muted' }, 'Not grouped'),
      h('span', { className: 'receiver', title: 'Receiver' }, '→ ', g.receiver.name),
      ackState(g),
      h('span', { className: 'count' }, `${g.alerts.length} alert${g.alerts.length === 1 ? '' : 's'}`),
      hasLabels ? h('a', { className: 'btn small', href: silenceHref(g.labels) }, 'Silence group') : null,
      g.tocsinAck
        ? null
        : h('button', { type: 'button', className: 'btn small', 'data-testid': 'ack-group', onclick: () => void ackDialog(g).then((ok) => (ok ? load() : undefined)) }, 'Ack'),
    );
  }

  /** Tocsin: who acknowledged the group, and its escalation (nothing on Alertmanager) */
  function ackState(g: AlertGroup): HTMLElement | null {
    const ack = g.tocsinAck;
    const esc = g.tocsinEscalation;
    if (!ack && !esc) return null;
    const parts: HTMLElement[] = [];
    if (ack) {
      parts.push(
        h(
          'span',
          { className: 'badge acked', 'data-testid': 'ack-badge', title: `Acknowledged ${ack.createdAt}${ack.endsAt ? `, until ${ack.endsAt}` : ''}` },
          `Acked by ${ack.createdBy}: ${ack.comment}`,
        ),
        h(
          'button',
          {
            type: 'button',
            className: 'btn small',
            'data-testid': 'unack-group',
            onclick: () =>
              void confirmDialog(`Delete the ack by ${ack.createdBy}? Repeat notifications resume.`, 'Delete ack').then(async (yes) => {
                if (!yes) return;
                try {
                  await api.deleteAck(ack.ackID);
                } catch (e) {
                  showError(`Deleting the ack failed: ${(e as Error).message}`);
                }
                await load();
              }),
          },
          'Unack',
        ),
      );
    }
    if (esc) {
      const text = esc.stoppedAt
        ? `Escalation stopped (${esc.stopReason ?? 'acknowledged'})${esc.reached.length ? ` after ${esc.reached.join(', ')}` : ''}`
        : `${esc.reached.length ? `Escalated to ${esc.reached.join(', ')}` : 'Escalating'}${esc.next ? ` · next: ${esc.next.receiver}` : ''}`;
      parts.push(h('span', { className: `badge escalation${esc.stoppedAt ? '' : ' active'}`, 'data-testid': 'escalation-badge', title: esc.next ? `${esc.next.receiver} at ${esc.next.at}` : '' }, text));
    }
    return h('span', { className: 'ack-state' }, parts);
  }

  function renderAlert(r: Extract<Row, { kind: 'alert' }>): HTMLElement {
    const a = r.alert;
    const st = a.status;
    const silenced = st.silencedBy ?? [];
    const inhibited = st.inhibitedBy ?? [];
    const muted = st.mutedBy ?? [];
    const stateText = silenced.length ? 'silenced' : inhibited.length ? 'inhibited' : muted.length ? 'muted' : st.state;
    const gen = a.generatorURL ? safeUrl(a.generatorURL) : null;
    const causes: HTMLElement[] = [];
    if (silenced.length)
      causes.push(h('span', { className: 'cause' }, 'Silenced by ', silenced.map((id, i) => [i ? ', ' : '', h('a', { href: `#/silences/${encodeURIComponent(id)}` }, id.slice(0, 8))])));
    if (inhibited.length)
      causes.push(h('span', { className: 'cause' }, 'Inhibited by ', inhibited.map((fp, i) => [i ? ', ' : '', h('a', { href: `#/explain/${encodeURIComponent(fp)}` }, fp)])));
    if (muted.length) causes.push(h('span', { className: 'cause' }, 'Muted by time interval ', muted.join(', ')));
    const detailsBtn = h(
      'button',
      {
        type: 'button',
        className: 'btn small',
        'aria-expanded': String(r.expanded),
        onclick: () => {
          if (expanded.has(a.fingerprint)) {
            expanded.delete(a.fingerprint);
            timelines.get(a.fingerprint)?.destroy();
            timelines.delete(a.fingerprint);
          } else expanded.add(a.fingerprint);
          redraw();
        },
      },
      r.expanded ? 'Hide details' : 'Details',
    );
    const annKeys = Object.keys(a.annotations ?? {}).sort();
    const headline = a.annotations?.summary ?? a.annotations?.message ?? a.annotations?.description;
    return h(
      'div',
      { className: `alert-row state-${stateText}`, role: 'listitem', 'data-fingerprint': a.fingerprint },
      h(
        'div',
        { className: 'alert-head' },
        h('span', { className: `badge ${stateText}` }, stateText),
        h('span', { className: 'started', title: `started ${since(a.startsAt)}` }, 'since ', timeEl(a.startsAt)),
        detailsBtn,
        h('a', { className: 'btn small', href: silenceHref(a.labels) }, 'Silence'),
        h('a', { className: 'btn small', href: explainHref(a.fingerprint, a.labels) }, 'Explain'),
        gen ? h('a', { className: 'btn small', href: gen, target: '_blank', rel: 'noopener noreferrer' }, 'Source') : null,
      ),
      labelPills(a.labels, r.group.labels),
      headline && !r.expanded ? h('div', { className: 'headline' }, linkify(headline.length > 300 ? `${headline.slice(0, 300)}…` : headline)) : null,
      causes.length ? h('div', { className: 'causes' }, causes) : null,
      r.expanded
        ? h(
            'dl',
            { className: 'details' },
            annKeys.map((k) => [h('dt', null, k), h('dd', { className: 'annotation' }, linkify(a.annotations[k]!))]),
            h('dt', null, 'Generator'),
            h('dd', null, gen ? h('a', { href: gen, target: '_blank', rel: 'noopener noreferrer' }, gen) : a.generatorURL ? h('span', { className: 'unsafe-url' }, a.generatorURL) : '—'),
            h('dt', null, 'Receivers'),
            h('dd', null, (a.receivers ?? []).map((x) => x.name).join(', ')),
            h('dt', null, 'Fingerprint'),
            h('dd', null, h('code', null, a.fingerprint)),
            h('dt', null, 'Updated'),
            h('dd', null, timeEl(a.updatedAt)),
            h('dt', null, 'Timeline'),
            h('dd', null, timelineOf(a.fingerprint)),
          )
        : null,
    );
  }

  // receivers for the drop-down
  api
    .receivers()
    .then((rs) => {
      for (const r of rs) receiverSelect.append(h('option', { value: r.name, selected: r.name === state.receiver }, r.name));
      receiverSelect.value = state.receiver;
    })
    .catch(() => {
      /* the filter still works without the list */
    });

  renderPills();
  load();
  return () => {
    stream?.close();
    clearInterval(pollTimer);
    clearTimeout(reloadTimer);
    inflight?.abort();
    for (const t of timelines.values()) t.destroy();
    list.destroy();
  };
}
