/**
 * @module ui/web/pages/history
 * The History page (#/history?filter=&kind=&receiver=&since=&until=&chart=&by=&window=): Tocsin's recorded events
 * (GET /api/v2/tocsin/history), newest first, with a filter bar like the alerts page (matchers on alert labels, kind,
 * receiver, time window) and infinite scroll (the next page loads when the end of the list comes into view).
 * Above the list, the chart (src/ui/web/history-chart.ts; `chart`, `by`, `window` choose it): clicking a bar
 * narrows the list to that bucket (since/until) and its series (a label matcher, or receiver and kind).
 * `timelineList` renders events as a list; the explain page uses it for one alert's timeline.
 */
import { ApiError, api } from '../api';
import { clear, h } from '../dom';
import { formatMatcher, formatMatchers, type MatcherParseError, parseMatchers, type UiMatcher } from '../matchers';
import type { Cleanup, PageContext } from '../page';
import { CHART_WINDOWS, type ChartPick, type ChartSettings, historyChart } from '../history-chart';
import { timeEl } from '../time';
import { type HistoryEventWire, historySubject, historySummary } from '../../../wire/history';

const KINDS = [
  'alert_created', 'alert_changed', 'alert_grouped', 'alert_resolved', 'silence_muted_alert', 'inhibition_muted_alert', 'alert_unmuted',
  'notification', 'flush_skipped', 'resolved_after_mute', 'notification_folded', 'digest_sent', 'silence_created', 'silence_updated', 'silence_expired', 'ack_created', 'ack_deleted', 'ack_expired', 'escalation_started', 'escalation_step', 'escalation_stopped', 'config_reload', 'alertmanager_startup', 'alertmanager_shutdown',
];
const WINDOWS: [string, string][] = [['', 'Any time'], ['1h', 'Last hour'], ['6h', 'Last 6 hours'], ['24h', 'Last day'], ['7d', 'Last 7 days'], ['14d', 'Last 14 days']];
const PAGE = 100;

function failed(e: HistoryEventWire): boolean {
  return e.kind === 'notification' && e.data?.outcome === 'failure';
}

/** One row per event: time, kind, subject (linking an alert to its explain page), summary. */
export function timelineList(events: readonly HistoryEventWire[], list: HTMLElement = h('ol', { className: 'history-list' })): HTMLElement {
  for (const e of events) {
    const subject = historySubject(e);
    list.append(
      h(
        'li',
        { className: `history-event${failed(e) ? ' failed' : ''}`, 'data-kind': e.kind },
        timeEl(e.time),
        ' ',
        h('span', { className: 'pill kind' }, e.kind),
        ' ',
        e.fingerprint ? h('a', { href: `#/explain/${encodeURIComponent(e.fingerprint)}`, className: 'subject' }, subject) : h('span', { className: 'subject' }, subject),
        ' ',
        h('span', { className: 'history-summary' }, historySummary(e)),
      ),
    );
  }
  return list;
}

const CHART_PARAMS = ['chart', 'by', 'window'];

/** The page's parameters narrowed to a bar picked on the chart: its bucket, and its series as a filter. */
export function narrowed(p: URLSearchParams, pick: ChartPick): URLSearchParams {
  const q = new URLSearchParams(p);
  q.set('since', pick.since);
  q.set('until', pick.until);
  q.delete('cursor');
  if (pick.series !== undefined) {
    if (pick.kind === 'notifications') {
      q.set('receiver', pick.series);
      q.set('kind', 'notification');
    } else {
      let ms: UiMatcher[] = [];
      try {
        ms = parseMatchers(p.get('filter') ?? '');
      } catch {
        /* a bad filter is replaced */
      }
      q.set('filter', formatMatchers([...ms.filter((m) => m.name !== pick.by), { name: pick.by, op: '=', value: pick.series }]));
    }
  }
  return q;
}

function withoutRange(p: URLSearchParams): URLSearchParams {
  const q = new URLSearchParams(p);
  q.delete('since');
  q.delete('until');
  return q;
}

