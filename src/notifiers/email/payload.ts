/**
 * @module notifiers/email/payload
 * The email message as upstream writes it (notify/email/email.go), built by pure functions: one header line per
 * configured header with a Q-encoded value (Go mime.QEncoding), Message-Id unless configured, optional thread
 * headers, Date (RFC1123Z), `Content-Type: multipart/alternative;  boundary=<b>` (two spaces, as upstream),
 * MIME-Version, then a text part (if any) and an HTML part (if any), both quoted-printable (Go
 * mime/quotedprintable) in Go multipart framing.
 */
import { createHash } from 'node:crypto';

/** Go mime.QEncoding.Encode("utf-8", s): unchanged when nothing needs encoding, else =?utf-8?q?..?= words (<= 75 chars). */
export function qEncode(s: string): string {
  const buf = Buffer.from(s, 'utf8');
  if (!buf.some((b) => (b < 0x20 || b > 0x7e) && b !== 0x09)) return s;
  const words: string[] = [];
  const open = '=?utf-8?q?';
  const overhead = 'utf-8'.length + 7;
  let cur = '';
  let curLen = overhead;
  for (const cp of s) {
    let enc = '';
    for (const b of Buffer.from(cp, 'utf8')) {
      if (b === 0x20) enc += '_';
      else if (b > 0x20 && b <= 0x7e && b !== 0x3d && b !== 0x3f && b !== 0x5f) enc += String.fromCharCode(b);
      else enc += `=${b.toString(16).toUpperCase().padStart(2, '0')}`;
    }
    if (curLen + enc.length > 75) {
      words.push(`${open}${cur}?=`);
      cur = '';
      curLen = overhead;
    }
    cur += enc;
    curLen += enc.length;
  }
  words.push(`${open}${cur}?=`);
  return words.join(' ');
}

const LINE_MAX = 76;
const HEX = '0123456789ABCDEF';

/** Go mime/quotedprintable.Writer (text mode): CRLF line breaks, soft breaks at 76, trailing whitespace encoded. */
export function quotedPrintable(text: string): string {
  const out: string[] = [];
  let line: number[] = [];
  let cr = false;
  const flush = () => {
    out.push(Buffer.from(line).toString('latin1'));
    line = [];
  };
  const crlf = () => {
    line.push(13, 10);
    flush();
  };
  const soft = () => {
    line.push(61);
    crlf();
  };
  const encode = (b: number) => {
    if (LINE_MAX - 1 - line.length < 3) soft();
    line.push(61, HEX.charCodeAt(b >> 4), HEX.charCodeAt(b & 15));
  };
  const checkLast = () => {
    const last = line[line.length - 1];
    if (last === 0x20 || last === 0x09) {
      line.pop();
      encode(last);
    }
  };
  const literal = (b: number) => {
    if (line.length === LINE_MAX - 1) soft();
    line.push(b);
    cr = false;
  };
  for (const b of Buffer.from(text, 'utf8')) {
    if (b === 10 || b === 13) {
      if (cr && b === 10) {
        cr = false;
        continue;
      }
      if (b === 13) cr = true;
      checkLast();
      crlf();
      continue;
    }
    if ((b >= 0x21 && b <= 0x7e && b !== 0x3d) || b === 0x20 || b === 0x09) literal(b);
    else {
      encode(b);
      cr = false;
    }
  }
  checkLast();
  flush();
  return out.join('');
}

/** Go time.RFC1123Z in UTC: `Mon, 02 Jan 2006 15:04:05 +0000`. */
export function rfc1123z(ms: number): string {
  const d = new Date(ms);
  const days = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
  const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  const p = (n: number) => String(n).padStart(2, '0');
  return `${days[d.getUTCDay()]}, ${p(d.getUTCDate())} ${months[d.getUTCMonth()]} ${d.getUTCFullYear()} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())} +0000`;
}

export interface EmailMessageInput {
  /** rendered header values by canonical name (defaults To/From/Subject already added) */
  headers: Readonly<Record<string, string>>;
  /** rendered text part ("" = none) */
  text: string;
  /** rendered HTML part ("" = none) */
  html: string;
  /** epoch ms for Date (and the thread date) */
  now: number;
  /** Go multipart boundary (60 hex chars upstream) */
  boundary: string;
  /** used when no Message-Id header is configured */
  messageId: string;
  /** threading: the group key and whether to thread by day */
  threading?: { groupKey: string; byDate: boolean };
}

/** The complete RFC 5322 message (CRLF line ends), as upstream writes it into DATA. */
export function buildEmailMessage(i: EmailMessageInput): string {
  let head = '';
  // upstream iterates a Go map (random order); we write headers sorted by name for reproducible output
  for (const name of Object.keys(i.headers).sort()) head += `${name}: ${qEncode(i.headers[name]!)}\r\n`;
  if (!('Message-Id' in i.headers)) head += `Message-Id: ${i.messageId}\r\n`;
  if (i.threading) {
    const hash = createHash('sha256').update(i.threading.groupKey, 'utf8').digest('hex').slice(0, 16);
    const day = i.threading.byDate ? new Date(i.now).toISOString().slice(0, 10) : '';
    const root = `<alert-${hash}-${day}@alertmanager>`;
    head += `References: ${root}\r\nIn-Reply-To: ${root}\r\n`;
  }
  head += `Date: ${rfc1123z(i.now)}\r\n`;
  head += `Content-Type: multipart/alternative;  boundary=${i.boundary}\r\n`;
  head += 'MIME-Version: 1.0\r\n\r\n';
  let body = '';
  let first = true;
  const part = (type: string, content: string) => {
    body += first ? `--${i.boundary}\r\n` : `\r\n--${i.boundary}\r\n`;
    first = false;
    body += `Content-Transfer-Encoding: quoted-printable\r\nContent-Type: ${type}; charset=UTF-8\r\n\r\n${quotedPrintable(content)}`;
  };
  if (i.text) part('text/plain', i.text);
  if (i.html) part('text/html', i.html);
  body += first ? `--${i.boundary}--\r\n` : `\r\n--${i.boundary}--\r\n`;
  return head + body;
}

export interface ParsedAddress {
  name: string;
  address: string;
}

/**
 * A small RFC 5322 address-list parser (the cases Go's mail.ParseAddressList accepts in practice:
 * `a@b`, `Name <a@b>`, `"Quoted, Name" <a@b>`, comma separated). Throws on an entry without a valid address.
 */
export function parseAddressList(s: string): ParsedAddress[] {
  const parts: string[] = [];
  let cur = '';
  let quoted = false;
  let angle = 0;
  for (const ch of s) {
    if (ch === '"' && angle === 0) quoted = !quoted;
    else if (!quoted && ch === '<') angle++;
    else if (!quoted && ch === '>') angle--;
    if (ch === ',' && !quoted && angle === 0) {
      parts.push(cur);
      cur = '';
    } else cur += ch;
  }
  parts.push(cur);
  if (quoted || angle !== 0) throw new Error('mail: unclosed quote or angle-addr');
  return parts.map((p) => {
    const t = p.trim();
    if (t === '') throw new Error('mail: no address');
    const m = /^(.*)<([^<>]*)>$/.exec(t);
    const address = (m ? m[2]! : t).trim();
    const name = m ? m[1]!.trim().replace(/^"(.*)"$/, '$1') : '';
    if (!/^[^\s@<>(),;:"]+@[^\s@<>(),;:"]+$/.test(address)) throw new Error(m ? 'mail: invalid address' : 'mail: missing @ in addr-spec');
    return { name, address };
  });
}
