/**
 * @module ui/web/pages/notifications
 * The Notifications page (#/notifications?state=&receiver=): the persistent outbox (GET /api/v2/tocsin/notifications),
 * newest first: notifications being retried and dead letters, each dead letter with a Replay button (POST
 * .../{id}/replay: sent again once, the same payload) and a Discard button (DELETE, after a confirmation). Every
 * value is set as text (src/ui/web/dom.ts), so labels and error messages can never become markup.
 */
import { ApiError, api } from '../api';
import { clear, confirmDialog, h } from '../dom';
import type { Cleanup, PageContext } from '../page';
import { timeEl } from '../time';
import { integrationName, type OutboxNotificationWire } from '../../../wire/notifications';

const STATES: [string, string][] = [['', 'Pending and dead'], ['pending', 'Pending'], ['dead', 'Dead letters']];
const PAGE = 100;

function labelsText(ls: Record<string, string>): string {
  return Object.entries(ls)
    .map(([k, v]) => `${k}="${v}"`)
    .join(', ');
}

export function notificationsPage(main: HTMLElement, ctx: PageContext): Cleanup {
  const p = ctx.params;
  const stateSelect = h('select', { id: 'notifications-state', 'aria-label': 'State' }, STATES.map(([v, label]) => h('option', { value: v }, label))) as HTMLSelectElement;
  stateSelect.value = p.get('state') ?? '';
  const receiverInput = h('input', { type: 'text', id: 'notifications-receiver', placeholder: 'Receiver', 'aria-label': 'Receiver' }) as HTMLInputElement;
  receiverInput.value = p.get('receiver') ?? '';
  const form = h(
    'form',
    { className: 'filter-bar', role: 'search' },
    h('div', { className: 'filter-line options' }, stateSelect, receiverInput, h('button', { type: 'submit', className: 'btn primary' }, 'Apply')),
  ) as HTMLFormElement;
  const errorBox = h('p', { className: 'error', role: 'alert' });
  const message = h('p', { className: 'notice', role: 'status', 'aria-live': 'polite' });
  const body = h('tbody');
  const table = h(
    'table',
    { className: 'notifications-table', 'aria-label': 'Notifications' },
    h('thead', null, h('tr', null, ['ID', 'State', 'Receiver', 'Integration', 'Group', 'Alerts', 'Attempts', 'Next attempt / deadline', 'Last error', ''].map((t) => h('th', { scope: 'col' }, t)))),
    body,
  );
  const status = h('p', { className: 'muted', 'aria-live': 'polite' });
  main.append(
    h('h1', null, 'Notifications'),
    h('p', { className: 'muted' }, 'The persistent outbox: notifications a receiver could not take yet, retried until their deadline, and dead letters.'),
    form,
    errorBox,
    message,
    table,
    status,
  );

  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    const q = new URLSearchParams();
    if (stateSelect.value) q.set('state', stateSelect.value);
    if (receiverInput.value.trim()) q.set('receiver', receiverInput.value.trim());
    location.hash = `#/notifications${q.size ? `?${q.toString()}` : ''}`;
  });
  stateSelect.addEventListener('change', () => form.requestSubmit());

  const ac = new AbortController();
  const act = async (n: OutboxNotificationWire, what: 'replay' | 'discard'): Promise<void> => {
    errorBox.textContent = '';
    message.textContent = '';
    try {
      if (what === 'replay') {
        const r = await api.replayNotification(n.id);
        message.textContent = r.delivered ? `Notification ${n.id} delivered (attempt ${r.notification.attempts}).` : `Notification ${n.id} failed again: ${r.notification.lastError ?? ''}`;
      } else {
        if (!(await confirmDialog(`Discard notification ${n.id} to ${n.receiver} without sending it?`, 'Discard'))) return;
        await api.discardNotification(n.id);
        message.textContent = `Notification ${n.id} discarded.`;
      }
    } catch (err) {
      errorBox.textContent = `${what === 'replay' ? 'Replay' : 'Discard'} failed: ${(err as Error).message}`;
    }
    await load();
  };

  const row = (n: OutboxNotificationWire): HTMLElement =>
    h(
      'tr',
      { 'data-id': String(n.id), 'data-state': n.state },
      h('td', null, String(n.id)),
      h('td', null, h('span', { className: `pill state-${n.state}` }, n.state)),
      h('td', null, n.receiver),
      h('td', null, integrationName(n)),
      h('td', null, labelsText(n.groupLabels)),
      h('td', null, n.alerts.join(', ')),
      h('td', null, String(n.attempts)),
      h('td', null, n.nextAttemptAt ? timeEl(n.nextAttemptAt) : null, n.nextAttemptAt ? ' / ' : null, timeEl(n.deadline)),
      h('td', { className: 'error-text' }, n.lastError ?? ''),
      h(
        'td',
        null,
        n.state === 'dead'
          ? [
              h('button', { type: 'button', className: 'btn primary', onclick: () => void act(n, 'replay') }, 'Replay'),
              ' ',
              h('button', { type: 'button', className: 'btn', onclick: () => void act(n, 'discard') }, 'Discard'),
            ]
          : null,
      ),
    );

  const load = async (): Promise<void> => {
    const q = new URLSearchParams();
    if (p.get('state')) q.set('state', p.get('state')!);
    if (p.get('receiver')) q.set('receiver', p.get('receiver')!);
    q.set('limit', String(PAGE));
    status.textContent = 'Loading…';
    try {
      const page = await api.notifications(q.toString(), ac.signal);
      clear(body);
      for (const n of page.notifications) body.append(row(n));
      status.textContent = page.notifications.length === 0 ? 'No notifications in the outbox.' : `${page.notifications.length} notifications${page.next ? ` (the newest ${PAGE})` : ''}.`;
    } catch (err) {
      if ((err as Error).name === 'AbortError') return;
      status.textContent = '';
      errorBox.textContent = err instanceof ApiError && err.status === 404 ? 'This server has no persistent outbox (Tocsin only).' : `Loading notifications failed: ${(err as Error).message}`;
    }
  };
  void load();
  return () => {
    ac.abort();
    clear(main);
  };
}
