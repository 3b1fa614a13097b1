/**
 * --web.config.file: the exporter-toolkit web configuration (TLS server settings, basic auth users with
 * bcrypt hashes, extra response headers). Unknown keys are errors, as upstream's strict YAML decoding.
 * Source: prometheus/exporter-toolkit web/tls_config.go, docs/web-configuration.md.
 */
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import type { SecureContextOptions, TlsOptions } from 'node:tls';
import type { RequestHandler } from 'express';
import { LineCounter, type Node, parseDocument } from 'yaml';
import { aliasTargets, yamlLimitProblem } from '../yaml/limits';
import { basicAuthMiddleware, bcryptHashError } from './basic-auth';
import { BcryptPool } from './bcrypt-pool';

export interface WebConfig {
  tls?: TlsOptions;
  basicAuthUsers: Map<string, string>;
  headers: Record<string, string>;
}

export class WebConfigError extends Error {}

const TLS_KEYS = [
  'cert_file',
  'key_file',
  'cert',
  'key',
  'client_auth_type',
  'client_ca_file',
  'client_ca',
  'client_allowed_sans',
  'min_version',
  'max_version',
  'cipher_suites',
  'prefer_server_cipher_suites',
  'curve_preferences',
];
const ALLOWED_HEADERS = ['Content-Security-Policy', 'X-Frame-Options', 'X-Content-Type-Options', 'X-XSS-Protection', 'Strict-Transport-Security'];

const TLS_VERSIONS: Record<string, SecureContextOptions['minVersion']> = {
  TLS10: 'TLSv1',
  TLS11: 'TLSv1.1',
  TLS12: 'TLSv1.2',
  TLS13: 'TLSv1.3',
};

function obj(v: unknown, where: string): Record<string, unknown> {
  if (v === null || v === undefined) return {};
  if (typeof v !== 'object' || Array.isArray(v)) throw new WebConfigError(`${where}: expected a mapping`);
  return v as Record<string, unknown>;
}

function checkKeys(o: Record<string, unknown>, known: readonly string[], where: string): void {
  for (const k of Object.keys(o)) {
    if (!known.includes(k)) throw new WebConfigError(`${where}: field ${k} not found in type`);
  }
}

/**
 * The YAML of a web config file as plain JS. Syntax errors and alias bombs (yaml/limits.ts: yaml.v2's alias limit, nesting depth)
 * are reported as `file:line:column: message`, before anything is expanded.
 */
function parseYaml(text: string, file: string): unknown {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { uniqueKeys: true, lineCounter });
  const first = doc.errors[0];
  if (first) {
    const pos = first.linePos?.[0];
    throw new WebConfigError(`${file}:${pos ? `${pos.line}:${pos.col}: ` : ' '}${first.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '')}`);
  }
  const targets = aliasTargets(doc);
  const limit = yamlLimitProblem(doc.contents as Node | null, (a) => targets.get(a), lineCounter);
  if (limit) throw new WebConfigError(`${file}:${limit.line}:${limit.column}: ${limit.message}`);
  try {
    // expansion is bounded by the check above
    return doc.toJS({ maxAliasCount: -1 });
  } catch (e) {
    throw new WebConfigError(`${file}: ${(e as Error).message}`);
  }
}

