/**
 * @module ui/web/pages/silence-audit
 * A silence's life on its page: every create, update and expire from GET /api/v2/tocsin/silences/{id}/audit,
 * with who (author, and the signed-in user when basic auth is on) and what changed. A silence replaced by an
 * edit links to its successor and back. Servers without the endpoint (Alertmanager) show nothing.
 */
import type { SilenceAuditEventWire } from '../../../wire/silence-schedules';
import { ApiError, api } from '../api';
import { clear, h } from '../dom';
import { timeEl } from '../time';

const ACTION: Record<SilenceAuditEventWire['action'], string> = { create: 'Created', update: 'Updated', expire: 'Expired' };
const FIELD: Record<string, string> = { matchers: 'Matchers', startsAt: 'Starts', endsAt: 'Ends', comment: 'Comment', createdBy: 'Author' };

const show = (v: unknown): string => (Array.isArray(v) ? v.join(' ') : String(v));
const silenceLink = (id: string) => h('a', { href: `#/silences/${encodeURIComponent(id)}` }, h('code', null, id));

function eventItem(e: SilenceAuditEventWire): HTMLElement {
  const changes = Object.entries(e.changes);
  return h(
    'li',
    { className: 'audit-event', 'data-action': e.action },
    h('div', null, h('strong', null, ACTION[e.action]), ' ', timeEl(e.time), ' by ', e.silence.createdBy, e.user ? [' (signed in as ', h('span', { className: 'audit-user' }, e.user), ')'] : null),
    e.reason ? h('div', { className: 'audit-reason' }, `By Tocsin: ${e.reason}`) : null,
    e.replaces ? h('div', { className: 'muted' }, 'Replaces ', silenceLink(e.replaces)) : null,
    e.replacedBy ? h('div', { className: 'muted' }, 'Replaced by ', silenceLink(e.replacedBy)) : null,
    changes.length > 0
      ? h(
          'ul',
          { className: 'audit-changes' },
          changes.map(([k, c]) => h('li', null, `${FIELD[k] ?? k}: `, h('del', null, show(c.from)), ' → ', h('ins', null, show(c.to)))),
        )
      : null,
  );
}

/** The "History" section of a silence's page; fills itself in. */
export function silenceAuditSection(id: string): HTMLElement {
  const list = h('ol', { className: 'audit', id: 'silence-audit' }, h('li', { className: 'muted' }, 'Loading…'));
  const section = h('section', null, h('h2', null, 'History'), list);
  api.silenceAudit(id).then(
    (a) => {
      clear(list);
      if (a.events.length === 0) list.append(h('li', { className: 'muted' }, 'No recorded changes.'));
      for (const e of a.events) list.append(eventItem(e));
    },
    (e: unknown) => {
      if (e instanceof ApiError && e.status === 404) section.remove();
      else {
        clear(list);
        list.append(h('li', { className: 'error' }, `Could not load the history: ${e instanceof ApiError ? e.message : String(e)}`));
      }
    },
  );
  return section;
}
