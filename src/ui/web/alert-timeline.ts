/**
 * @module ui/web/alert-timeline
 * One alert's story from the history, oldest first, as the explain page and the alert's details show it:
 * "fired 02:13, grouped into {…} for pager, sent to pager 02:13:31 (202 in 140 ms), silenced by ann 02:20 until
 * 04:00, resolved 03:02, resolved sent to slack 03:02:30". The alert's own events (GET
 * /api/v2/tocsin/history?fingerprint=) are joined with the notifications of the groups it was grouped into
 * that carried it (their `firing` / `resolved` fingerprints), and each silence's author and end.
 */
import { ApiError, api } from './api';
import { h } from './dom';
import { timeEl } from './time';
import type { HistoryEventWire } from '../../wire/history';

const LIMIT = '1000';

interface SilenceFacts {
  createdBy: string;
  endsAt: string;
}

function carries(e: HistoryEventWire, fp: string): 'firing' | 'resolved' | undefined {
  const d = e.data ?? {};
  if (Array.isArray(d.firing) && d.firing.includes(fp)) return 'firing';
  if (Array.isArray(d.resolved) && d.resolved.includes(fp)) return 'resolved';
  return undefined;
}

const clock = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit', second: '2-digit' });
function at(iso: string): string {
  return clock.format(new Date(iso));
}

/** The event as a phrase of the alert's story (without its time). */
export function storyPhrase(e: HistoryEventWire, fp: string, silences: ReadonlyMap<string, SilenceFacts>): string {
  const d = e.data ?? {};
  switch (e.kind) {
    case 'alert_created':
      return 'fired';
    case 'alert_changed':
      return 'annotations changed';
    case 'alert_grouped':
      return `grouped into ${e.groupKey ?? ''} for ${e.receiver ?? ''}`;
    case 'alert_resolved':
      return d.by === 'resolve_timeout' ? 'resolved (resolve_timeout)' : 'resolved';
    case 'silence_muted_alert': {
      const s = e.silenceId ? silences.get(e.silenceId) : undefined;
      return s ? `silenced by ${s.createdBy} until ${at(s.endsAt)}` : `silenced by ${e.silenceId ?? ''}`;
    }
    case 'inhibition_muted_alert':
      return `inhibited by ${String(d.inhibitedBy ?? '')}`;
    case 'alert_unmuted':
      return `no longer ${d.was === 'inhibition' ? 'inhibited' : 'silenced'}`;
    case 'notification': {
      const what = carries(e, fp) === 'resolved' ? 'resolved sent' : 'sent';
      const via = `${e.receiver ?? ''} (${String(d.integration ?? '')}[${String(d.index ?? '')}], attempt ${String(d.attempt ?? '')})`;
      const status = d.status !== undefined ? `${String(d.status)} ` : '';
      if (d.outcome === 'success') return `${what} to ${via}: ${status}in ${String(d.latencyMs ?? '?')} ms`;
      return `${what === 'sent' ? 'sending' : 'sending resolved'} to ${via} failed: ${status}${d.retryable ? 'will retry' : 'gave up'}`;
    }
    default:
      return e.kind;
  }
}

/** Loads the alert's story: its events and the notifications that carried it, oldest first. */
async function loadStory(fp: string, signal: AbortSignal): Promise<{ events: HistoryEventWire[]; silences: Map<string, SilenceFacts> }> {
  const own = (await api.history(new URLSearchParams({ fingerprint: fp, limit: LIMIT }).toString(), signal)).events;
  const first = own.at(-1)?.time;
  const groups = new Map<string, { groupKey: string; receiver: string }>();
  for (const e of own) if (e.kind === 'alert_grouped' && e.groupKey && e.receiver) groups.set(`${e.receiver}\u0000${e.groupKey}`, { groupKey: e.groupKey, receiver: e.receiver });
  const sent = await Promise.all(
    [...groups.values()].map(async (g) => {
      const q = new URLSearchParams({ kind: 'notification', receiver: g.receiver, groupKey: g.groupKey, limit: LIMIT, ...(first ? { since: first } : {}) });
      const page = await api.history(q.toString(), signal);
      return page.events.filter((e) => e.groupKey === g.groupKey && carries(e, fp) !== undefined);
    }),
  );
  const silences = new Map<string, SilenceFacts>();
  const ids = new Set(own.flatMap((e) => (e.kind === 'silence_muted_alert' && e.silenceId ? [e.silenceId] : [])));
  await Promise.all(
    [...ids].map((id) =>
      api.silence(id).then(
        (s) => void silences.set(id, { createdBy: s.createdBy, endsAt: s.endsAt }),
        () => undefined, // expired and gone: the id is shown
      ),
    ),
  );
  const events = [...own, ...sent.flat()];
  events.sort((a, b) => (a.time < b.time ? -1 : a.time > b.time ? 1 : (a.id ?? 0) - (b.id ?? 0)));
  return { events, silences };
}

/** A section that loads and shows the alert's timeline; `onLoad` runs once it is shown (its height changed). */
export function alertTimeline(fp: string, onLoad?: () => void): { el: HTMLElement; destroy(): void } {
  const el = h('div', { className: 'alert-timeline' }, h('p', { className: 'muted' }, 'Loading…'));
  const ac = new AbortController();
  loadStory(fp, ac.signal)
    .then(({ events, silences }) => {
      if (events.length === 0) {
        el.replaceChildren(h('p', { className: 'muted' }, 'No recorded events.'));
        return;
      }
      const phrases = events.map((e) => storyPhrase(e, fp, silences));
      el.replaceChildren(
        h('p', { className: 'timeline-story' }, events.map((e, i) => `${phrases[i]} ${at(e.time)}`).join(', ')),
        h(
          'ol',
          { className: 'history-list' },
          events.map((e, i) =>
            h(
              'li',
              { className: `history-event${e.kind === 'notification' && e.data?.outcome === 'failure' ? ' failed' : ''}`, 'data-kind': e.kind },
              timeEl(e.time),
              ' ',
              h('span', { className: 'history-summary' }, phrases[i]!),
            ),
          ),
        ),
      );
      onLoad?.();
    })
    .catch((e: unknown) => {
      if ((e as Error).name === 'AbortError') return;
      const why = e instanceof ApiError && e.status === 404 ? 'This server keeps no history (Tocsin only).' : `Loading the timeline failed: ${(e as Error).message}`;
      el.replaceChildren(h('p', { className: 'muted' }, why));
    });
  return { el, destroy: () => ac.abort() };
}