export function parseWebConfig(text: string, file: string): WebConfig {
  const root = obj(parseYaml(text, file), file);
  checkKeys(root, ['tls_server_config', 'http_server_config', 'basic_auth_users'], file);
  const dir = path.dirname(file);
  const abs = (p: string) => (path.isAbsolute(p) ? p : path.join(dir, p));
  const readPem = (p: string, what: string) => {
    try {
      return readFileSync(abs(p), 'utf8');
    } catch (e) {
      throw new WebConfigError(`failed to read ${what} ${p}: ${(e as Error).message}`);
    }
  };
  const out: WebConfig = { basicAuthUsers: new Map(), headers: {} };

  if (root.tls_server_config !== undefined && root.tls_server_config !== null) {
    const t = obj(root.tls_server_config, 'tls_server_config');
    checkKeys(t, TLS_KEYS, 'tls_server_config');
    const certFile = t.cert_file as string | undefined;
    const keyFile = t.key_file as string | undefined;
    const cert = (t.cert as string | undefined) ?? (certFile ? readPem(certFile, 'cert_file') : undefined);
    const key = (t.key as string | undefined) ?? (keyFile ? readPem(keyFile, 'key_file') : undefined);
    if (!cert) throw new WebConfigError('missing cert_file');
    if (!key) throw new WebConfigError('missing key_file');
    const tls: TlsOptions = { cert, key };
    const caFile = t.client_ca_file as string | undefined;
    const ca = (t.client_ca as string | undefined) ?? (caFile ? readPem(caFile, 'client_ca_file') : undefined);
    if (ca) tls.ca = ca;
    const auth = (t.client_auth_type as string | undefined) ?? (ca ? 'RequireAndVerifyClientCert' : 'NoClientCert');
    switch (auth) {
      case 'NoClientCert':
        break;
      case 'RequestClientCert':
      case 'RequireAnyClientCert':
        tls.requestCert = true;
        tls.rejectUnauthorized = false;
        break;
      case 'VerifyClientCertIfGiven':
        tls.requestCert = true;
        tls.rejectUnauthorized = false;
        break;
      case 'RequireAndVerifyClientCert':
        if (!ca) throw new WebConfigError('client_ca_file must be set when client_auth_type is RequireAndVerifyClientCert');
        tls.requestCert = true;
        tls.rejectUnauthorized = true;
        break;
      default:
        throw new WebConfigError(`Invalid ClientAuth: ${auth}`);
    }
    for (const [k, field] of [
      ['min_version', 'minVersion'],
      ['max_version', 'maxVersion'],
    ] as const) {
      const v = t[k];
      if (v === undefined) continue;
      const mapped = TLS_VERSIONS[String(v)];
      if (!mapped) throw new WebConfigError(`unknown TLS version: ${String(v)}`);
      tls[field] = mapped;
    }
    if (t.min_version === undefined) tls.minVersion = 'TLSv1.2';
    out.tls = tls;
  }

  if (root.http_server_config !== undefined && root.http_server_config !== null) {
    const h = obj(root.http_server_config, 'http_server_config');
    checkKeys(h, ['http2', 'headers'], 'http_server_config');
    for (const [name, value] of Object.entries(obj(h.headers, 'http_server_config.headers'))) {
      const canonical = ALLOWED_HEADERS.find((a) => a.toLowerCase() === name.toLowerCase());
      if (!canonical) throw new WebConfigError(`HTTP header ${name} can not be configured`);
      out.headers[canonical] = String(value);
    }
  }

  for (const [user, hash] of Object.entries(obj(root.basic_auth_users, 'basic_auth_users'))) {
    if (typeof hash !== 'string') throw new WebConfigError(`basic_auth_users.${user}: expected a bcrypt hash string`);
    const bad = bcryptHashError(hash);
    if (bad) throw new WebConfigError(`basic_auth_users.${user}: ${bad}`);
    out.basicAuthUsers.set(user, hash);
  }
  return out;
}

export function loadWebConfigFile(file: string): WebConfig {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new WebConfigError(`failed to read web config file ${file}: ${(e as Error).message}`);
  }
  return parseWebConfig(text, file);
}

export function headersMiddleware(headers: Readonly<Record<string, string>>): RequestHandler {
  const entries = Object.entries(headers);
  return (_req, res, next) => {
    for (const [k, v] of entries) res.setHeader(k, v);
    next();
  };
}

/**
 * Re-reads the web config file when it changes, as exporter-toolkit reads it per request: basic auth users
 * and headers take effect on the next request, TLS certificates on the next connection (via onTls). A file
 * that no longer parses keeps the previous settings (reported through onError).
 */
export class WebConfigWatcher {
  readonly #file: string;
  #config: WebConfig;
  #mtime: number;
  #auth: RequestHandler | undefined;
  #headers: RequestHandler | undefined;
  readonly #onTls: ((tls: TlsOptions) => void) | undefined;
  readonly #onError: (e: Error) => void;
  #lastCheck = 0;
  /** bcrypt comparisons off the event loop; kept across reloads of the file */
  readonly #pool = new BcryptPool();

  constructor(file: string, opts: { onTls?: (tls: TlsOptions) => void; onError?: (e: Error) => void } = {}) {
    this.#file = file;
    this.#config = loadWebConfigFile(file);
    this.#mtime = statSync(file).mtimeMs;
    this.#onTls = opts.onTls;
    this.#onError = opts.onError ?? (() => undefined);
    this.#rebuild();
  }

  get config(): WebConfig {
    return this.#config;
  }

  #rebuild(): void {
    this.#auth = this.#config.basicAuthUsers.size > 0 ? basicAuthMiddleware(this.#config.basicAuthUsers, this.#pool) : undefined;
    this.#headers = Object.keys(this.#config.headers).length > 0 ? headersMiddleware(this.#config.headers) : undefined;
  }

  /** Checks the file's mtime (at most every 100 ms) and reloads it when it changed. */
  refresh(now = Date.now()): void {
    if (now - this.#lastCheck < 100) return;
    this.#lastCheck = now;
    let mtime: number;
    try {
      mtime = statSync(this.#file).mtimeMs;
    } catch (e) {
      this.#onError(e as Error);
      return;
    }
    if (mtime === this.#mtime) return;
    this.#mtime = mtime;
    try {
      const next = loadWebConfigFile(this.#file);
      const tlsChanged = JSON.stringify(next.tls ?? null) !== JSON.stringify(this.#config.tls ?? null);
      this.#config = next;
      this.#rebuild();
      if (tlsChanged && next.tls) this.#onTls?.(next.tls);
    } catch (e) {
      this.#onError(e as Error);
    }
  }

  /** stops the bcrypt worker threads (they never keep the process alive) */
  close(): Promise<void> {
    return this.#pool.close();
  }

  middleware(): RequestHandler {
    return (req, res, next) => {
      this.refresh();
      const headers = this.#headers;
      const auth = this.#auth;
      const afterAuth = () => (headers ? headers(req, res, next) : next());
      if (auth) auth(req, res, afterAuth);
      else afterAuth();
    };
  }
}
