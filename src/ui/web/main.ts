/**
 * @module ui/web/main
 * Entry point: layout, navigation and hash routing (#/alerts, #/silences, #/silences/new, #/silences/<id>,
 * #/silences/<id>/edit, #/silences/schedules, #/explain/<fingerprint>, #/history, #/notifications, #/routes, #/status). Each page is a function that renders into a
 * container and returns a cleanup function.
 */
import { clear, h } from './dom';
import type { Cleanup, PageContext } from './page';
import { alertsPage } from './pages/alerts';
import { explainPage } from './pages/explain';
import { historyPage } from './pages/history';
import { notificationsPage } from './pages/notifications';
import { routesPage } from './pages/routes';
import { silenceFormPage } from './pages/silence-form';
import { schedulesPage } from './pages/silence-schedules';
import { silencePage, silencesPage } from './pages/silences';
import { statusPage } from './pages/status';


const NAV: [string, string][] = [
  ['alerts', 'Alerts'],
  ['silences', 'Silences'],
  ['history', 'History'],
  ['notifications', 'Notifications'],
  ['routes', 'Routes'],
  ['status', 'Status'],
];

function parseHash(): { segs: string[]; params: URLSearchParams } {
  const raw = location.hash.replace(/^#\/?/, '');
  const q = raw.indexOf('?');
  const path = q >= 0 ? raw.slice(0, q) : raw;
  const params = new URLSearchParams(q >= 0 ? raw.slice(q + 1) : '');
  return { segs: path.split('/').filter((s) => s !== '').map(decodeURIComponent), params };
}

function start(): void {
  const root = document.getElementById('app')!;
  clear(root);
  const navLinks = new Map<string, HTMLElement>();
  const nav = h(
    'nav',
    { className: 'topnav', 'aria-label': 'Main' },
    h('a', { href: '#/alerts', className: 'brand' }, 'Tocsin'),
    h(
      'ul',
      null,
      NAV.map(([id, label]) => {
        const a = h('a', { href: `#/${id}` }, label);
        navLinks.set(id, a);
        return h('li', null, a);
      }),
    ),
    h('a', { href: '#/silences/new', className: 'btn primary new-silence' }, 'New silence'),
  );
  const main = h('main', { id: 'main', tabindex: '-1' });
  root.append(nav, main);

  let cleanup: Cleanup | null = null;
  const route = () => {
    const { segs, params } = parseHash();
    if (segs.length === 0) {
      location.replace('#/alerts');
      return;
    }
    cleanup?.();
    cleanup = null;
    clear(main);
    main.removeAttribute('data-state');
    const page = segs[0]!;
    for (const [id, a] of navLinks) {
      if (id === page) a.setAttribute('aria-current', 'page');
      else a.removeAttribute('aria-current');
    }
    const ctx: PageContext = { params, rest: segs.slice(1) };
    if (page === 'alerts') cleanup = alertsPage(main, ctx);
    else if (page === 'silences' && segs[1] === 'new') cleanup = silenceFormPage(main, ctx, null);
    else if (page === 'silences' && segs[1] === 'schedules') cleanup = schedulesPage(main, ctx);
    else if (page === 'silences' && segs[1] && segs[2] === 'edit') cleanup = silenceFormPage(main, ctx, segs[1]);
    else if (page === 'silences' && segs[1]) cleanup = silencePage(main, ctx, segs[1]);
    else if (page === 'silences') cleanup = silencesPage(main, ctx);
    else if (page === 'explain' && segs[1]) cleanup = explainPage(main, ctx, segs[1]);
    else if (page === 'history') cleanup = historyPage(main, ctx);
    else if (page === 'notifications') cleanup = notificationsPage(main, ctx);
    else if (page === 'routes') cleanup = routesPage(main, ctx);
    else if (page === 'status') cleanup = statusPage(main, ctx);
    else main.append(h('h1', null, 'Not found'), h('p', null, h('a', { href: '#/alerts' }, 'Go to alerts')));
  };
  window.addEventListener('hashchange', route);
  // "/" focuses the filter on pages that have one (keyboard use)
  document.addEventListener('keydown', (e) => {
    const t = e.target as HTMLElement | null;
    if (e.key === '/' && !e.ctrlKey && !e.metaKey && t && !/^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName)) {
      const f = document.querySelector<HTMLInputElement>('[data-filter-input]');
      if (f) {
        e.preventDefault();
        f.focus();
      }
    }
  });
  route();
}

start();
