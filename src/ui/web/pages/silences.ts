/**
 * @module ui/web/pages/silences
 * Silence list by state (active, pending, expired) with a text search, and the single-silence view with the alerts
 * it currently affects. Expiring asks for confirmation first.
 */
import { ApiError, type Silence, api } from '../api';
import { clear, confirmDialog, h } from '../dom';
import type { Cleanup, PageContext } from '../page';
import { formatMatcher, formatMatchers, fromApi } from '../matchers';
import { timeEl } from '../time';
import { renderAlertTable } from './preview';
import { silenceAuditSection } from './silence-audit';

type State = 'active' | 'pending' | 'expired';
const STATES: State[] = ['active', 'pending', 'expired'];

function matcherText(s: Silence): string {
  return s.matchers.map((m) => formatMatcher(fromApi(m))).join(', ');
}

export function silenceActions(s: Silence, onChange: () => void): HTMLElement {
  const st = s.status.state;
  return h(
    'div',
    { className: 'actions' },
    h('a', { className: 'btn small', href: `#/silences/${encodeURIComponent(s.id)}` }, 'View'),
    st === 'expired'
      ? h('a', { className: 'btn small', href: `#/silences/new?${new URLSearchParams({ filter: formatMatchers(s.matchers.map(fromApi)), comment: s.comment })}` }, 'Recreate')
      : h('a', { className: 'btn small', href: `#/silences/${encodeURIComponent(s.id)}/edit` }, 'Edit'),
    st !== 'expired'
      ? h(
          'button',
          {
            type: 'button',
            className: 'btn small danger',
            'data-action': 'expire',
            onclick: async () => {
              if (!(await confirmDialog('Are you sure you want to expire this silence?', 'Expire'))) return;
              try {
                await api.expireSilence(s.id);
                onChange();
              } catch (e) {
                alertError(e);
              }
            },
          },
          st === 'pending' ? 'Delete' : 'Expire',
        )
      : null,
  );
}

function alertError(e: unknown) {
  const box = document.querySelector('#main .error');
  if (box) {
    box.textContent = `Request failed: ${e instanceof ApiError ? e.message : String(e)}`;
    (box as HTMLElement).hidden = false;
  }
}

export function silencesPage(main: HTMLElement, ctx: PageContext): Cleanup {
  let current: State = (STATES as string[]).includes(ctx.params.get('state') ?? '') ? (ctx.params.get('state') as State) : 'active';
  let all: Silence[] = [];
  const search = h('input', {
    type: 'search',
    'data-filter-input': true,
    className: 'filter-input',
    placeholder: 'Search matchers, author, comment or ID',
    'aria-label': 'Search silences',
    value: ctx.params.get('q') ?? '',
  }) as HTMLInputElement;
  const tabs = h('div', { className: 'tabs', role: 'tablist', 'aria-label': 'Silence state' });
  const listEl = h('ul', { className: 'silence-list', id: 'silence-list' });
  const errorBox = h('div', { className: 'error', role: 'alert', hidden: true });
  main.append(
    h('h1', null, 'Silences'),
    h('p', null, h('a', { className: 'btn small', href: '#/silences/schedules', id: 'schedules-link' }, 'Recurring silences')),
    h('div', { className: 'filter-bar' }, search, tabs),
    errorBox,
    listEl,
  );
  search.addEventListener('input', () => draw());

  function draw() {
    const q = search.value.trim().toLowerCase();
    const matches = (s: Silence) =>
      q === '' || [s.id, s.createdBy, s.comment, matcherText(s)].some((t) => t.toLowerCase().includes(q));
    const counts: Record<State, number> = { active: 0, pending: 0, expired: 0 };
    for (const s of all) if (matches(s)) counts[s.status.state]++;
    clear(tabs);
    for (const st of STATES) {
      tabs.append(
        h(
          'button',
          {
            type: 'button',
            role: 'tab',
            className: 'tab',
            'aria-selected': String(st === current),
            'data-state': st,
            onclick: () => {
              current = st;
              draw();
            },
          },
          `${st[0]!.toUpperCase()}${st.slice(1)} (${counts[st]})`,
        ),
      );
    }
    clear(listEl);
    const shown = all.filter((s) => s.status.state === current && matches(s));
    if (shown.length === 0) listEl.append(h('li', { className: 'muted empty' }, `No ${current} silences.`));
    for (const s of shown) {
      listEl.append(
        h(
          'li',
          { className: 'silence-item', 'data-silence-id': s.id },
          h('div', { className: 'labels' }, s.matchers.map((m) => h('span', { className: 'pill' }, formatMatcher(fromApi(m))))),
          h(
            'div',
            { className: 'meta' },
            s.status.state === 'expired' ? ['Expired ', timeEl(s.endsAt)] : s.status.state === 'pending' ? ['Starts ', timeEl(s.startsAt), ' · ends ', timeEl(s.endsAt)] : ['Ends ', timeEl(s.endsAt)],
            ' · by ',
            s.createdBy,
          ),
          h('p', { className: 'comment' }, s.comment),
          silenceActions(s, load),
        ),
      );
    }
  }

  async function load() {
    try {
      all = await api.silences();
      errorBox.hidden = true;
      draw();
      main.setAttribute('data-state', 'ready');
    } catch (e) {
      errorBox.hidden = false;
      errorBox.textContent = `Could not load silences: ${e instanceof ApiError ? e.message : String(e)}`;
    }
  }
  load();
  const timer = setInterval(() => {
    if (!document.hidden && !main.contains(document.activeElement) ) load();
  }, 30000);
  return () => clearInterval(timer);
}

