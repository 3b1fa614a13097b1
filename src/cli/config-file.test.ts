import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { configFilePaths, loadFlagDefaults } from './config-file';
import { loadHttpConfigFile } from './http-config';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'tocsinctl-cfg-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('loadFlagDefaults()', () => {
  test('first file wins per key; missing files are skipped; scalars become strings', () => {
    const a = join(dir, 'a.yml');
    const b = join(dir, 'b.yml');
    writeFileSync(a, 'author: alice\nrequire-comment: false\n');
    writeFileSync(b, 'author: bob\noutput: json\ntimeout: 5s\n');
    const flags = loadFlagDefaults([join(dir, 'missing.yml'), a, b]);
    expect(Object.fromEntries(flags)).toEqual({ author: 'alice', 'require-comment': 'false', output: 'json', timeout: '5s' });
  });

  test('legacy comment_required maps to require-comment unless both are set', () => {
    const a = join(dir, 'a.yml');
    writeFileSync(a, 'comment_required: false\n');
    expect(loadFlagDefaults([a]).get('require-comment')).toBe('false');
    writeFileSync(a, 'comment_required: false\nrequire-comment: true\n');
    expect(Object.fromEntries(loadFlagDefaults([a]))).toEqual({ 'require-comment': 'true' });
  });

  test('malformed files are errors naming the file', () => {
    const a = join(dir, 'a.yml');
    writeFileSync(a, 'author: [unclosed\n');
    expect(() => loadFlagDefaults([a])).toThrow(`could not load config file: ${a}:`);
    writeFileSync(a, '- a\n- b\n');
    expect(() => loadFlagDefaults([a])).toThrow('expected a map of flag names to values');
    writeFileSync(a, 'author:\n  nested: x\n');
    expect(() => loadFlagDefaults([a])).toThrow('value of author must be a scalar');
  });

  test('search path: tocsinctl, amtool master, Debian', () => {
    expect(configFilePaths('/home/u')).toEqual([
      '/home/u/.config/tocsin/tocsinctl.yml',
      '/home/u/.config/amtool/config.yml',
      '/etc/amtool/config.yml',
      '/home/u/.config/prometheus/amtool.yml',
      '/etc/prometheus/amtool.yml',
    ]);
  });
});

describe('loadHttpConfigFile()', () => {
  test('basic_auth with password_file (relative to the config file, trimmed)', () => {
    writeFileSync(join(dir, 'pw'), 'p4ss\n');
    writeFileSync(join(dir, 'h.yml'), 'basic_auth:\n  username: u\n  password_file: pw\nfollow_redirects: false\n');
    const c = loadHttpConfigFile(join(dir, 'h.yml'));
    expect(c).toEqual({ authorization: `Basic ${Buffer.from('u:p4ss').toString('base64')}`, followRedirects: false });
  });

  test('tls_config files are read; insecure_skip_verify turns verification off', () => {
    writeFileSync(join(dir, 'ca.pem'), 'CA');
    writeFileSync(join(dir, 'h.yml'), 'tls_config:\n  ca_file: ca.pem\n  insecure_skip_verify: true\n  server_name: am\n');
    expect(loadHttpConfigFile(join(dir, 'h.yml')).tls).toEqual({ ca: 'CA', servername: 'am', rejectUnauthorized: false });
  });

  test('conflicting or unsupported settings are rejected without echoing secrets', () => {
    const f = join(dir, 'h.yml');
    writeFileSync(f, 'basic_auth:\n  username: u\n  password: topsecret\nbearer_token: alsosecret\n');
    expect(() => loadHttpConfigFile(f)).toThrow('at most one of basic_auth, authorization and bearer_token');
    try {
      loadHttpConfigFile(f);
    } catch (err) {
      expect((err as Error).message).not.toMatch(/topsecret|alsosecret/);
    }
    writeFileSync(f, 'oauth2:\n  client_id: x\n');
    expect(() => loadHttpConfigFile(f)).toThrow('oauth2 and proxy_url are not supported');
    writeFileSync(f, 'bogus: 1\n');
    expect(() => loadHttpConfigFile(f)).toThrow('field bogus not found');
    expect(() => loadHttpConfigFile(join(dir, 'nope.yml'))).toThrow('failed to load HTTP config file');
  });
});
