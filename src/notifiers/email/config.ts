/**
 * @module notifiers/email/config
 * `email_configs` (upstream config/notifiers.go EmailConfig). `to` is required; smarthost, from, hello, auth_*,
 * require_tls, tls_config and force_implicit_tls fall back to the global smtp_* keys. send_resolved: false.
 */
import { cloneValue, given, globalOf, inherit, inheritPair, sendResolved, tmpl } from '../../schema/integration-spec';
import { type Decoded, f, objectSchema, secretPair } from '../../schema/schema';
import type { IntegrationGlobals } from '../definition';
import { tlsConfigField, tlsConfigSchema } from '../shared/http-config';

/** Go textproto.CanonicalMIMEHeaderKey for token-only keys: `content-type` → `Content-Type`. */
export function canonicalHeaderKey(k: string): string {
  if (!/^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/.test(k)) return k;
  return k
    .split('-')
    .map((w) => (w ? w[0]!.toUpperCase() + w.slice(1).toLowerCase() : w))
    .join('-');
}

const threadingSchema = objectSchema({
  name: 'threading',
  fields: { enabled: f.bool({ default: false }), thread_by_date: f.string() },
});

export const emailSchema = objectSchema({
  name: 'email_config',
  fields: {
    send_resolved: sendResolved(false),
    to: f.string({ required: 'missing to address in email config' }),
    from: f.string({ filled: true }),
    hello: f.string(),
    smarthost: f.hostPort({ filled: true }),
    auth_username: f.string(),
    ...secretPair('auth_password'),
    ...secretPair('auth_secret'),
    auth_identity: f.string(),
    headers: f.stringMap(),
    html: f.string({ default: tmpl('email.default.html') }),
    text: f.string(),
    require_tls: f.bool({ filled: true }),
    tls_config: tlsConfigField(),
    force_implicit_tls: f.bool(),
    threading: f.object(threadingSchema),
  },
  check(o, at) {
    if (o.headers) {
      const normalized: Record<string, string> = {};
      for (const [k, v] of Object.entries(o.headers as Record<string, string>)) {
        const c = canonicalHeaderKey(k);
        if (c in normalized) at.failField('headers', `duplicate header "${c}" in email config`);
        normalized[c] = v;
      }
      o.headers = normalized;
      const th = o.threading as { enabled?: boolean; thread_by_date?: string } | undefined;
      if (th?.enabled) {
        for (const h of ['References', 'In-Reply-To']) {
          if (h in normalized) at.failField('threading', `conflicting configuration: threading.enabled conflicts with custom ${h} header`);
        }
      }
    }
    const th = o.threading as { enabled?: boolean; thread_by_date?: string } | undefined;
    if (th?.enabled && th.thread_by_date !== 'none' && th.thread_by_date !== 'daily') {
      at.failField('threading', "threading.thread_by_date must be either 'none' or 'daily'");
    }
    // global fallbacks (config/config.go)
    const g = globalOf(at);
    inherit(o, at, 'tls_config', 'smtp_tls_config');
    inherit(o, at, 'smarthost', 'smtp_smarthost');
    if (!given(o, at, 'smarthost')) at.fail('no global SMTP smarthost set', 'set smarthost here or smtp_smarthost in the global block');
    inherit(o, at, 'from', 'smtp_from');
    if (!given(o, at, 'from') || o.from === '') at.fail('no global SMTP from set', 'set from here or smtp_from in the global block');
    inherit(o, at, 'hello', 'smtp_hello');
    inherit(o, at, 'auth_username', 'smtp_auth_username');
    inheritPair(o, at, 'auth_password', 'smtp_auth_password');
    inheritPair(o, at, 'auth_secret', 'smtp_auth_secret');
    inherit(o, at, 'auth_identity', 'smtp_auth_identity');
    if (o.require_tls === undefined) o.require_tls = g.smtp_require_tls ?? true;
    if (o.force_implicit_tls === undefined && g.smtp_force_implicit_tls !== undefined) o.force_implicit_tls = cloneValue(g.smtp_force_implicit_tls);
  },
});

/** The validated settings of one `email_configs` entry: defaults and global fallbacks applied. */
export type EmailSettings = Decoded<typeof emailSchema>;

/** The `global` keys `email_configs` fall back to (upstream config.go GlobalConfig). */
export const emailGlobals: IntegrationGlobals = {
  fields: {
    smtp_from: f.string(),
    smtp_hello: f.string({ default: 'localhost' }),
    smtp_smarthost: f.hostPort(),
    smtp_auth_username: f.string(),
    ...secretPair('smtp_auth_password'),
    ...secretPair('smtp_auth_secret'),
    smtp_auth_identity: f.string(),
    smtp_require_tls: f.bool({ default: true }),
    smtp_tls_config: f.object(tlsConfigSchema, { default: true }),
    smtp_force_implicit_tls: f.bool(),
  },
};
