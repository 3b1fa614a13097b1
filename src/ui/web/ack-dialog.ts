/**
 * @module ui/web/ack-dialog
 * Acknowledging an alert group from the alerts page (Tocsin only): a modal form for the author (remembered like the
 * silence form's), a comment and an optional expiry. The group's key comes from explain on one of its alerts (the
 * groups answer carries no key), then POST api/v2/tocsin/acks.
 */
import { type AlertGroup, api } from './api';
import { h, openModal } from './dom';

const AUTHOR_KEY = 'tocsin.author';
const EXPIRY: [string, string][] = [['', 'Until the group changes'], ['1h', '1 hour'], ['4h', '4 hours'], ['24h', '1 day']];

function sameLabels(a: Record<string, string> | undefined, b: Record<string, string>): boolean {
  if (!a) return false;
  const ka = Object.keys(a);
  return ka.length === Object.keys(b).length && ka.every((k) => a[k] === b[k]);
}

/** The group's key on its receiver, from explain on its first alert. */
export async function groupKeyOf(g: AlertGroup): Promise<string> {
  const fp = g.alerts[0]?.fingerprint;
  if (!fp) throw new Error('the group has no alert');
  const ex = await api.explain(fp);
  const r = ex.routes.find((x) => x.receiver === g.receiver.name && x.groupKey && sameLabels(x.groupLabels, g.labels)) ?? ex.routes.find((x) => x.receiver === g.receiver.name && x.groupKey);
  if (!r?.groupKey) throw new Error('the server did not name the group (no explain endpoint?)');
  return r.groupKey;
}

/** Opens the ack form for the group; resolves true once the ack is stored, false when cancelled. */
export function ackDialog(g: AlertGroup): Promise<boolean> {
  return new Promise((resolve) => {
    const author = h('input', { type: 'text', id: 'ack-author', required: true, value: localStorage.getItem(AUTHOR_KEY) ?? '' }) as HTMLInputElement;
    const comment = h('textarea', { id: 'ack-comment', required: true, rows: 3, placeholder: 'What is being done about it' }) as HTMLTextAreaElement;
    const expiry = h('select', { id: 'ack-expiry' }, EXPIRY.map(([v, label]) => h('option', { value: v }, label))) as HTMLSelectElement;
    const error = h('p', { className: 'error', role: 'alert', hidden: true });
    const cancel = h('button', { type: 'button', className: 'btn' }, 'Cancel');
    const ok = h('button', { type: 'submit', className: 'btn primary', 'data-testid': 'ack-submit' }, 'Acknowledge');
    const form = h(
      'form',
      { className: 'ack-form', method: 'dialog', novalidate: true },
      h('p', null, 'Acknowledge this group on ', h('strong', null, g.receiver.name), ': no repeat notification until an alert joins or changes, or the ack expires. Resolved notifications still go out.'),
      h('label', null, 'Author', author),
      h('label', null, 'Comment', comment),
      h('label', null, 'Expires', expiry),
      error,
      h('div', { className: 'row' }, cancel, ok),
    );
    const dlg = h('dialog', { className: 'confirm ack-dialog', 'aria-label': 'Acknowledge group' }, form) as HTMLDialogElement;
    const finish = openModal(dlg, resolve);
    const fail = (msg: string) => {
      error.hidden = false;
      error.textContent = msg;
      (ok as HTMLButtonElement).disabled = false;
    };
    cancel.addEventListener('click', () => finish(false));
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      const by = author.value.trim();
      const text = comment.value.trim();
      if (by === '') return fail('Author is required.');
      if (text === '') return fail('Comment is required.');
      (ok as HTMLButtonElement).disabled = true;
      const hours = { '1h': 1, '4h': 4, '24h': 24 }[expiry.value];
      groupKeyOf(g)
        .then((groupKey) =>
          api.postAck({ groupKey, receiver: g.receiver.name, createdBy: by, comment: text, ...(hours ? { endsAt: new Date(Date.now() + hours * 3600_000).toISOString() } : {}) }),
        )
        .then(() => {
          localStorage.setItem(AUTHOR_KEY, by);
          finish(true);
        })
        .catch((err: unknown) => fail(`Acknowledging failed: ${(err as Error).message}`));
    });
    (author.value !== '' ? comment : author).focus();
  });
}
