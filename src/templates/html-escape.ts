/**
 * Contextual auto-escaping in the manner of Go's html/template, for the contexts alert templates use:
 * element text, RCDATA (title/textarea), quoted and unquoted attribute values, URL attributes (scheme
 * filter -> #ZgotmplZ, normalisation, query escaping), plus basic JS and CSS attribute handling.
 * The context is tracked over the literal template text as it is written (values never change it),
 * and HTML comments in template text are removed as html/template does.
 * Limits (README "templates: HTML"): JavaScript and CSS are not parsed: inside <script> and on* attributes a value
 * is always written as a whole JS value (quoted string, number, null), also inside a JS string literal where Go would
 * write an unquoted escaped body (the result is broken JS, never an injection); CSS values are filtered, not parsed.
 */
import { sprint } from './fmt';
import type { OutputEscaper } from './exec';
import { isNil, SafeHTML, SafeURL } from './values';

type State = 'text' | 'rcdata' | 'raw' | 'tagName' | 'tag' | 'attrName' | 'afterName' | 'beforeValue' | 'attr' | 'comment';
type AttrType = 'normal' | 'url' | 'js' | 'css';

const URL_ATTRS = new Set([
  'action',
  'archive',
  'background',
  'cite',
  'classid',
  'codebase',
  'data',
  'formaction',
  'href',
  'icon',
  'longdesc',
  'manifest',
  'poster',
  'profile',
  'src',
  'usemap',
  'xmlns',
]);

function attrType(name: string): AttrType {
  let n = name.toLowerCase();
  if (n.startsWith('data-')) n = n.slice(5);
  else if (n.includes(':')) {
    if (n.startsWith('xmlns')) return 'url';
    n = n.slice(n.indexOf(':') + 1);
  }
  if (n.startsWith('on')) return 'js';
  if (n === 'style') return 'css';
  if (URL_ATTRS.has(n)) return 'url';
  if (n.includes('src') || n.includes('uri') || n.includes('url')) return 'url';
  return 'normal';
}

const HTML_TABLE: Record<string, string> = {
  '\0': '\uFFFD',
  '"': '&#34;',
  '&': '&amp;',
  "'": '&#39;',
  '+': '&#43;',
  '<': '&lt;',
  '>': '&gt;',
};
const NOSPACE_EXTRA: Record<string, string> = {
  '\t': '&#9;',
  '\n': '&#10;',
  '\v': '&#11;',
  '\f': '&#12;',
  '\r': '&#13;',
  ' ': '&#32;',
  '=': '&#61;',
  '`': '&#96;',
};