export function historyPage(main: HTMLElement, ctx: PageContext): Cleanup {
  const p = ctx.params;
  let matchers: UiMatcher[] = [];
  const errorBox = h('p', { className: 'error', role: 'alert' });
  try {
    matchers = parseMatchers(p.get('filter') ?? '');
  } catch (err) {
    errorBox.textContent = `Invalid filter: ${(err as MatcherParseError).message}`;
  }
  const filterInput = h('input', { type: 'search', id: 'history-filter', className: 'filter-input', placeholder: 'Filter by alert labels, e.g. alertname="DiskFull", team=~"db.*"', 'aria-label': 'Filter' }) as HTMLInputElement;
  filterInput.value = matchers.map(formatMatcher).join(', ');
  const kindSelect = h('select', { id: 'history-kind', 'aria-label': 'Kind' }, h('option', { value: '' }, 'All kinds'), KINDS.map((k) => h('option', { value: k }, k))) as HTMLSelectElement;
  kindSelect.value = p.get('kind') ?? '';
  const receiverInput = h('input', { type: 'text', id: 'history-receiver', placeholder: 'Receiver', 'aria-label': 'Receiver' }) as HTMLInputElement;
  receiverInput.value = p.get('receiver') ?? '';
  const sinceSelect = h('select', { id: 'history-since', 'aria-label': 'Time window' }, WINDOWS.map(([v, label]) => h('option', { value: v }, label))) as HTMLSelectElement;
  const since = p.get('since') ?? '';
  const until = p.get('until') ?? '';
  // a window picked on the chart: since and until are times
  if (!WINDOWS.some(([v]) => v === since)) sinceSelect.append(h('option', { value: since }, 'Picked on the chart'));
  sinceSelect.value = since;
  const form = h(
    'form',
    { className: 'filter-bar', role: 'search' },
    h('div', { className: 'filter-line' }, filterInput, h('button', { type: 'submit', className: 'btn primary' }, 'Apply')),
    h('div', { className: 'filter-line options' }, kindSelect, receiverInput, sinceSelect),
  ) as HTMLFormElement;
  const list = h('ol', { className: 'history-list', 'aria-label': 'Events' });
  const status = h('p', { className: 'muted', 'aria-live': 'polite' });
  const sentinel = h('div', { className: 'history-sentinel' });
  const chartSettings: ChartSettings = {
    kind: p.get('chart') === 'notifications' ? 'notifications' : 'alerts',
    by: p.get('by') || 'alertname',
    window: CHART_WINDOWS.some(([v]) => v === p.get('window')) ? p.get('window')! : '24h',
  };
  const chart = historyChart(
    chartSettings,
    (c) => {
      const q = new URLSearchParams(p);
      q.set('chart', c.kind);
      q.set('by', c.by);
      q.set('window', c.window);
      location.hash = `#/history?${q.toString()}`;
    },
    (pick) => {
      location.hash = `#/history?${narrowed(p, pick).toString()}`;
    },
  );
  const range = until
    ? h('p', { className: 'history-range' }, 'Events from ', timeEl(since), ' to ', timeEl(until), ' ', h('a', { href: `#/history?${withoutRange(p).toString()}`, className: 'btn small' }, 'Any time'))
    : null;
  main.append(h('h1', null, 'History'), chart.el, form, ...(range ? [range] : []), errorBox, list, status, sentinel);

  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    try {
      const ms = parseMatchers(filterInput.value);
      const q = new URLSearchParams();
      if (ms.length) q.set('filter', formatMatchers(ms));
      if (kindSelect.value) q.set('kind', kindSelect.value);
      if (receiverInput.value.trim()) q.set('receiver', receiverInput.value.trim());
      if (sinceSelect.value) q.set('since', sinceSelect.value);
      if (until && sinceSelect.value === since) q.set('until', until);
      for (const k of CHART_PARAMS) if (p.get(k)) q.set(k, p.get(k)!);
      location.hash = `#/history${q.size ? `?${q.toString()}` : ''}`;
    } catch (err) {
      errorBox.textContent = `Invalid filter: ${(err as MatcherParseError).message}`;
    }
  });
  for (const el of [kindSelect, sinceSelect]) el.addEventListener('change', () => form.requestSubmit());

  const query = new URLSearchParams();
  for (const m of matchers) query.append('filter', formatMatcher(m));
  if (p.get('kind')) query.set('kind', p.get('kind')!);
  if (p.get('receiver')) query.set('receiver', p.get('receiver')!);
  if (since) query.set('since', since);
  if (until) query.set('until', until);
  query.set('limit', String(PAGE));

  const ac = new AbortController();
  let next: string | null | undefined;
  let loading = false;
  let shown = 0;
  const loadMore = async (): Promise<void> => {
    if (loading || next === null || errorBox.textContent) return;
    loading = true;
    status.textContent = 'Loading…';
    try {
      if (next) query.set('cursor', next);
      const page = await api.history(query.toString(), ac.signal);
      timelineList(page.events, list);
      shown += page.events.length;
      next = page.next;
      status.textContent = next === null ? (shown === 0 ? 'No events.' : `${shown} events, no more.`) : `${shown} events`;
    } catch (err) {
      if ((err as Error).name === 'AbortError') return;
      status.textContent = '';
      errorBox.textContent = err instanceof ApiError && err.status === 404 ? 'This server keeps no history (Tocsin only).' : `Loading history failed: ${(err as Error).message}`;
    } finally {
      loading = false;
    }
    // the list may still not fill the viewport: keep going while the sentinel is visible
    if (next && sentinel.getBoundingClientRect().top < window.innerHeight) void loadMore();
  };
  const io = new IntersectionObserver((entries) => {
    if (entries.some((e) => e.isIntersecting)) void loadMore();
  });
  io.observe(sentinel);
  void loadMore();
  return () => {
    ac.abort();
    io.disconnect();
    chart.destroy();
    clear(main);
  };
}
