import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server as NetServer, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { SMTPServer, type SMTPServerAuthentication, type SMTPServerOptions, type SMTPServerSession } from 'smtp-server';
import { NotifyError } from '../../types/errors';
import { expectGolden, FIRING, integrationConfig, MIXED, notifyContext, RESOLVED, recordingLogger, rendererFor, T0 } from '../testing/fixtures';
import { EmailNotifier } from './notifier';
import type { PayloadCapture } from '../../pipeline/payload-capture';
import { buildEmailMessage, parseAddressList, qEncode, quotedPrintable } from './payload';

const GOLDEN = resolve(__dirname, '../../../test/fixtures/notifiers/email');
const PASSWORD = 'pa55-w0rd-secret';
const SECRET = 'cram-s3cret-value';

interface Received {
  raw: string;
  from: string;
  to: string[];
  secure: boolean;
  hello: string;
  auth?: { method: string; username: string; identity?: string };
}

interface Mime {
  headers: Record<string, string>;
  parts: { headers: Record<string, string>; body: string }[];
}

/** A small MIME reader: unfolded headers, multipart/alternative parts, quoted-printable decoded. */
function parseMime(raw: string): Mime {
  const headerBlock = (block: string) => {
    const h: Record<string, string> = {};
    for (const line of block.replace(/\r\n[ \t]+/g, ' ').split('\r\n')) {
      const i = line.indexOf(':');
      if (i > 0) h[line.slice(0, i)] = line.slice(i + 1).trim();
    }
    return h;
  };
  const cut = raw.indexOf('\r\n\r\n');
  const headers = headerBlock(raw.slice(0, cut));
  const boundary = /boundary=(\S+)/.exec(headers['Content-Type'] ?? '')?.[1] ?? '';
  const body = raw.slice(cut + 4);
  const parts = body
    .split(`--${boundary}`)
    .slice(1, -1)
    .map((p) => {
      const chunk = p.replace(/^\r\n/, '').replace(/\r\n$/, '');
      const c = chunk.indexOf('\r\n\r\n');
      const qp = chunk.slice(c + 4).replace(/=\r\n/g, '');
      const bytes: number[] = [];
      for (let i = 0; i < qp.length; i++) {
        if (qp[i] === '=' && /^[0-9A-F]{2}$/.test(qp.slice(i + 1, i + 3))) {
          bytes.push(Number.parseInt(qp.slice(i + 1, i + 3), 16));
          i += 2;
        } else bytes.push(qp.charCodeAt(i));
      }
      return { headers: headerBlock(chunk.slice(0, c)), body: Buffer.from(bytes).toString('utf8') };
    });
  return { headers, parts };
}

/** RFC 2047 Q-word decoding for header assertions. */
function decodeWords(v: string): string {
  return v.replace(/=\?utf-8\?q\?([^?]*)\?=\s*/gi, (_m, w: string) => Buffer.from(w.replace(/_/g, ' ').replace(/=([0-9A-F]{2})/g, (_x, h: string) => String.fromCharCode(Number.parseInt(h, 16))), 'latin1').toString('utf8'));
}

let dir: string;
let key: string;
let cert: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'tocsin-email-'));
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-subj', '/CN=localhost', '-days', '1', '-addext', 'subjectAltName=DNS:localhost,IP:127.0.0.1', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem')], { stdio: 'ignore' });
  key = readFileSync(join(dir, 'key.pem'), 'utf8');
  cert = readFileSync(join(dir, 'cert.pem'), 'utf8');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function smtp(o: Partial<SMTPServerOptions> = {}): Promise<{ port: number; got: Received[]; authAttempts: string[]; close: () => Promise<void> }> {
  const got: Received[] = [];
  const authAttempts: string[] = [];
  const server = new SMTPServer({
    key,
    cert,
    logger: false,
    authMethods: ['PLAIN', 'LOGIN', 'CRAM-MD5'],
    onAuth(auth: SMTPServerAuthentication, _s: SMTPServerSession, cb) {
      authAttempts.push(auth.method);
      const ok = auth.method === 'CRAM-MD5' ? auth.validatePassword?.(SECRET) : auth.password === PASSWORD;
      if (auth.username !== 'alerts' || !ok) return cb(new Error('Invalid username or password'));
      const authzid = (auth as { authzid?: string }).authzid;
      cb(null, { user: { method: auth.method, username: auth.username, ...(authzid ? { identity: authzid } : {}) } });
    },
    onData(stream, session, cb) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        const user = session.user as { method: string; username: string } | undefined;
        got.push({
          raw: Buffer.concat(chunks).toString('utf8'),
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((r) => r.address),
          secure: session.secure,
          hello: session.hostNameAppearsAs,
          ...(user ? { auth: user } : {}),
        });
        cb();
      });
    },
    ...o,
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.server.address() as { port: number }).port;
  return { port, got, authAttempts, close: () => new Promise<void>((r) => server.close(() => r())) };
}

