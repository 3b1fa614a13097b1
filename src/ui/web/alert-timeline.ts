/**
 * @module ui/web/alert-timeline
 * One alert's story from the history, oldest first, as the explain page and the alert's details show it:
 * "fired 02:13:00, grouped into {…} for pager 02:13:00, sent to pager 02:13:31 (202 in 140 ms, webhook[0] attempt
 * 1), silenced by ann 02:20:00 until 04:00:00, resolved 03:02:00, resolved sent to slack 03:02:30 (…)". The alert's own events (GET
 * /api/v2/tocsin/history?fingerprint=) are joined with the notifications of the groups it was grouped into
 * that carried it (their `firing` / `resolved` fingerprints) or were folded by a rate limit, and each silence's
 * author and end.
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

/**
 * The event as a phrase of the alert's story: `head` comes before the event's time in the one-line story,
 * `tail` after it ("sent to pager" 02:13:31 " (202 in 140 ms, webhook[0] attempt 1)").
 */
export function storyPhrase(e: HistoryEventWire, fp: string, silences: ReadonlyMap<string, SilenceFacts>): { head: string; tail: string } {
  const d = e.data ?? {};
  const head = (text: string) => ({ head: text, tail: '' });
  switch (e.kind) {
    case 'alert_created':
      return head('fired');
    case 'alert_changed':
      return head('annotations changed');
    case 'alert_grouped':
      return head(`grouped into ${e.groupKey ?? ''} for ${e.receiver ?? ''}`);
    case 'alert_resolved':
      return head(d.by === 'resolve_timeout' ? 'resolved (resolve_timeout)' : 'resolved');
    case 'silence_muted_alert': {
      const s = e.silenceId ? silences.get(e.silenceId) : undefined;
      return s ? { head: `silenced by ${s.createdBy}`, tail: ` until ${at(s.endsAt)}` } : head(`silenced by ${e.silenceId ?? ''}`);
    }
    case 'inhibition_muted_alert':
      return head(`inhibited by ${String(d.inhibitedBy ?? '')}`);
    case 'alert_unmuted':
      return head(`no longer ${d.was === 'inhibition' ? 'inhibited' : 'silenced'}`);
    case 'resolved_after_mute':
      return head(`resolved sent to ${e.receiver ?? ''} although ${String(d.mutedBy ?? 'muted')} (resolved_after_mute)`);
    case 'notification_folded':
      return head(`rate limited at ${e.receiver ?? ''}: folded into digest ${String(d.digest ?? '')}`);
    case 'notification': {
      const resolved = carries(e, fp) === 'resolved';
      const via = `${String(d.integration ?? '')}[${String(d.index ?? '')}] attempt ${String(d.attempt ?? '')}`;
      if (d.outcome === 'success') {
        const status = d.status !== undefined ? `${String(d.status)} ` : '';
        return { head: `${resolved ? 'resolved sent' : 'sent'} to ${e.receiver ?? ''}`, tail: ` (${status}in ${String(d.latencyMs ?? '?')} ms, ${via})` };
      }
      return {
        head: `sending${resolved ? ' resolved' : ''} to ${e.receiver ?? ''} failed`,
        tail: ` (${String(d.status ?? 'error')}, ${d.retryable ? 'will retry' : 'gave up'}, ${via})`,
      };
    }
    default:
      return head(e.kind);
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
      const q = new URLSearchParams({ kind: 'notification,notification_folded', receiver: g.receiver, groupKey: g.groupKey, limit: LIMIT, ...(first ? { since: first } : {}) });
      const page = await api.history(q.toString(), signal);
      // a folded notification names no alerts: shown while the alert was in the group (since it was grouped)
      return page.events.filter((e) => e.groupKey === g.groupKey && (e.kind === 'notification_folded' || carries(e, fp) !== undefined));
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
        h('p', { className: 'timeline-story' }, events.map((e, i) => `${phrases[i]!.head} ${at(e.time)}${phrases[i]!.tail}`).join(', ')),
        h(
          'ol',
          { className: 'history-list' },
          events.map((e, i) =>
            h(
              'li',
              { className: `history-event${e.kind === 'notification' && e.data?.outcome === 'failure' ? ' failed' : ''}`, 'data-kind': e.kind },
              timeEl(e.time),
              ' ',
              h('span', { className: 'history-summary' }, phrases[i]!.head + phrases[i]!.tail),
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
