/**
 * @module ui/web/pages/routes
 * The routing tree of the loaded config (config.original parsed in the browser), with a label tester that
 * highlights the routes an alert with those labels would take.
 */
import { ApiError, api } from '../api';
import { clear, h } from '../dom';
import type { Cleanup, PageContext } from '../page';
import { type LabelSet, formatMatcher, parseMatchers } from '../matchers';
import { type RouteNode, matchRoutes, parseConfig } from '../routing';

export function routeSummary(n: RouteNode): HTMLElement {
  return h(
    'div',
    { className: 'route-node-body' },
    h(
      'div',
      { className: 'labels' },
      n.depth === 0 ? h('span', { className: 'pill root' }, 'root') : n.matchers.map((m) => h('span', { className: 'pill' }, formatMatcher(m))),
      n.continue ? h('span', { className: 'badge' }, 'continue') : null,
    ),
    h(
      'div',
      { className: 'meta' },
      'receiver ',
      h('strong', null, n.receiver),
      ' · group_by ',
      h('code', null, n.groupBy === 'all' ? '[...]' : `[${n.groupBy.join(', ')}]`),
      ` · wait ${n.groupWait} · interval ${n.groupInterval} · repeat ${n.repeatInterval}`,
      n.muteTimeIntervals.length ? ` · muted during ${n.muteTimeIntervals.join(', ')}` : '',
      n.activeTimeIntervals.length ? ` · active during ${n.activeTimeIntervals.join(', ')}` : '',
    ),
  );
}

export function routesPage(main: HTMLElement, ctx: PageContext): Cleanup {
  const input = h('input', {
    type: 'search',
    'data-filter-input': true,
    className: 'filter-input',
    placeholder: 'Test labels: alertname="X", team="db"',
    'aria-label': 'Labels to test against the routing tree',
    value: ctx.params.get('labels') ?? '',
  }) as HTMLInputElement;
  const result = h('p', { className: 'muted', 'aria-live': 'polite' });
  const treeEl = h('div', { className: 'route-tree', id: 'route-tree' });
  const errorBox = h('div', { className: 'error', role: 'alert', hidden: true });
  main.append(h('h1', null, 'Routing tree'), h('form', { className: 'filter-bar', role: 'search' }, input, result), errorBox, treeEl);
  let root: RouteNode | null = null;
  const nodeEls = new Map<RouteNode, HTMLElement>();

  function renderNode(n: RouteNode): HTMLElement {
    const li = h('li', { className: 'route-node', 'data-route-id': n.id }, routeSummary(n), n.children.length ? h('ul', null, n.children.map(renderNode)) : null);
    nodeEls.set(n, li);
    return li;
  }

  function test() {
    if (!root) return;
    for (const el of nodeEls.values()) el.classList.remove('matched');
    const text = input.value.trim();
    if (text === '') {
      result.textContent = 'Enter labels to see which routes match.';
      return;
    }
    try {
      const ls: LabelSet = {};
      for (const m of parseMatchers(text)) ls[m.name] = m.value;
      const hits = matchRoutes(root, ls);
      for (const n of hits) nodeEls.get(n)?.classList.add('matched');
      result.textContent = `Matches ${hits.length} route${hits.length === 1 ? '' : 's'}: ${hits.map((n) => n.receiver).join(', ')}`;
    } catch (e) {
      result.textContent = `Invalid labels: ${(e as Error).message}`;
    }
  }
  input.addEventListener('input', test);

  api
    .status()
    .then((st) => {
      const cfg = parseConfig(st.config?.original ?? '');
      root = cfg.root;
      clear(treeEl);
      if (!root) treeEl.append(h('p', { className: 'muted' }, 'The config has no route.'));
      else treeEl.append(h('ul', null, renderNode(root)));
      test();
      main.setAttribute('data-state', 'ready');
    })
    .catch((e) => {
      errorBox.hidden = false;
      errorBox.textContent = `Could not load the routing tree: ${e instanceof ApiError ? e.message : String(e)}`;
    });
  return () => {};
}
