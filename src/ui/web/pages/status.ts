/**
 * @module ui/web/pages/status
 * Version, uptime, cluster, config as loaded (secrets hidden) and whatever else /api/v2/status reports (Tocsin
 * extensions such as the last reload result or storage size are shown when present).
 */
import { ApiError, type Status, api } from '../api';
import { type Child, clear, h } from '../dom';
import type { Cleanup, PageContext } from '../page';
import { since, timeEl } from '../time';

const SECRET_KEYS =
  /^(\s*-?\s*)(password|api_key|service_key|routing_key|token|bot_token|auth_token|auth_password|auth_secret|secret|client_secret|webhook_url|api_secret|user_key|credentials|app_token)(\s*:\s*)(?!<secret>|''|""|\s*$)(.+)$/gim;

/** Defence in depth: the server hides secrets; the UI also masks values of well-known secret keys. */
export function maskSecrets(yaml: string): string {
  return yaml.replace(SECRET_KEYS, (_m, pre: string, key: string, sep: string) => `${pre}${key}${sep}<secret>`);
}

function kv(pairs: [string, Child][]): HTMLElement {
  return h('dl', { className: 'kv' }, pairs.map(([k, v]) => [h('dt', null, k), h('dd', null, v ?? '—')]));
}

const KNOWN = new Set(['cluster', 'versionInfo', 'config', 'uptime']);

function humanBytes(n: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let i = 0;
  let v = n;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${i === 0 ? v : v.toFixed(1)} ${units[i]}`;
}

/** Renders extension fields generically: timestamps as times, byte counts humanised, objects as nested lists. */
function renderValue(v: unknown, key = '', depth = 0): Child {
  if (v === null || v === undefined) return '—';
  if (typeof v === 'string' && /^\d{4}-\d\d-\d\dT/.test(v)) return timeEl(v);
  if (typeof v === 'number' && /bytes|size/i.test(key)) return `${humanBytes(v)} (${v} bytes)`;
  if (typeof v === 'boolean') return v ? 'yes' : 'no';
  if (Array.isArray(v)) return h('pre', { className: 'json' }, JSON.stringify(v, null, 2));
  if (typeof v === 'object' && depth < 3) return kv(Object.entries(v as Record<string, unknown>).map(([k, x]) => [k, renderValue(x, k, depth + 1)]));
  if (typeof v === 'object') return h('pre', { className: 'json' }, JSON.stringify(v, null, 2));
  return String(v);
}

export function statusPage(main: HTMLElement, _ctx: PageContext): Cleanup {
  const body = h('div', null, h('p', { className: 'muted' }, 'Loading…'));
  main.append(h('h1', null, 'Status'), body);
  api
    .status()
    .then((st: Status) => {
      clear(body);
      const v = st.versionInfo ?? {};
      body.append(
        h(
          'section',
          { className: 'card' },
          h('h2', null, 'Runtime'),
          kv([
            ['Uptime', st.uptime ? [timeEl(st.uptime), ` (up ${since(st.uptime).replace(' ago', '')})`] : '—'],
            ['Cluster', st.cluster ? `${st.cluster.status}${st.cluster.name ? ` (${st.cluster.name})` : ''}` : '—'],
            ['Peers', st.cluster?.peers?.length ? st.cluster.peers.map((p) => h('div', null, `${p.name} ${p.address}`)) : 'none'],
          ]),
        ),
        h(
          'section',
          { className: 'card' },
          h('h2', null, 'Version'),
          kv(['version', 'revision', 'branch', 'buildUser', 'buildDate', 'goVersion'].filter((k) => v[k] !== undefined).map((k) => [k, v[k]!] as [string, Child])),
        ),
      );
      const cfgExtra = Object.entries(st.config ?? {}).filter(([k]) => k !== 'original');
      const extra = Object.entries(st).filter(([k]) => !KNOWN.has(k));
      body.append(
        h(
          'section',
          { className: 'card', id: 'status-extra' },
          h('h2', null, 'Reload and storage'),
          extra.length || cfgExtra.length
            ? kv([...cfgExtra, ...extra].map(([k, val]) => [k, renderValue(val, k)]))
            : h('p', { className: 'muted' }, 'Last reload result and storage size: not available from this server.'),
        ),
        h('section', { className: 'card' }, h('h2', null, 'Config (as loaded, secrets hidden)'), h('pre', { className: 'config', id: 'config-yaml', tabindex: '0' }, maskSecrets(st.config?.original ?? ''))),
      );
      main.setAttribute('data-state', 'ready');
    })
    .catch((e) => {
      clear(body);
      body.append(h('p', { className: 'error', role: 'alert' }, `Could not load status: ${e instanceof ApiError ? e.message : String(e)}`));
    });
  return () => {};
}
