/**
 * @module ui/web/dom
 * Tiny DOM builder. Text is only ever set through text nodes and attributes through setAttribute, so data from
 * labels/annotations can never become markup. URLs go through safeUrl (http, https, mailto or relative only).
 */

export type Child = Node | string | number | null | undefined | false | Child[];
export type Attrs = Record<string, string | number | boolean | null | undefined | EventListener>;

export function h(tag: string, attrs?: Attrs | null, ...children: Child[]): HTMLElement {
  const el = document.createElement(tag);
  if (attrs) {
    for (const [k, v] of Object.entries(attrs)) {
      if (v === null || v === undefined || v === false) continue;
      if (k.startsWith('on') && typeof v === 'function') {
        el.addEventListener(k.slice(2).toLowerCase(), v);
      } else if (k === 'href' || k === 'src') {
        const safe = safeUrl(String(v));
        if (safe !== null) el.setAttribute(k, safe);
      } else if (k === 'className') {
        el.className = String(v);
      } else if (v === true) {
        el.setAttribute(k, '');
      } else {
        el.setAttribute(k, String(v));
      }
    }
  }
  append(el, children);
  return el;
}

export function append(el: Node, children: Child[]): void {
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    if (Array.isArray(c)) append(el, c);
    else if (typeof c === 'string' || typeof c === 'number') el.appendChild(document.createTextNode(String(c)));
    else el.appendChild(c);
  }
}

export function clear(el: Node): void {
  while (el.firstChild) el.removeChild(el.firstChild);
}

/** Returns the URL if it is http(s), mailto or a same-origin relative reference (#..., /..., ?...), else null. */
export function safeUrl(raw: string): string | null {
  const s = raw.trim();
  if (s === '') return null;
  if (s.startsWith('#') || s.startsWith('?') || (s.startsWith('/') && !s.startsWith('//'))) return s;
  try {
    const u = new URL(s);
    if (u.protocol === 'http:' || u.protocol === 'https:' || u.protocol === 'mailto:') return u.href;
  } catch {
    return null;
  }
  return null;
}

const URL_RE = /\bhttps?:\/\/[^\s<>"']+/g;

/** Renders text with http(s) URLs turned into links; everything else stays text. */
export function linkify(text: string): Node {
  const frag = document.createDocumentFragment();
  let last = 0;
  for (const m of text.matchAll(URL_RE)) {
    const idx = m.index ?? 0;
    let url = m[0];
    // trailing punctuation is usually not part of the link
    const trail = /[.,;:!?)\]]+$/.exec(url);
    if (trail) url = url.slice(0, -trail[0].length);
    if (idx > last) frag.appendChild(document.createTextNode(text.slice(last, idx)));
    const safe = safeUrl(url);
    if (safe) frag.appendChild(h('a', { href: safe, target: '_blank', rel: 'noopener noreferrer' }, url));
    else frag.appendChild(document.createTextNode(url));
    last = idx + url.length;
  }
  if (last < text.length) frag.appendChild(document.createTextNode(text.slice(last)));
  return frag;
}

/** Modal confirmation with the native <dialog> (keyboard: Esc cancels, focus starts on Cancel). */
export function confirmDialog(message: string, okLabel: string): Promise<boolean> {
  return new Promise((resolve) => {
    const cancel = h('button', { type: 'button', className: 'btn' }, 'Cancel');
    const ok = h('button', { type: 'button', className: 'btn danger', 'data-testid': 'confirm-ok' }, okLabel);
    const dlg = h('dialog', { className: 'confirm', 'aria-label': message }, h('p', null, message), h('div', { className: 'row' }, cancel, ok)) as HTMLDialogElement;
    const finish = openModal(dlg, resolve);
    cancel.addEventListener('click', () => finish(false));
    ok.addEventListener('click', () => finish(true));
    cancel.focus();
  });
}

/**
 * Shows `dlg` modally. The returned function closes and removes it, once, passing its value to `done`; closing it
 * otherwise (Esc) passes false.
 */
export function openModal(dlg: HTMLDialogElement, done: (v: boolean) => void): (v: boolean) => void {
  let closed = false;
  const finish = (v: boolean) => {
    if (closed) return;
    closed = true;
    dlg.close();
    dlg.remove();
    done(v);
  };
  dlg.addEventListener('close', () => finish(false));
  document.body.appendChild(dlg);
  dlg.showModal();
  return finish;
}
