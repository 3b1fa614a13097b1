/** @module ui/web/pages/preview — compact table of alerts (silence preview and silence view). */
import type { GettableAlert } from '../api';
import { h } from '../dom';
import { formatMatcher } from '../matchers';
import { timeEl } from '../time';

export function renderAlertTable(alerts: GettableAlert[], limit: number): HTMLElement {
  if (alerts.length === 0) return h('p', { className: 'muted', 'data-testid': 'preview-empty' }, 'No current alerts match.');
  const shown = alerts.slice(0, limit);
  return h(
    'div',
    { className: 'table-wrap' },
    h(
      'table',
      { className: 'alerts-table' },
      h('thead', null, h('tr', null, h('th', null, 'Labels'), h('th', null, 'State'), h('th', null, 'Started'))),
      h(
        'tbody',
        null,
        shown.map((a) =>
          h(
            'tr',
            { 'data-fingerprint': a.fingerprint },
            h(
              'td',
              null,
              h(
                'div',
                { className: 'labels' },
                Object.keys(a.labels)
                  .sort()
                  .map((k) => h('span', { className: 'pill' }, formatMatcher({ name: k, op: '=', value: a.labels[k]! }))),
              ),
            ),
            h('td', null, a.status.state),
            h('td', null, timeEl(a.startsAt)),
          ),
        ),
      ),
    ),
    alerts.length > limit ? h('p', { className: 'muted' }, `… and ${alerts.length - limit} more`) : null,
  );
}