function email(item: Record<string, unknown>, logger = recordingLogger().logger) {
  return new EmailNotifier(integrationConfig('email', { from: 'Alertmanager <am@example.org>', to: 'ops@example.org', ...item }), {
    logger,
    render: (ctx, alerts) => rendererFor(ctx, alerts),
    hostname: 'tocsin.test',
    socketTimeout: 3000,
  });
}

const tls = () => ({ ca_file: join(dir, 'cert.pem'), server_name: 'localhost' });

describe('EmailNotifier over a real SMTP server', () => {
  test('STARTTLS (require_tls default) + PLAIN with identity; headers, text and HTML parts', async () => {
    const s = await smtp();
    try {
      const n = email({
        smarthost: `127.0.0.1:${s.port}`,
        hello: 'am.example.org',
        auth_username: 'alerts',
        auth_password: PASSWORD,
        auth_identity: 'ops-identity',
        tls_config: tls(),
        to: 'ops@example.org, "Team, On-Call" <oncall@example.org>',
        text: 'Firing: {{ len .Alerts.Firing }} — {{ .CommonAnnotations.summary }}',
        headers: { 'x-team': 'Ops ünïcode', subject: 'Custom {{ .Status }}' },
      });
      await n.notify(notifyContext(), MIXED);
      expect(s.got).toHaveLength(1);
      const r = s.got[0]!;
      expect(r.secure).toBe(true);
      expect(r.hello).toBe('am.example.org');
      expect(r.auth).toEqual({ method: 'PLAIN', username: 'alerts', identity: 'ops-identity' });
      expect(r.from).toBe('am@example.org');
      expect(r.to).toEqual(['ops@example.org', 'oncall@example.org']);
      const m = parseMime(r.raw);
      expect(m.headers.Subject).toBe('Custom firing');
      expect(m.headers.From).toBe('Alertmanager <am@example.org>');
      expect(m.headers.To).toBe('ops@example.org, "Team, On-Call" <oncall@example.org>');
      expect(decodeWords(m.headers['X-Team']!)).toBe('Ops ünïcode');
      expect(m.headers['Message-Id']).toMatch(/^<\d+\.\d+@tocsin\.test>$/);
      expect(m.headers.Date).toMatch(/^\w{3}, \d{2} \w{3} \d{4} \d{2}:\d{2}:\d{2} \+0000$/);
      expect(m.headers['MIME-Version']).toBe('1.0');
      expect(r.raw).toMatch(/\r\nContent-Type: multipart\/alternative; {2}boundary=[0-9a-f]{60}\r\n/);
      expect(m.parts.map((p) => p.headers['Content-Type'])).toEqual(['text/plain; charset=UTF-8', 'text/html; charset=UTF-8']);
      expect(m.parts.every((p) => p.headers['Content-Transfer-Encoding'] === 'quoted-printable')).toBe(true);
      expect(m.parts[0]!.body).toBe('Firing: 2 — p99 above 2s');
      expect(m.parts[1]!.body).toContain('<title>[FIRING:2] HighLatency (api critical)</title>');
      expect(m.parts[1]!.body).toContain('http://am.example:9093/#/alerts?receiver=team-a');
    } finally {
      await s.close();
    }
  });

  test('auth mechanism follows the server order: LOGIN first; CRAM-MD5 with auth_secret; CRAM-MD5 skipped without one', async () => {
    const login = await smtp({ authMethods: ['LOGIN', 'PLAIN'] });
    const cram = await smtp({ authMethods: ['CRAM-MD5', 'PLAIN'] });
    try {
      await email({ smarthost: `127.0.0.1:${login.port}`, auth_username: 'alerts', auth_password: PASSWORD, tls_config: tls() }).notify(notifyContext(), FIRING);
      expect(login.got[0]!.auth?.method).toBe('LOGIN');
      await email({ smarthost: `127.0.0.1:${cram.port}`, auth_username: 'alerts', auth_secret: SECRET, tls_config: tls() }).notify(notifyContext(), FIRING);
      expect(cram.got[0]!.auth?.method).toBe('CRAM-MD5');
      const pwFile = join(dir, 'pw');
      writeFileSync(pwFile, `${PASSWORD}\n`);
      await email({ smarthost: `127.0.0.1:${cram.port}`, auth_username: 'alerts', auth_password_file: pwFile, tls_config: tls() }).notify(notifyContext(), FIRING);
      expect(cram.got[1]!.auth?.method).toBe('PLAIN');
    } finally {
      await login.close();
      await cram.close();
    }
  });

  test('implicit TLS (force_implicit_tls) without STARTTLS; no auth without auth_username', async () => {
    const s = await smtp({ secure: true, authOptional: true });
    try {
      await email({ smarthost: `127.0.0.1:${s.port}`, force_implicit_tls: true, tls_config: tls() }).notify(notifyContext(), RESOLVED);
      expect(s.got[0]!.secure).toBe(true);
      expect(s.got[0]!.auth).toBeUndefined();
      expect(parseMime(s.got[0]!.raw).headers.Subject).toBe('[RESOLVED] HighLatency (c:9100 api critical)');
    } finally {
      await s.close();
    }
  });

  test('the persistent outbox keeps the rendered message; a retry sends the same bytes (Message-Id and Date included)', async () => {
    const s = await smtp({ secure: true, authOptional: true });
    try {
      const n = email({ smarthost: `127.0.0.1:${s.port}`, force_implicit_tls: true, tls_config: tls() });
      const first: PayloadCapture = { requests: [] };
      await n.notify(notifyContext({ payloads: first }), RESOLVED);
      expect(first.requests).toEqual([{ target: 'smtp', body: expect.any(String) }]);
      const retry: PayloadCapture = { requests: [], replay: first.requests };
      await n.notify(notifyContext({ payloads: retry }), RESOLVED);
      expect(s.got).toHaveLength(2);
      expect(parseMime(s.got[0]!.raw).headers['Message-Id']).toBeDefined();
      // the server adds nothing: what it got the second time is byte for byte the stored message
      expect(s.got[1]!.raw).toBe(s.got[0]!.raw);
      expect(s.got[0]!.raw.replace(/\r?\n$/, '')).toBe(first.requests[0]!.body.replace(/\r?\n$/, ''));
    } finally {
      await s.close();
    }
  });

  test('require_tls against a server without STARTTLS fails (retryable) with upstream text; require_tls: false sends in clear', async () => {
    const s = await smtp({ hideSTARTTLS: true, authOptional: true });
    try {
      const e = (await email({ smarthost: `127.0.0.1:${s.port}` }).notify(notifyContext(), FIRING).catch((x: unknown) => x)) as NotifyError;
      expect(e).toBeInstanceOf(NotifyError);
      expect(e.message).toBe(`'require_tls' is true (default) but "127.0.0.1:${s.port}" does not advertise the STARTTLS extension`);
      expect(e.retryable).toBe(true);
      await email({ smarthost: `127.0.0.1:${s.port}`, require_tls: false }).notify(notifyContext(), FIRING);
      expect(s.got[0]!.secure).toBe(false);
    } finally {
      await s.close();
    }
  });

  test('a rejected login is retryable and leaks neither password nor secret (errors and logs)', async () => {
    const s = await smtp();
    try {
      const rec = recordingLogger();
      const wrong = 'wr0ng-pa55-secret';
      const e = (await email({ smarthost: `127.0.0.1:${s.port}`, auth_username: 'alerts', auth_password: wrong, tls_config: tls() }, rec.logger)
        .notify(notifyContext(), FIRING)
        .catch((x: unknown) => x)) as NotifyError;
      expect(e).toBeInstanceOf(NotifyError);
      expect(e.retryable).toBe(true);
      expect(e.message).toMatch(/^PLAIN auth: /);
      const text = `${e.message} ${e.stack} ${String((e as { cause?: unknown }).cause ?? '')} ${rec.lines.join('')}`;
      expect(text).not.toContain(wrong);
      expect(text).not.toContain(Buffer.from(`\0alerts\0${wrong}`).toString('base64'));
      expect(s.got).toHaveLength(0);
    } finally {
      await s.close();
    }
  });

  test('connection refused is retryable; address errors are not and open no connection', async () => {
    const e = (await email({ smarthost: '127.0.0.1:1' }).notify(notifyContext(), FIRING).catch((x: unknown) => x)) as NotifyError;
    expect(e.retryable).toBe(true);
    expect(e.message).toMatch(/^establish connection to server: /);
    // port 465 means implicit TLS (the step named in the error shows which dialogue was tried)
    const tls465 = (await email({ smarthost: '127.0.0.1:465' }).notify(notifyContext(), FIRING).catch((x: unknown) => x)) as NotifyError;
    expect(tls465.message).toMatch(/^establish TLS connection to server: /);
    const plain465 = (await email({ smarthost: '127.0.0.1:465', force_implicit_tls: false }).notify(notifyContext(), FIRING).catch((x: unknown) => x)) as NotifyError;
    expect(plain465.message).toMatch(/^establish connection to server: /);
    const two = (await email({ smarthost: '127.0.0.1:1', from: 'a@x.org, b@x.org' }).notify(notifyContext(), FIRING).catch((x: unknown) => x)) as NotifyError;
    expect(two.message).toBe("must be exactly one 'from' address (got: 2)");
    expect(two.retryable).toBe(false);
    const bad = (await email({ smarthost: '127.0.0.1:1', to: 'not-an-address' }).notify(notifyContext(), FIRING).catch((x: unknown) => x)) as NotifyError;
    expect(bad.message).toMatch(/^parse 'to' addresses: /);
    expect(bad.retryable).toBe(false);
  });

  test('an abort during the SMTP dialogue ends it promptly (contextCanceled)', async () => {
    const sockets: Socket[] = [];
    const silent: NetServer = createServer((sock) => sockets.push(sock)); // accepts, never greets
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
    try {
      const port = (silent.address() as { port: number }).port;
      const ac = new AbortController();
      setTimeout(() => ac.abort(), 50);
      const started = Date.now();
      const e = (await email({ smarthost: `127.0.0.1:${port}` }).notify(notifyContext({ signal: ac.signal }), FIRING).catch((x: unknown) => x)) as NotifyError;
      expect(Date.now() - started).toBeLessThan(1500);
      expect(e.reason).toBe('contextCanceled');
      expect(e.retryable).toBe(false);
    } finally {
      for (const s of sockets) s.destroy();
      await new Promise<void>((r) => silent.close(() => r()));
    }
  });
});

