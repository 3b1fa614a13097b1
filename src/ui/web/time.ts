/** @module ui/web/time — times in the user's zone with UTC on hover; Prometheus-style durations. */
import { h } from './dom';

const fmt = new Intl.DateTimeFormat(undefined, {
  year: 'numeric', month: 'short', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', timeZoneName: 'short',
});

export function isZeroTime(iso: string | undefined): boolean {
  return !iso || iso.startsWith('0001-01-01');
}

/** A <time> element showing local time, with the UTC instant in the title (hover). */
export function timeEl(iso: string | undefined | null): HTMLElement {
  if (!iso || isZeroTime(iso)) return h('span', { className: 'muted' }, '—');
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return h('span', null, iso);
  return h('time', { datetime: d.toISOString(), title: `${d.toISOString().replace('.000Z', 'Z')} (UTC)` }, fmt.format(d));
}

const UNITS: [string, number][] = [
  ['y', 365 * 24 * 3600e3], ['w', 7 * 24 * 3600e3], ['d', 24 * 3600e3], ['h', 3600e3], ['m', 60e3], ['s', 1e3], ['ms', 1],
];

/** Parses a Prometheus duration such as "1h30m" or "2d" to milliseconds, or null. */
export function parseDuration(s: string): number | null {
  const t = s.trim();
  if (t === '') return null;
  if (t === '0') return 0;
  const re = /(\d+)(ms|[ywdhms])/y;
  let total = 0;
  let pos = 0;
  while (pos < t.length) {
    re.lastIndex = pos;
    const m = re.exec(t);
    if (!m) return null;
    const unit = UNITS.find(([u]) => u === m[2]);
    total += Number(m[1]) * (unit ? unit[1] : 0);
    pos = re.lastIndex;
  }
  return total;
}

export function formatDuration(ms: number): string {
  if (ms <= 0) return '0s';
  let rest = Math.round(ms);
  let out = '';
  for (const [u, v] of UNITS) {
    if (u === 'y' || u === 'w') continue;
    if (rest >= v) {
      out += `${Math.floor(rest / v)}${u}`;
      rest %= v;
    }
  }
  return out || '0s';
}

/** "3h 2m ago" style relative text. */
export function since(iso: string, now = Date.now()): string {
  const d = now - new Date(iso).getTime();
  return d >= 0 ? `${formatDuration(Math.floor(d / 1000) * 1000)} ago` : `in ${formatDuration(Math.floor(-d / 1000) * 1000)}`;
}

/** Value for <input type="datetime-local"> in the user's zone. */
export function toLocalInput(d: Date): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}:${p(d.getMinutes())}`;
}

export function fromLocalInput(v: string): Date | null {
  if (!v) return null;
  const d = new Date(v); // datetime-local strings parse as local time
  return Number.isNaN(d.getTime()) ? null : d;
}