function htmlReplace(s: string, norm: boolean): string {
  return s.replace(/[\0"&'+<>]/g, (c) => (norm && c === '&' ? c : HTML_TABLE[c]!));
}

function htmlNospace(s: string, norm: boolean): string {
  return s.replace(/[\0"&'+<>\t\n\v\f\r =`]/g, (c) => (norm && c === '&' ? c : (HTML_TABLE[c] ?? NOSPACE_EXTRA[c]!)));
}

function stripTags(s: string): string {
  return s.replace(/<[^>]*>?/g, '');
}

/** urlProcessor: norm keeps reserved characters and existing %XX escapes. */
export function urlProcess(s: string, norm: boolean): string {
  const bytes = Buffer.from(s, 'utf8');
  let out = '';
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i]!;
    const c = String.fromCharCode(b);
    if (norm && '!#$&*+,/:;=?@[]'.includes(c)) {
      out += c;
      continue;
    }
    if ('-._~'.includes(c) || /[A-Za-z0-9]/.test(c)) {
      out += c;
      continue;
    }
    if (c === '%' && norm && i + 2 < bytes.length && isHex(bytes[i + 1]!) && isHex(bytes[i + 2]!)) {
      out += c;
      continue;
    }
    out += '%' + b.toString(16).padStart(2, '0');
  }
  return out;
}

function isHex(b: number): boolean {
  return (b >= 48 && b <= 57) || (b >= 65 && b <= 70) || (b >= 97 && b <= 102);
}

function urlFilter(s: string): string {
  const colon = s.indexOf(':');
  if (colon >= 0 && !s.slice(0, colon).includes('/')) {
    const scheme = s.slice(0, colon).toLowerCase();
    if (scheme !== 'http' && scheme !== 'https' && scheme !== 'mailto') return '#ZgotmplZ';
  }
  return s;
}

function jsValue(v: unknown): string {
  if (isNil(v)) return ' null ';
  if (typeof v === 'string') {
    return (
      '"' +
      v.replace(/[\\"'<>&=\u2028\u2029\0-\x1f+`]/g, (c) => '\\u' + c.charCodeAt(0).toString(16).padStart(4, '0')) +
      '"'
    );
  }
  if (typeof v === 'number' || typeof v === 'boolean') return ' ' + String(v) + ' ';
  return JSON.stringify(sprint([v]));
}

/** One render's escaping state. */
export class HtmlEscaper implements OutputEscaper {
  private state: State = 'text';
  private tagName = '';
  private closing = false;
  private attrName = '';
  private delim = '"';
  private urlPart: 'none' | 'pre' | 'query' = 'none';
  private rawEnd = '';

  /** @param cache shared memo of (context, text) -> (output, context after); the machine is deterministic */
  constructor(private readonly cache?: Map<string, Map<string, { out: string; end: string }>>) {}

  private snapshot(): string {
    return `${this.state}|${this.tagName}|${this.closing ? 1 : 0}|${this.attrName}|${this.delim}|${this.urlPart}|${this.rawEnd}`;
  }

  private restore(snap: string): void {
    const [state, tagName, closing, attrName, delim, urlPart, rawEnd] = snap.split('|') as [string, string, string, string, string, string, string];
    this.state = state as State;
    this.tagName = tagName;
    this.closing = closing === '1';
    this.attrName = attrName;
    this.delim = delim;
    this.urlPart = urlPart as 'none' | 'pre' | 'query';
    this.rawEnd = rawEnd;
  }

  text(s: string): string {
    if (!this.cache) return this.scan(s);
    const snap = this.snapshot();
    let byState = this.cache.get(s);
    const hit = byState?.get(snap);
    if (hit) {
      this.restore(hit.end);
      return hit.out;
    }
    const out = this.scan(s);
    if (!byState) {
      if (this.cache.size > 5000) this.cache.clear();
      byState = new Map();
      this.cache.set(s, byState);
    }
    byState.set(snap, { out, end: this.snapshot() });
    return out;
  }

  private scan(s: string): string {
    let out = '';
    for (let i = 0; i < s.length; i++) {
      const c = s[i]!;
      switch (this.state) {
        case 'text': {
          if (c !== '<') {
            // fast path: copy up to the next '<'
            const next = s.indexOf('<', i);
            const end = next < 0 ? s.length : next;
            out += s.slice(i, end);
            i = end - 1;
            continue;
          }
          if (s.startsWith('<!--', i)) {
            this.state = 'comment';
            i += 3;
            continue;
          }
          if (c === '<' && /[A-Za-z/]/.test(s[i + 1] ?? '')) {
            this.state = 'tagName';
            this.tagName = '';
            this.closing = s[i + 1] === '/';
            out += c;
            if (this.closing) {
              out += '/';
              i++;
            }
            continue;
          }
          // a '<' that starts no tag is normalised to &lt; as html/template does
          out += s[i + 1] !== '!' ? '&lt;' : c;
          continue;
        }
        case 'comment':
          if (s.startsWith('-->', i)) {
            this.state = 'text';
            i += 2;
          }
          continue;
        case 'rcdata':
        case 'raw':
          if (c === '<' && s.slice(i, i + 2 + this.rawEnd.length).toLowerCase() === `</${this.rawEnd}`) {
            this.state = 'tagName';
            this.closing = true;
            this.tagName = '';
            out += '</';
            i++;
            continue;
          }
          out += c;
          continue;
        case 'tagName':
          out += c;
          if (/[A-Za-z0-9]/.test(c)) {
            this.tagName += c.toLowerCase();
            continue;
          }
          this.state = 'tag';
          i--;
          out = out.slice(0, -1);
          continue;
        case 'tag':
          out += c;
          if (c === '>') this.endTag();
          else if (!/[\s/]/.test(c)) {
            this.state = 'attrName';
            this.attrName = c;
          }
          continue;
        case 'attrName':
          out += c;
          if (c === '=') this.state = 'beforeValue';
          else if (c === '>') this.endTag();
          else if (/\s/.test(c)) this.state = 'afterName';
          else this.attrName += c;
          continue;
        case 'afterName':
          out += c;
          if (c === '=') this.state = 'beforeValue';
          else if (c === '>') this.endTag();
          else if (!/\s/.test(c)) {
            this.state = 'attrName';
            this.attrName = c;
          }
          continue;
        case 'beforeValue':
          out += c;
          if (/\s/.test(c)) continue;
          this.urlPart = 'none';
          this.state = 'attr';
          if (c === '"' || c === "'") this.delim = c;
          else if (c === '>') this.endTag();
          else {
            this.delim = ' ';
            this.advanceUrl(c);
          }
          continue;
        case 'attr':
          if (this.delim !== ' ' && c !== this.delim && attrType(this.attrName) !== 'url') {
            // fast path: copy the rest of a quoted non-URL attribute value
            const next = s.indexOf(this.delim, i);
            const end = next < 0 ? s.length : next;
            out += s.slice(i, end);
            i = end - 1;
            continue;
          }
          out += c;
          if ((this.delim === ' ' && /\s/.test(c)) || c === this.delim) this.state = 'tag';
          else if (this.delim === ' ' && c === '>') this.endTag();
          else this.advanceUrl(c);
          continue;
      }
    }
    return out;
  }

  private advanceUrl(c: string): void {
    if (c === '?' || c === '#') this.urlPart = 'query';
    else if (this.urlPart === 'none') this.urlPart = 'pre';
  }

  private endTag(): void {
    const name = this.tagName;
    if (!this.closing && (name === 'script' || name === 'style')) {
      this.state = 'raw';
      this.rawEnd = name;
    } else if (!this.closing && (name === 'title' || name === 'textarea')) {
      this.state = 'rcdata';
      this.rawEnd = name;
    } else this.state = 'text';
  }

  /**
   * Go's description of the current context (html/template context.String()), e.g.
   * `{stateURL delimDoubleQuote urlPartPreQuery jsCtxRegexp attrURL elementNone <nil>}`, or undefined in text.
   * JS and CSS are not parsed, so inside them the state is stateJS / stateCSS and jsCtx always jsCtxRegexp.
   */
  nonTextContext(): string | undefined {
    if (this.state === 'text') return undefined;
    const inTag = this.state !== 'comment' && this.state !== 'rcdata' && this.state !== 'raw';
    const elementName = inTag ? (this.closing ? '' : this.tagName) : this.state === 'comment' ? '' : this.rawEnd;
    const element = ELEMENTS[elementName] ?? 'elementNone';
    const type = attrType(this.attrName);
    const hasAttr = this.state === 'attrName' || this.state === 'afterName' || this.state === 'beforeValue' || this.state === 'attr';
    const attr = hasAttr ? GO_ATTR[type] : 'attrNone';
    let state: string;
    let delim = 'delimNone';
    let urlPart = 'urlPartNone';
    switch (this.state) {
      case 'tagName':
      case 'tag':
        state = 'stateTag';
        break;
      case 'attrName':
        state = 'stateAttrName';
        break;
      case 'afterName':
        state = 'stateAfterName';
        break;
      case 'beforeValue':
        state = 'stateBeforeValue';
        break;
      case 'comment':
        state = 'stateHTMLCmt';
        break;
      case 'rcdata':
        state = 'stateRCDATA';
        break;
      case 'raw':
        state = this.rawEnd === 'script' ? 'stateJS' : 'stateCSS';
        break;
      case 'attr':
        state = ATTR_STATE[type];
        delim = this.delim === '"' ? 'delimDoubleQuote' : this.delim === "'" ? 'delimSingleQuote' : 'delimSpaceOrTagEnd';
        if (type === 'url') urlPart = this.urlPart === 'pre' ? 'urlPartPreQuery' : this.urlPart === 'query' ? 'urlPartQueryOrFrag' : 'urlPartNone';
        break;
    }
    return `{${state} ${delim} ${urlPart} jsCtxRegexp ${attr} ${element} <nil>}`;
  }

  /**
   * The context change an action causes before its value is written (html/template nudge): in `<a {{.}}` and
   * `<a b {{.}}` the value is an attribute name, in `<a b={{.}}` an unquoted attribute value.
   */
  private nudge(): void {
    if (this.state === 'tag' || this.state === 'afterName') {
      this.state = 'attrName';
      this.attrName = '';
    } else if (this.state === 'beforeValue') {
      this.state = 'attr';
      this.delim = ' ';
      this.urlPart = 'none';
    }
  }

  value(v: unknown, predefined?: 'html' | 'urlquery'): string {
    if (this.state === 'comment') return '';
    this.nudge();
    if (isNil(v)) v = '';
    const safeHtml = v instanceof SafeHTML;
    const safeUrl = v instanceof SafeURL;
    const s = typeof v === 'string' ? v : v instanceof SafeHTML || v instanceof SafeURL ? v.s : sprint([v]);
    switch (this.state) {
      case 'text':
        return safeHtml || predefined === 'html' ? s : htmlReplace(s, false);
      case 'rcdata':
        return predefined === 'html' ? s : htmlReplace(s, safeHtml);
      case 'raw':
        return this.rawEnd === 'script' ? jsValue(v) : cssFilter(s);
      case 'attr': {
        const t = attrType(this.attrName);
        const esc = (x: string, fromHtml: boolean): string =>
          this.delim === ' ' ? htmlNospace(fromHtml ? stripTags(x) : x, fromHtml) : htmlReplace(fromHtml ? stripTags(x) : x, fromHtml);
        if (predefined === 'html') return s;
        if (t === 'url') {
          let r: string;
          if (predefined === 'urlquery') {
            r = this.urlPart === 'none' ? urlFilter(s) : s;
            this.urlPart = this.urlPart === 'none' ? 'pre' : this.urlPart;
            return esc(r, false);
          }
          if (this.urlPart === 'none') {
            r = urlProcess(safeUrl ? s : urlFilter(s), true);
            this.urlPart = 'pre';
          } else if (this.urlPart === 'pre') r = urlProcess(s, true);
          else r = urlProcess(s, safeUrl);
          return esc(r, false);
        }
        if (t === 'js') return esc(jsValue(v), false);
        if (t === 'css') return esc(cssFilter(s), false);
        return esc(s, safeHtml);
      }
      case 'attrName':
      case 'tagName':
        // htmlNameFilter: a plain attribute name only (not one whose value would be a URL, JS or CSS)
        return /^[A-Za-z0-9-]+$/.test(s) && attrType(s) === 'normal' ? s.toLowerCase() : 'ZgotmplZ';
      default:
        return htmlReplace(s, false);
    }
  }
}

const ELEMENTS: Record<string, string> = { script: 'elementScript', style: 'elementStyle', textarea: 'elementTextarea', title: 'elementTitle' };
const GO_ATTR: Record<AttrType, string> = { normal: 'attrNone', url: 'attrURL', js: 'attrScript', css: 'attrStyle' };
const ATTR_STATE: Record<AttrType, string> = { normal: 'stateAttr', url: 'stateURL', js: 'stateJS', css: 'stateCSS' };

function cssFilter(s: string): string {
  return /^[\w\s#.,%+-]*$/.test(s) && !/expression|url/i.test(s) ? s : 'ZgotmplZ';
}
