/**
 * @module ui/web/pages/silence-schedules
 * Recurring silences (#/silences/schedules, Tocsin only): the schedules with their next occurrences and a
 * delete button, and an editor (matchers, RRULE, duration, time zone, author, comment) that shows the next
 * occurrences the server computes (POST .../preview) before anything is saved. The server answers a bad field
 * with a message naming it; the editor shows it as it is.
 */
import type { PostableSilenceSchedule, SilenceScheduleWire } from '../../../wire/silence-schedules';
import { ApiError, api } from '../api';
import { clear, confirmDialog, h } from '../dom';
import { formatMatcher, fromApi, type MatcherParseError, parseMatchers, toApi } from '../matchers';
import type { Cleanup, PageContext } from '../page';
import { timeEl } from '../time';

const AUTHOR_KEY = 'tocsin.author';
const PREVIEW_COUNT = 5;

const errText = (e: unknown) => (e instanceof ApiError ? e.message : String(e));

/** An occurrence's start in the schedule's own zone, e.g. `Sun 29 Mar 2026, 03:00 GMT+2`. */
function inZone(iso: string, timeZone: string): string {
  try {
    return new Intl.DateTimeFormat(undefined, { timeZone, weekday: 'short', year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', timeZoneName: 'short' }).format(new Date(iso));
  } catch {
    return iso;
  }
}

export function schedulesPage(main: HTMLElement, _ctx: PageContext): Cleanup {
  let alive = true;
  let previewTimer = 0;
  let previewAbort: AbortController | null = null;

  const field = (id: string, attrs: Record<string, string> = {}) => h('input', { type: 'text', id, ...attrs }) as HTMLInputElement;
  const matchers = field('schedule-matchers', { placeholder: '{service="db", env="prod"}' });
  const rrule = field('schedule-rrule', { value: 'FREQ=WEEKLY;BYDAY=SU;BYHOUR=2;BYMINUTE=0;BYSECOND=0', spellcheck: 'false' });
  const duration = field('schedule-duration', { value: '2h' });
  const timeZone = field('schedule-timezone', { value: Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC', list: 'schedule-zones' });
  const zones = h('datalist', { id: 'schedule-zones' }, ['UTC', 'Europe/Berlin', 'Europe/London', 'America/New_York', 'America/Los_Angeles', 'Asia/Tokyo'].map((z) => h('option', { value: z })));
  const author = field('schedule-author', { value: localStorage.getItem(AUTHOR_KEY) ?? '' });
  const comment = h('textarea', { id: 'schedule-comment', rows: 2 }) as HTMLTextAreaElement;
  const errorBox = h('div', { className: 'error', role: 'alert', hidden: true, id: 'schedule-error' });
  const previewEl = h('ol', { id: 'schedule-preview', 'aria-live': 'polite' });
  const listEl = h('div', { id: 'schedule-list' }, h('p', { className: 'muted' }, 'Loading…'));
  const form = h(
    'form',
    { className: 'silence-form', novalidate: true, id: 'schedule-form' },
    h('label', null, 'Matchers', matchers),
    h('label', null, 'Recurrence (RFC 5545 RRULE, or a cron expression)', rrule),
    h('div', { className: 'grid3' }, h('label', null, 'Duration', duration), h('label', null, 'Time zone', timeZone, zones), h('label', null, 'Author', author)),
    h('label', null, 'Comment', comment),
    h('h2', null, 'Next occurrences'),
    previewEl,
    errorBox,
    h('div', { className: 'row' }, h('button', { type: 'submit', className: 'btn primary', id: 'schedule-save' }, 'Save schedule'), h('a', { className: 'btn', href: '#/silences' }, 'Back to silences')),
  );
  main.append(h('h1', null, 'Recurring silences'), listEl, h('h2', null, 'New recurring silence'), form);

  const showError = (msg: string | null) => {
    errorBox.hidden = msg === null;
    errorBox.textContent = msg ?? '';
  };

  /** the body the form stands for, or the reason it cannot be sent */
  function body(): PostableSilenceSchedule | string {
    let ms: ReturnType<typeof parseMatchers>;
    try {
      ms = parseMatchers(matchers.value);
    } catch (e) {
      return `Matchers: ${(e as MatcherParseError).message}`;
    }
    if (ms.length === 0) return 'Matchers: at least one matcher is required.';
    return {
      matchers: ms.map(toApi),
      // FREQ=... (or RRULE:...) is an RRULE, anything else a cron expression
      ...(/^(RRULE:)?FREQ=/i.test(rrule.value.trim()) ? { rrule: rrule.value.trim() } : { cron: rrule.value.trim() }),
      duration: duration.value.trim(),
      timeZone: timeZone.value.trim(),
      createdBy: author.value.trim() || 'preview',
      comment: comment.value.trim() || 'preview',
    };
  }

  async function preview() {
    const b = body();
    previewAbort?.abort();
    if (typeof b === 'string') {
      clear(previewEl);
      showError(b);
      return;
    }
    const ctl = new AbortController();
    previewAbort = ctl;
    try {
      const { occurrences } = await api.previewSchedule(b, PREVIEW_COUNT, ctl.signal);
      if (!alive || ctl.signal.aborted) return;
      showError(null);
      clear(previewEl);
      if (occurrences.length === 0) previewEl.append(h('li', { className: 'muted' }, 'No more occurrences.'));
      for (const o of occurrences) {
        previewEl.append(h('li', { className: 'occurrence' }, inZone(o.startsAt, b.timeZone), ' → ', inZone(o.endsAt, b.timeZone), ' (', timeEl(o.startsAt), ')'));
      }
    } catch (e) {
      if ((e as Error).name === 'AbortError' || !alive) return;
      clear(previewEl);
      showError(errText(e));
    }
  }
  const schedulePreview = () => {
    clearTimeout(previewTimer);
    previewTimer = window.setTimeout(preview, 250);
  };
  for (const el of [matchers, rrule, duration, timeZone]) el.addEventListener('input', schedulePreview);

  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const b = body();
    if (typeof b === 'string') return showError(b);
    if (author.value.trim() === '') return showError('Author is required.');
    if (comment.value.trim() === '') return showError('Comment is required.');
    try {
      await api.postSchedule(b);
      localStorage.setItem(AUTHOR_KEY, b.createdBy);
      showError(null);
      await loadList();
    } catch (e) {
      showError(errText(e));
    }
  });

  function scheduleItem(s: SilenceScheduleWire): HTMLElement {
    return h(
      'li',
      { className: 'silence-item', 'data-schedule-id': s.id },
      h('div', { className: 'labels' }, s.matchers.map((m) => h('span', { className: 'pill' }, formatMatcher(fromApi(m))))),
      h('div', { className: 'meta' }, h('code', null, s.rrule ?? `cron ${s.cron ?? ''}`), ` · ${s.duration} · ${s.timeZone} · by ${s.createdBy}`),
      h('p', { className: 'comment' }, s.comment),
      h(
        'ul',
        { className: 'occurrences' },
        s.nextOccurrences.map((o) =>
          h('li', null, h('a', { href: `#/silences/${encodeURIComponent(o.silenceID)}` }, inZone(o.startsAt, s.timeZone)), ' → ', inZone(o.endsAt, s.timeZone)),
        ),
      ),
      h(
        'div',
        { className: 'actions' },
        h(
          'button',
          {
            type: 'button',
            className: 'btn small danger',
            'data-action': 'delete-schedule',
            onclick: async () => {
              if (!(await confirmDialog('Delete this schedule? Its pending silences are expired.', 'Delete'))) return;
              try {
                await api.deleteSchedule(s.id);
                await loadList();
              } catch (e) {
                showError(errText(e));
              }
            },
          },
          'Delete',
        ),
      ),
    );
  }

  async function loadList() {
    try {
      const all = await api.schedules();
      if (!alive) return;
      clear(listEl);
      if (all.length === 0) listEl.append(h('p', { className: 'muted empty' }, 'No recurring silences.'));
      else listEl.append(h('ul', { className: 'silence-list' }, all.map(scheduleItem)));
      main.setAttribute('data-state', 'ready');
    } catch (e) {
      clear(listEl);
      listEl.append(h('p', { className: 'error' }, e instanceof ApiError && e.status === 404 ? 'This server has no recurring silences.' : `Could not load schedules: ${errText(e)}`));
    }
  }
  loadList();
  schedulePreview();
  return () => {
    alive = false;
    clearTimeout(previewTimer);
    previewAbort?.abort();
  };
}
