/**
 * @module ui/web/history-chart
 * The chart above the History page (GET /api/v2/tocsin/history/series), drawn by uPlot (bundled; its CSS is
 * added to the style sheet by src/ui/build.mjs): alerts firing per bucket stacked by alertname or a label the
 * user picks, or notification attempts per receiver stacked with the failed ones marked, over 1 h to 14 d.
 * Clicking a bar picks its bucket and the series under the pointer (`onPick`), which the page turns into
 * since/until and a filter for the list.
 */
import uPlot from 'uplot';
import { ApiError, api, type HistorySeries } from './api';
import { h } from './dom';

export type ChartKind = 'alerts' | 'notifications';

export interface ChartSettings {
  kind: ChartKind;
  /** alertname or a label name (alerts) */
  by: string;
  /** how far back, e.g. 24h */
  window: string;
}

/** A clicked bar: its bucket and the series under the pointer (none when above the stack or "other"). */
export interface ChartPick {
  since: string;
  until: string;
  kind: ChartKind;
  by: string;
  series?: string;
}

export const CHART_WINDOWS: [string, string][] = [['1h', '1 hour'], ['6h', '6 hours'], ['24h', '1 day'], ['7d', '7 days'], ['14d', '14 days']];

const PALETTE = ['#2563eb', '#c2410c', '#15803d', '#7c3aed', '#0891b2', '#ca8a04', '#db2777', '#4d7c0f', '#9333ea', '#0f766e'];
const OTHER_COLOR = '#9ca3af';
const FAILED_COLOR = '#b91c1c';
const HEIGHT = 200;

/** The label of a series in the legend. */
function seriesLabel(s: HistorySeries['series'][number], by: string): string {
  if (s.other) return 'other';
  return s.name === '' ? `(no ${by})` : s.name;
}