export function silencePage(main: HTMLElement, ctx: PageContext, id: string): Cleanup {
  let alive = true;
  const body = h('div', null, h('p', { className: 'muted' }, 'Loading…'));
  const errorBox = h('div', { className: 'error', role: 'alert', hidden: true });
  const warning = ctx.params.get('warning');
  main.append(h('h1', null, 'Silence'));
  if (warning) main.append(h('div', { className: 'warning', role: 'status', id: 'silence-saved-warning' }, `Warning: ${warning}`));
  main.append(errorBox, body);
  async function load() {
    try {
      const s = await api.silence(id);
      if (!alive) return;
      clear(body);
      const ms = s.matchers.map(fromApi);
      body.append(
        h(
          'dl',
          { className: 'kv' },
          h('dt', null, 'ID'),
          h('dd', null, h('code', null, s.id)),
          h('dt', null, 'State'),
          h('dd', { 'data-testid': 'silence-state' }, h('span', { className: `badge ${s.status.state}` }, s.status.state)),
          h('dt', null, 'Matchers'),
          h('dd', null, h('div', { className: 'labels' }, ms.map((m) => h('span', { className: 'pill' }, formatMatcher(m))))),
          h('dt', null, 'Starts'),
          h('dd', null, timeEl(s.startsAt)),
          h('dt', null, 'Ends'),
          h('dd', null, timeEl(s.endsAt)),
          h('dt', null, 'Updated'),
          h('dd', null, timeEl(s.updatedAt)),
          h('dt', null, 'Created by'),
          h('dd', null, s.createdBy),
          h('dt', null, 'Comment'),
          h('dd', null, s.comment),
          s.annotations && Object.keys(s.annotations).length
            ? [h('dt', null, 'Annotations'), h('dd', null, Object.entries(s.annotations).map(([k, v]) => h('div', null, `${k}: ${v}`)))]
            : null,
          s.annotations?.tocsin_schedule_id
            ? [h('dt', null, 'Recurring'), h('dd', null, h('a', { href: '#/silences/schedules' }, `schedule ${s.annotations.tocsin_schedule_id}`))]
            : null,
        ),
        silenceActions(s, load),
        silenceAuditSection(s.id),
        h('h2', null, 'Alerts affected by this silence'),
      );
      const table = h('div', null, h('p', { className: 'muted' }, 'Loading…'));
      body.append(table);
      if (s.status.state === 'expired') {
        clear(table);
        table.append(h('p', { className: 'muted' }, 'The silence has expired; no alerts are affected.'));
      } else {
        const alerts = await api.alerts({ filter: ms.map(formatMatcher), silenced: true, inhibited: true, muted: true });
        if (!alive) return;
        clear(table);
        table.append(renderAlertTable(alerts, 200));
      }
      main.setAttribute('data-state', 'ready');
    } catch (e) {
      errorBox.hidden = false;
      errorBox.textContent = e instanceof ApiError && e.status === 404 ? `Silence ${id} not found.` : `Could not load silence: ${e instanceof ApiError ? e.message : String(e)}`;
      clear(body);
    }
  }
  load();
  return () => {
    alive = false;
  };
}
