/**
 * Fuzz: the web config parser (--web.config.file) on generated and arbitrary text returns a config or throws
 * WebConfigError; never another exception, never beyond a budget. Basic auth headers: parsed or refused.
 */
import fc from 'fast-check';
import { stringify } from 'yaml';
import { parseBasicAuth } from '../../src/web/basic-auth';
import { parseWebConfig, WebConfigError } from '../../src/web/web-config';
import { expectOnly, fuzzParams } from './budget';

const BUDGET_MS = 500;

const scalar = fc.oneof(fc.string({ maxLength: 10 }), fc.integer(), fc.boolean(), fc.constant(null), fc.constantFrom('TLS12', 'TLS13', 'RequireAndVerifyClientCert', 'NoClientCert', 'deny', '$2y$10$abcdefghijklmnopqrstuv', 'X-Frame-Options', 'Content-Security-Policy'));
const KEYS = ['tls_server_config', 'http_server_config', 'basic_auth_users', 'cert', 'key', 'cert_file', 'key_file', 'client_auth_type', 'client_ca', 'min_version', 'max_version', 'headers', 'http2', 'X-Frame-Options', 'Strict-Transport-Security', 'alice', 'cipher_suites'];
const { doc } = fc.letrec((tie) => ({
  doc: fc.dictionary(fc.constantFrom(...KEYS), tie('value'), { maxKeys: 4 }),
  value: fc.oneof({ depthSize: 'small', withCrossShrink: true }, scalar, fc.array(tie('value'), { maxLength: 3 }), tie('doc')),
}));

describe('web config (fuzz)', () => {
  test('parseWebConfig: a config or WebConfigError, within the budget', () => {
    fc.assert(
      fc.property(fc.oneof(doc.map((d) => stringify(d)), fc.string({ maxLength: 60 })), (text) => {
        expectOnly(WebConfigError, () => parseWebConfig(text, '/nonexistent/web.yml'), text, BUDGET_MS);
      }),
      fuzzParams(300),
    );
  });

  test('parseBasicAuth: user and password back from any header it accepts', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 12, unit: 'grapheme' }), fc.string({ maxLength: 12, unit: 'grapheme' }), fc.constantFrom('Basic ', 'basic ', 'BaSiC '), (user, pass, scheme) => {
        fc.pre(!user.includes(':'));
        expect(parseBasicAuth(`${scheme}${Buffer.from(`${user}:${pass}`).toString('base64')}`)).toEqual({ user, pass });
      }),
      fuzzParams(300),
    );
    fc.assert(
      fc.property(fc.string({ maxLength: 30 }), (h) => {
        const r = parseBasicAuth(h);
        if (r) expect(typeof r.user === 'string' && typeof r.pass === 'string').toBe(true);
      }),
      fuzzParams(300),
    );
  });
});
