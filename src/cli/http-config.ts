import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { parseYaml } from './yaml';
import { CliError } from './errors';

/**
 * The subset of Prometheus' HTTP client config (`--http.config.file`, upstream cli/config/http_config.go)
 * that tocsinctl honours: basic_auth, authorization / bearer_token, tls_config and follow_redirects.
 * Credentials read from *_file paths are resolved relative to the config file, as Prometheus does.
 */
export interface HttpClientSettings {
  /** value for the Authorization header, if any; never printed */
  authorization?: string;
  followRedirects: boolean;
  tls?: { ca?: string; cert?: string; key?: string; servername?: string; rejectUnauthorized: boolean };
}

const KNOWN = new Set([
  'basic_auth',
  'authorization',
  'bearer_token',
  'bearer_token_file',
  'tls_config',
  'follow_redirects',
  'enable_http2',
  'proxy_url',
  'no_proxy',
  'proxy_from_environment',
  'oauth2',
]);

export function loadHttpConfigFile(path: string): HttpClientSettings {
  let doc: unknown;
  try {
    doc = parseYaml(readFileSync(path, 'utf8')) ?? {};
  } catch (err) {
    throw new CliError(`failed to load HTTP config file: ${(err as Error).message.split('\n')[0]}`);
  }
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) {
    throw new CliError('failed to load HTTP config file: not a YAML mapping');
  }
  const c = doc as Record<string, unknown>;
  for (const k of Object.keys(c)) {
    if (!KNOWN.has(k)) throw new CliError(`failed to load HTTP config file: field ${k} not found in type config.plain`);
  }
  if (c.oauth2 !== undefined || c.proxy_url !== undefined) {
    throw new CliError('failed to load HTTP config file: oauth2 and proxy_url are not supported by tocsinctl');
  }
  const base = dirname(resolve(path));
  const readSecret = (file: unknown): string => {
    try {
      return readFileSync(resolve(base, String(file)), 'utf8').trim();
    } catch {
      throw new CliError(`failed to load HTTP config file: cannot read ${String(file)}`);
    }
  };
  const out: HttpClientSettings = { followRedirects: c.follow_redirects !== false };
  const ba = c.basic_auth as Record<string, unknown> | undefined;
  const auth = c.authorization as Record<string, unknown> | undefined;
  const set = [ba, auth, c.bearer_token ?? c.bearer_token_file].filter((x) => x !== undefined);
  if (set.length > 1) {
    throw new CliError(
      'failed to load HTTP config file: at most one of basic_auth, authorization and bearer_token may be configured',
    );
  }
  if (ba) {
    const password = ba.password_file !== undefined ? readSecret(ba.password_file) : String(ba.password ?? '');
    out.authorization = `Basic ${Buffer.from(`${String(ba.username ?? '')}:${password}`).toString('base64')}`;
  } else if (auth) {
    const creds = auth.credentials_file !== undefined ? readSecret(auth.credentials_file) : String(auth.credentials ?? '');
    out.authorization = `${String(auth.type ?? 'Bearer')} ${creds}`;
  } else if (c.bearer_token !== undefined) {
    out.authorization = `Bearer ${String(c.bearer_token)}`;
  } else if (c.bearer_token_file !== undefined) {
    out.authorization = `Bearer ${readSecret(c.bearer_token_file)}`;
  }
  const tls = c.tls_config as Record<string, unknown> | undefined;
  if (tls) {
    out.tls = { rejectUnauthorized: tls.insecure_skip_verify !== true };
    if (tls.ca_file !== undefined) out.tls.ca = readSecret(tls.ca_file);
    if (tls.cert_file !== undefined) out.tls.cert = readSecret(tls.cert_file);
    if (tls.key_file !== undefined) out.tls.key = readSecret(tls.key_file);
    if (tls.server_name !== undefined) out.tls.servername = String(tls.server_name);
  }
  return out;
}