describe('email message building', () => {
  test('buildEmailMessage golden: headers sorted, Message-Id, threading, two-space boundary, text then HTML', () => {
    const raw = buildEmailMessage({
      headers: { Subject: '[FIRING:2] Düsk', To: 'ops@example.org', From: 'am@example.org' },
      text: 'line one\nline two with trailing space \nü=é',
      html: `<p>${'long '.repeat(30)}</p>`,
      now: T0,
      boundary: 'b'.repeat(60),
      messageId: '<1.2@tocsin.test>',
      threading: { groupKey: '{}:{alertname="A"}', byDate: true },
    });
    expectGolden(join(GOLDEN, 'message.golden.eml'), raw);
    expect(raw).toContain('References: <alert-ad4b39d3af6c5f08-2026-11-24@alertmanager>\r\n');
  });
  test('buildEmailMessage with only an HTML part, and with a configured Message-Id', () => {
    const raw = buildEmailMessage({ headers: { 'Message-Id': '<mine@x>' }, text: '', html: '<b>x</b>', now: T0, boundary: 'q', messageId: '<unused>' });
    expect(raw).toBe(
      'Message-Id: <mine@x>\r\nDate: Tue, 24 Nov 2026 22:07:42 +0000\r\nContent-Type: multipart/alternative;  boundary=q\r\nMIME-Version: 1.0\r\n\r\n--q\r\nContent-Transfer-Encoding: quoted-printable\r\nContent-Type: text/html; charset=UTF-8\r\n\r\n<b>x</b>\r\n--q--\r\n',
    );
  });
  test('qEncode as Go mime.QEncoding (utf-8)', () => {
    expect(qEncode('plain ascii')).toBe('plain ascii');
    expect(qEncode('ünï code_?=')).toBe('=?utf-8?q?=C3=BCn=C3=AF_code=5F=3F=3D?=');
    const long = qEncode('é'.repeat(30));
    expect(long.split(' ').every((w) => w.length <= 75)).toBe(true);
    expect(long.split(' ')).toHaveLength(3);
  });
  test('quotedPrintable as Go mime/quotedprintable', () => {
    expect(quotedPrintable('a=b\nc \nü')).toBe('a=3Db\r\nc=20\r\n=C3=BC');
    const line = quotedPrintable('x'.repeat(100));
    expect(line).toBe(`${'x'.repeat(75)}=\r\n${'x'.repeat(25)}`);
    expect(quotedPrintable('a\r\nb')).toBe('a\r\nb');
  });
  test('parseAddressList', () => {
    expect(parseAddressList('a@x.org, "B, C" <b@x.org>,D <d@x.org>').map((a) => a.address)).toEqual(['a@x.org', 'b@x.org', 'd@x.org']);
    expect(() => parseAddressList('nobody')).toThrow('missing @');
    expect(() => parseAddressList('')).toThrow();
  });
});
