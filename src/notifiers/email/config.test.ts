import { integrationErrors, loadIntegration } from '../../config/test-helpers';
import type { Secret } from '../../types/secret';

const G = 'smtp_smarthost: smtp.example.com:587\nsmtp_from: am@example.com';

describe('email_configs', () => {
  test('defaults and global smtp_* fallbacks', () => {
    const { settings } = loadIntegration('email', 'to: ops@example.com', `${G}\nsmtp_auth_username: u\nsmtp_auth_password: pw\nsmtp_require_tls: false`);
    expect(settings).toMatchObject({
      send_resolved: false,
      to: 'ops@example.com',
      from: 'am@example.com',
      smarthost: 'smtp.example.com:587',
      hello: 'localhost',
      auth_username: 'u',
      require_tls: false,
      html: '{{ template "email.default.html" . }}',
      tls_config: { insecure_skip_verify: false },
    });
    expect((settings.auth_password as Secret).reveal()).toBe('pw');
    expect(settings.text).toBeUndefined();
  });
  test('local values win; a local password_file stops the global password', () => {
    const { settings } = loadIntegration('email', 'to: a@b\nfrom: me@x\nsmarthost: local:25\nauth_password_file: pw.txt', `${G}\nsmtp_auth_password: global`);
    expect(settings.from).toBe('me@x');
    expect(settings.smarthost).toBe('local:25');
    expect((settings.auth_password as Secret).file).toBe('/etc/tocsin/pw.txt');
  });
  test('headers are canonicalised; duplicates are an error', () => {
    const { settings } = loadIntegration('email', 'to: a@b\nheaders:\n  subject: hi\n  x-team: ops', G);
    expect(settings.headers).toEqual({ Subject: 'hi', 'X-Team': 'ops' });
    expect(integrationErrors('email', 'to: a@b\nheaders:\n  subject: a\n  Subject: b', G)).toEqual(['duplicate header "Subject" in email config']);
  });
  test('errors', () => {
    expect(integrationErrors('email', 'from: x@y', G)).toEqual(['missing to address in email config']);
    expect(integrationErrors('email', 'to: a@b')).toEqual(['no global SMTP smarthost set', 'no global SMTP from set']);
    expect(integrationErrors('email', 'to: a@b\nauth_password: x\nauth_password_file: y', G)).toEqual([
      'at most one of auth_password & auth_password_file must be configured',
    ]);
    expect(integrationErrors('email', 'to: a@b\nsmarthost: nohost', G)).toEqual(['address nohost: missing port in address']);
    expect(integrationErrors('email', 'to: a@b\nsmarthost: "host:"', G)).toEqual(['address "host:": port cannot be empty']);
    expect(integrationErrors('email', 'to: a@b\nthreading:\n  enabled: true\n  thread_by_date: weekly', G)).toEqual([
      "threading.thread_by_date must be either 'none' or 'daily'",
    ]);
    expect(integrationErrors('email', 'to: a@b\nheaders: {References: x}\nthreading: {enabled: true, thread_by_date: daily}', G)).toEqual([
      'conflicting configuration: threading.enabled conflicts with custom References header',
    ]);
    expect(integrationErrors('email', '', G)).toEqual(['missing email config']);
  });
});
