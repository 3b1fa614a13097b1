/**
 * @module ui/web/pages/silence-form
 * Create / edit a silence: matchers, start, end or duration, author, comment. A live preview lists exactly the
 * current alerts the silence would mute (GET /api/v2/alerts with the matchers as filters, silenced and inhibited
 * alerts included) and warns when it would mute more than MANY alerts or every current alert.
 */
import { ApiError, type PostableSilence, type Silence, api } from '../api';
import { clear, h } from '../dom';
import type { Cleanup, PageContext } from '../page';
import { type MatcherParseError, type Op, type UiMatcher, compileAnchored, formatMatcher, fromApi, parseMatchers, toApi } from '../matchers';
import { formatDuration, fromLocalInput, parseDuration, toLocalInput } from '../time';
import { renderAlertTable } from './preview';

/** Above this many affected alerts the form shows a warning. */
export const MANY = 50;
const AUTHOR_KEY = 'tocsin.author';
const OPS: Op[] = ['=', '!=', '=~', '!~'];

interface MatcherRow {
  el: HTMLElement;
  name: HTMLInputElement;
  op: HTMLSelectElement;
  value: HTMLInputElement;
}

export function silenceFormPage(main: HTMLElement, ctx: PageContext, editId: string | null): Cleanup {
  let alive = true;
  let startIso = new Date().toISOString();
  let previewTimer = 0;
  let previewSeq = 0;
  let totalAlerts: number | null = null;
  const rows: MatcherRow[] = [];

  const rowsEl = h('div', { className: 'matcher-rows', id: 'matcher-rows' });
  const startInput = h('input', { type: 'datetime-local', id: 'silence-start', required: true }) as HTMLInputElement;
  const durationInput = h('input', { type: 'text', id: 'silence-duration', placeholder: '2h', value: '2h', inputmode: 'text' }) as HTMLInputElement;
  const endInput = h('input', { type: 'datetime-local', id: 'silence-end', required: true }) as HTMLInputElement;
  const author = h('input', { type: 'text', id: 'silence-author', required: true, value: localStorage.getItem(AUTHOR_KEY) ?? '' }) as HTMLInputElement;
  const comment = h('textarea', { id: 'silence-comment', required: true, rows: 3 }) as HTMLTextAreaElement;
  const errorBox = h('div', { className: 'error', role: 'alert', hidden: true });
  const previewEl = h('div', { id: 'silence-preview', 'aria-live': 'polite' });
  const warnEl = h('div', { className: 'warning', role: 'status', id: 'silence-warning', hidden: true });
  const submit = h('button', { type: 'submit', className: 'btn primary' }, editId ? 'Update' : 'Create');

  const form = h(
    'form',
    { className: 'silence-form', novalidate: true },
    h('fieldset', null, h('legend', null, 'Matchers'), rowsEl, h('button', { type: 'button', className: 'btn small', onclick: () => addRow({ name: '', op: '=', value: '' }, true) }, 'Add matcher')),
    h(
      'div',
      { className: 'grid3' },
      h('label', null, 'Start', startInput),
      h('label', null, 'Duration', durationInput),
      h('label', null, 'End', endInput),
    ),
    h('label', null, 'Author', author),
    h('label', null, 'Comment', comment),
    errorBox,
    h('div', { className: 'row' }, submit, h('a', { className: 'btn', href: '#/silences' }, 'Cancel')),
  );
  main.append(h('h1', null, editId ? 'Edit silence' : 'New silence'), form, h('h2', null, 'Preview: alerts this silence would mute'), warnEl, previewEl);

  function addRow(m: UiMatcher, focus = false) {
    const name = h('input', { type: 'text', className: 'm-name', 'aria-label': 'Label name', placeholder: 'label', value: m.name }) as HTMLInputElement;
    const op = h('select', { className: 'm-op', 'aria-label': 'Operator' }, OPS.map((o) => h('option', { value: o, selected: o === m.op }, o))) as HTMLSelectElement;
    const value = h('input', { type: 'text', className: 'm-value', 'aria-label': 'Value', placeholder: 'value', value: m.value }) as HTMLInputElement;
    const row: MatcherRow = { el: h('div', { className: 'matcher-row' }), name, op, value };
    const remove = h(
      'button',
      {
        type: 'button',
        className: 'btn small',
        'aria-label': 'Remove matcher',
        onclick: () => {
          rows.splice(rows.indexOf(row), 1);
          row.el.remove();
          schedulePreview();
        },
      },
      '×',
    );
    row.el.append(name, op, value, remove);
    for (const el of [name, op, value]) el.addEventListener('input', schedulePreview);
    rows.push(row);
    rowsEl.append(row.el);
    if (focus) name.focus();
  }

  function currentMatchers(): UiMatcher[] {
    return rows.map((r) => ({ name: r.name.value.trim(), op: r.op.value as Op, value: r.value.value })).filter((m) => m.name !== '' || m.value !== '');
  }

  function validate(ms: UiMatcher[]): string | null {
    if (ms.length === 0) return 'At least one matcher is required.';
    for (const m of ms) {
      if (m.name === '') return 'Every matcher needs a label name.';
      if (m.op === '=~' || m.op === '!~') {
        try {
          compileAnchored(m.value);
        } catch {
          return `Invalid regular expression for ${m.name}: ${m.value}`;
        }
      }
    }
    return null;
  }

  // --- times: start + duration <-> end
  function setTimes(start: Date, end: Date) {
    startInput.value = toLocalInput(start);
    endInput.value = toLocalInput(end);
    durationInput.value = formatDuration(end.getTime() - start.getTime());
  }
  startInput.addEventListener('change', () => {
    const d = fromLocalInput(startInput.value);
    if (!d) return;
    startIso = d.toISOString();
    const dur = parseDuration(durationInput.value);
    if (dur !== null) endInput.value = toLocalInput(new Date(d.getTime() + dur));
  });
  durationInput.addEventListener('input', () => {
    const dur = parseDuration(durationInput.value);
    durationInput.setCustomValidity(dur === null ? 'Use a duration such as 2h or 1d12h' : '');
    if (dur !== null) endInput.value = toLocalInput(new Date(new Date(startIso).getTime() + dur));
  });
  endInput.addEventListener('change', () => {
    const e = fromLocalInput(endInput.value);
    if (e) durationInput.value = formatDuration(e.getTime() - new Date(startIso).getTime());
  });

  function endDate(): Date | null {
    const dur = parseDuration(durationInput.value);
    if (dur !== null && document.activeElement !== endInput) return new Date(new Date(startIso).getTime() + dur);
    return fromLocalInput(endInput.value);
  }

  // --- preview
  function schedulePreview() {
    clearTimeout(previewTimer);
    previewTimer = window.setTimeout(preview, 250);
  }

  async function preview() {
    const ms = currentMatchers();
    const my = ++previewSeq;
    warnEl.hidden = true;
    const problem = validate(ms);
    if (problem) {
      clear(previewEl);
      previewEl.append(h('p', { className: 'muted' }, problem));
      previewEl.setAttribute('data-count', '');
      return;
    }
    try {
      const q = { filter: ms.map(formatMatcher), silenced: true, inhibited: true, muted: true };
      const [alerts, total] = await Promise.all([
        api.alerts(q),
        totalAlerts === null ? api.alerts({ filter: [], silenced: true, inhibited: true, muted: true }).then((a) => a.length) : Promise.resolve(totalAlerts),
      ]);
      totalAlerts = total;
      if (!alive || my !== previewSeq) return;
      clear(previewEl);
      previewEl.append(h('p', { className: 'preview-count' }, `${alerts.length} alert${alerts.length === 1 ? '' : 's'} would be muted.`), renderAlertTable(alerts, 100));
      previewEl.setAttribute('data-count', String(alerts.length));
      if (alerts.length > 0 && alerts.length >= total) {
        warnEl.textContent = `Warning: this silence would mute every current alert (${total}).`;
        warnEl.hidden = false;
      } else if (alerts.length > MANY) {
        warnEl.textContent = `Warning: this silence would mute ${alerts.length} alerts (more than ${MANY}).`;
        warnEl.hidden = false;
      }
    } catch (e) {
      if (!alive || my !== previewSeq) return;
      clear(previewEl);
      previewEl.append(h('p', { className: 'error' }, `Preview failed: ${e instanceof ApiError ? e.message : String(e)}`));
    }
  }

  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const ms = currentMatchers();
    const problem =
      validate(ms) ??
      (author.value.trim() === '' ? 'Author is required.' : null) ??
      (comment.value.trim() === '' ? 'Comment is required.' : null) ??
      (endDate() === null ? 'End time or duration is required.' : null);
    if (problem) {
      errorBox.textContent = problem;
      errorBox.hidden = false;
      return;
    }
    const body: PostableSilence = {
      matchers: ms.map(toApi),
      startsAt: startIso,
      endsAt: endDate()!.toISOString(),
      createdBy: author.value.trim(),
      comment: comment.value,
    };
    if (editId) body.id = editId;
    // the form does not edit annotations (master's silences have them, set by API clients such as amtool); an
    // update keeps the ones the silence has, as upstream's UI does, instead of dropping them
    if (editId && keptAnnotations && Object.keys(keptAnnotations).length > 0) body.annotations = keptAnnotations;
    submit.setAttribute('disabled', '');
    try {
      const res = await api.postSilence(body);
      localStorage.setItem(AUTHOR_KEY, body.createdBy);
      // the server's warnings (Tocsin: silences.warn_mute_share) show on the silence's page
      const warn = res.warnings && res.warnings.length > 0 ? `?${new URLSearchParams({ warning: res.warnings.join(' ') })}` : '';
      location.hash = `#/silences/${encodeURIComponent(res.silenceID)}${warn}`;
    } catch (err) {
      errorBox.textContent = `Could not save the silence: ${err instanceof ApiError ? err.message : String(err)}`;
      errorBox.hidden = false;
    } finally {
      submit.removeAttribute('disabled');
    }
  });

  /** the edited silence's annotations, sent back unchanged on update */
  let keptAnnotations: Silence['annotations'] | undefined;

  async function init() {
    if (editId) {
      try {
        const s = await api.silence(editId);
        if (!alive) return;
        for (const m of s.matchers) addRow(fromApi(m));
        startIso = s.status.state === 'pending' ? s.startsAt : s.startsAt;
        setTimes(new Date(s.startsAt), new Date(s.endsAt));
        author.value = s.createdBy;
        comment.value = s.comment;
        keptAnnotations = s.annotations;
      } catch (e) {
        errorBox.textContent = `Could not load silence ${editId}: ${e instanceof ApiError ? e.message : String(e)}`;
        errorBox.hidden = false;
      }
    } else {
      let initial: UiMatcher[] = [];
      try {
        initial = parseMatchers(ctx.params.get('filter') ?? '');
      } catch (e) {
        errorBox.textContent = `Ignored invalid matchers in the link: ${(e as MatcherParseError).message}`;
        errorBox.hidden = false;
      }
      if (initial.length === 0) initial = [{ name: '', op: '=', value: '' }];
      for (const m of initial) addRow(m);
      comment.value = ctx.params.get('comment') ?? '';
      const start = new Date(startIso);
      setTimes(start, new Date(start.getTime() + 2 * 3600e3));
    }
    main.setAttribute('data-state', 'ready');
    preview();
  }
  init();
  return () => {
    alive = false;
    clearTimeout(previewTimer);
  };
}