export function historyChart(settings: ChartSettings, onChange: (s: ChartSettings) => void, onPick: (p: ChartPick) => void): { el: HTMLElement; destroy(): void } {
  const kindSelect = h(
    'select',
    { id: 'chart-kind', 'aria-label': 'Chart' },
    h('option', { value: 'alerts' }, 'Alerts firing'),
    h('option', { value: 'notifications' }, 'Notifications per receiver'),
  ) as HTMLSelectElement;
  kindSelect.value = settings.kind;
  const byInput = h('input', { type: 'text', id: 'chart-by', 'aria-label': 'Stack by label', placeholder: 'alertname', size: 12 }) as HTMLInputElement;
  byInput.value = settings.kind === 'alerts' ? settings.by : 'receiver';
  byInput.disabled = settings.kind !== 'alerts';
  const windowSelect = h('select', { id: 'chart-window', 'aria-label': 'Chart window' }, CHART_WINDOWS.map(([v, l]) => h('option', { value: v }, l))) as HTMLSelectElement;
  windowSelect.value = settings.window;
  const change = () => onChange({ kind: kindSelect.value as ChartKind, by: kindSelect.value === 'alerts' ? byInput.value.trim() || 'alertname' : 'receiver', window: windowSelect.value });
  kindSelect.addEventListener('change', change);
  windowSelect.addEventListener('change', change);
  byInput.addEventListener('change', change);
  const plotBox = h('div', { className: 'history-plot' });
  const note = h('p', { className: 'muted chart-note', role: 'status' }, 'Loading chart…');
  const el = h(
    'section',
    { className: 'card history-chart', id: 'history-chart', 'aria-label': 'History chart' },
    h('div', { className: 'filter-line options' }, kindSelect, h('label', { className: 'muted' }, 'stacked by ', byInput), windowSelect),
    plotBox,
    note,
  );

  let plot: uPlot | undefined;
  let alive = true;
  const ac = new AbortController();
  const resize = () => plot?.setSize({ width: Math.max(300, plotBox.clientWidth), height: HEIGHT });
  window.addEventListener('resize', resize);

  const q = new URLSearchParams({ kind: settings.kind, by: settings.kind === 'alerts' ? settings.by : 'receiver', since: settings.window });
  api
    .historySeries(q.toString(), ac.signal)
    .then((r) => {
      if (!alive) return;
      note.textContent = r.series.length === 0 ? (settings.kind === 'alerts' ? 'No alerts fired in this window.' : 'No notifications in this window.') : 'Click a bar to list its events.';
      plot = draw(r);
    })
    .catch((e: unknown) => {
      if (!alive || (e as Error).name === 'AbortError') return;
      // 404: not a Tocsin server (the chart works on SQLite and PostgreSQL alike)
      note.textContent = e instanceof ApiError && e.status === 404 ? 'This server keeps no history chart (Tocsin only).' : `Loading the chart failed: ${(e as Error).message}`;
    });

  function draw(r: HistorySeries): uPlot {
    const since = Date.parse(r.since);
    const until = Date.parse(r.until);
    const step = r.stepSeconds * 1000;
    const n = Math.round((until - since) / step);
    const xs = Array.from({ length: n }, (_, i) => (since + i * step) / 1000);
    // stacked: level k holds series 0..k; drawn top level first so each lower one paints over it
    const levels: number[][] = [];
    let acc = new Array<number>(n).fill(0);
    for (const s of r.series) {
      acc = acc.map((v, i) => v + (s.values[i] ?? 0));
      levels.push(acc);
    }
    const order = r.series.map((_, k) => k).reverse();
    const bars = uPlot.paths.bars!({ size: [0.9, Infinity], align: 1 });
    const series: uPlot.Series[] = [{}];
    const data: uPlot.AlignedData = [xs];
    for (const k of order) {
      const s = r.series[k]!;
      const color = s.other ? OTHER_COLOR : PALETTE[k % PALETTE.length]!;
      series.push({
        label: seriesLabel(s, r.by),
        stroke: color,
        fill: color,
        width: 0,
        paths: bars,
        points: { show: false },
        value: (_u, _v, _si, idx) => (idx === null || idx === undefined ? '–' : `${s.values[idx] ?? 0}${s.failures ? ` (${s.failures[idx] ?? 0} failed)` : ''}`),
      });
      data.push(levels[k]!);
    }
    if (r.kind === 'notifications' && r.series.length > 0) {
      const failed = xs.map((_, i) => r.series.reduce((a, s) => a + (s.failures?.[i] ?? 0), 0));
      series.push({
        label: 'failed attempts',
        stroke: FAILED_COLOR,
        width: 0,
        paths: () => null,
        points: { show: true, size: 9, fill: FAILED_COLOR, stroke: FAILED_COLOR },
        value: (_u, v) => (v === null || v === undefined ? '0' : String(v)),
      });
      // a mark only where attempts failed (at the bar's left edge, at the height of the failed count)
      data.push(failed.map((f) => (f > 0 ? f : null)) as number[]);
    }
    const u = new uPlot(
      {
        width: Math.max(300, plotBox.clientWidth),
        height: HEIGHT,
        series,
        scales: { x: { time: true, range: () => [since / 1000, until / 1000] }, y: { range: (_u, _min, max) => [0, Math.max(1, max)] } },
        axes: [{}, { size: 40, incrs: [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10_000] }],
        cursor: { drag: { x: false, y: false }, points: { show: false } },
        legend: { live: true },
      },
      data,
      plotBox,
    );
    u.over.addEventListener('click', () => {
      const left = u.cursor.left ?? -1;
      const top = u.cursor.top ?? -1;
      if (left < 0 || top < 0) return;
      const t = u.posToVal(left, 'x') * 1000;
      const bucket = Math.floor((t - since) / step);
      if (bucket < 0 || bucket >= n) return;
      const y = u.posToVal(top, 'y');
      // the series whose band holds the pointer, bottom up
      const k = levels.findIndex((lv, j) => (r.series[j]!.values[bucket] ?? 0) > 0 && lv[bucket]! >= y);
      const s = k >= 0 ? r.series[k] : undefined;
      onPick({
        since: new Date(since + bucket * step).toISOString(),
        until: new Date(since + (bucket + 1) * step).toISOString(),
        kind: r.kind,
        by: r.by,
        ...(s && !s.other ? { series: s.name } : {}),
      });
    });
    return u;
  }

  return {
    el,
    destroy() {
      alive = false;
      ac.abort();
      window.removeEventListener('resize', resize);
      plot?.destroy();
    },
  };
}
