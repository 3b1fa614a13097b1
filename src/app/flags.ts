/**
 * Command-line flags with Alertmanager's names and defaults (cmd/alertmanager/main.go, exporter-toolkit web
 * flags, promslog flags). Kingpin syntax: `--flag=value` and `--flag value`; booleans `--flag` / `--no-flag`;
 * repeatable flags (`--web.listen-address`, `--cluster.peer`). Durations are Go durations (kingpin's Duration()).
 */
import { readFileSync } from 'node:fs';
import { parseGoDuration } from '../go/duration';
import { parseDuration } from '../types/duration';

type Kind = 'string' | 'strings' | 'duration' | 'int' | 'float' | 'bool';

interface FlagSpec {
  kind: Kind;
  default?: string;
  help: string;
}

/** Every flag of upstream's binary (master) plus Debian's --web.ui-path. */
export const FLAG_SPECS: Readonly<Record<string, FlagSpec>> = {
  'config.file': { kind: 'string', default: 'alertmanager.yml', help: 'Alertmanager configuration file name.' },
  'storage.path': { kind: 'string', default: 'data/', help: 'Base path for data storage.' },
  'data.retention': { kind: 'duration', default: '120h', help: 'How long to keep data for.' },
  'data.maintenance-interval': { kind: 'duration', default: '15m', help: 'Interval between garbage collection and snapshotting of silences and the notification log.' },
  'silences.max-silences': { kind: 'int', default: '0', help: 'Maximum number of silences, including expired silences. 0 = no limit.' },
  'silences.max-silence-size-bytes': { kind: 'int', default: '0', help: 'Maximum silence size in bytes. 0 = no limit.' },
  'log.silences': { kind: 'bool', default: 'false', help: 'Log silence creation, update and expiry.' },
  'alerts.gc-interval': { kind: 'duration', default: '30m', help: 'Interval between alert GC.' },
  'alerts.per-alertname-limit': { kind: 'int', default: '0', help: 'Maximum number of alerts per alertname. 0 = no limit.' },
  'dispatch.maintenance-interval': { kind: 'duration', default: '30s', help: 'Interval between maintenance of aggregation groups in the dispatcher.' },
  'dispatch.start-delay': { kind: 'duration', default: '0s', help: 'Minimum amount of time to wait before dispatching alerts.' },
  'web.listen-address': { kind: 'strings', default: ':9093', help: 'Addresses on which to expose metrics and web interface. Repeatable.' },
  'web.config.file': { kind: 'string', default: '', help: 'Path to a web configuration file (TLS, basic auth).' },
  'web.systemd-socket': { kind: 'bool', default: 'false', help: 'Use systemd socket activation listeners (not supported by Tocsin).' },
  'web.external-url': { kind: 'string', default: '', help: 'The URL under which Alertmanager is externally reachable; its path prefixes all endpoints.' },
  'web.route-prefix': { kind: 'string', default: '', help: 'Prefix for the internal routes of web endpoints. Defaults to path of --web.external-url.' },
  'web.get-concurrency': { kind: 'int', default: '0', help: 'Maximum number of GET requests processed concurrently. 0 = max(CPUs, 8).' },
  'web.timeout': { kind: 'duration', default: '0', help: 'Timeout for HTTP requests. 0 = none.' },
  'web.ui-path': { kind: 'string', default: '', help: 'Accepted for Debian compatibility; ignored (the UI is bundled).' },
  'auto-gomemlimit.ratio': { kind: 'float', default: '0.9', help: 'Accepted for compatibility; no effect in Tocsin.' },
  'cluster.listen-address': { kind: 'string', default: '0.0.0.0:9094', help: 'Listen address for cluster. Accepted; Tocsin does not gossip.' },
  'cluster.advertise-address': { kind: 'string', default: '', help: 'Explicit address to advertise in cluster. Accepted; ignored.' },
  'cluster.peer-name': { kind: 'string', default: '', help: 'Explicit name of the peer. Accepted; ignored.' },
  'cluster.peer': { kind: 'strings', help: 'Initial peers (may be repeated). Accepted; ignored.' },
  'cluster.peer-timeout': { kind: 'duration', default: '15s', help: 'Time to wait between peers to send notifications.' },
  'cluster.peers-resolve-timeout': { kind: 'duration', default: '15s', help: 'Time to resolve peers.' },
  'cluster.gossip-interval': { kind: 'duration', default: '200ms', help: 'Interval between sending gossip messages.' },
  'cluster.pushpull-interval': { kind: 'duration', default: '1m0s', help: 'Interval for gossip state syncs.' },
  'cluster.tcp-timeout': { kind: 'duration', default: '10s', help: 'Timeout for stream connections.' },
  'cluster.probe-timeout': { kind: 'duration', default: '500ms', help: 'Timeout to wait for an ack from a probed node.' },
  'cluster.probe-interval': { kind: 'duration', default: '1s', help: 'Interval between random node probes.' },
  'cluster.settle-timeout': { kind: 'duration', default: '1m0s', help: 'Maximum time to wait for cluster connections to settle.' },
  'cluster.reconnect-interval': { kind: 'duration', default: '10s', help: 'Interval between attempting to reconnect to lost peers.' },
  'cluster.reconnect-timeout': { kind: 'duration', default: '6h0m0s', help: 'Length of time to attempt to reconnect to a lost peer.' },
  'cluster.tls-config': { kind: 'string', default: '', help: 'Path to config yaml file for mutual TLS within the gossip protocol.' },
  'cluster.allow-insecure-public-advertise-address-discovery': { kind: 'bool', default: 'false', help: 'Allow discovering and listening on a public IP address.' },
  'cluster.label': { kind: 'string', default: '', help: 'Cluster label included on each gossip packet.' },
  'enable-feature': { kind: 'string', default: '', help: `Comma-separated experimental features to enable.` },
  'log.level': { kind: 'string', default: 'info', help: 'Only log messages with the given severity or above. One of: [debug, info, warn, error]' },
  'log.format': { kind: 'string', default: 'logfmt', help: 'Output format of log messages. One of: [logfmt, json]' },
  // Tocsin-only settings (docs/configuration.md "tocsin.yml"): loaded and reloaded with --config.file
  'tocsin.config.file': { kind: 'string', default: '', help: 'Tocsin: a second YAML file with Tocsin-only settings (per-receiver resolved_after_mute, rate_limit, outbox, escalation; silence hygiene), loaded and reloaded together with --config.file. Empty: none.' },
  // Tocsin-only: bounds on one API request (413 above them); 0 = no limit
  'tocsin.api.max-request-bytes': { kind: 'int', default: '8388608', help: 'Tocsin: maximum request body size in bytes as sent (compressed or not). 0 = no limit.' },
  'tocsin.api.max-decompressed-bytes': { kind: 'int', default: '16777216', help: 'Tocsin: maximum request body size in bytes after gzip/deflate/br decompression. 0 = no limit.' },
  'tocsin.api.max-alerts-per-request': { kind: 'int', default: '10000', help: 'Tocsin: maximum number of alerts in one POST /api/v2/alerts. 0 = no limit.' },
  // Tocsin-only: HA over PostgreSQL (README "HA")
  'tocsin.storage.url': { kind: 'string', default: '', help: 'Tocsin: postgres://user@host:port/db to run as one of several replicas sharing PostgreSQL (also --tocsin.storage.url-file or $TOCSIN_STORAGE_URL). Empty: SQLite under --storage.path.' },
  'tocsin.storage.url-file': { kind: 'string', default: '', help: 'Tocsin: file holding the PostgreSQL URL (keeps the password off the command line).' },
  'tocsin.ha.lease-duration': { kind: 'duration', default: '10s', help: 'Tocsin: how long a replica owns an aggregation group without renewing it (renewed every quarter of it); a dead replica\'s groups are taken over within 1.25 times this.' },
  'tocsin.ha.replica-name': { kind: 'string', default: '', help: 'Tocsin: this replica\'s unique name (default <hostname>:<web port>).' },
  'tocsin.ha.advertise-address': { kind: 'string', default: '', help: 'Tocsin: address of this replica shown to its peers (default <hostname>:<web port>).' },
  'tocsin.history.enabled': { kind: 'bool', default: 'true', help: 'Tocsin: record the history of alerts, notifications, silences and reloads (GET /api/v2/tocsin/history).' },
  'tocsin.history.retention': { kind: 'string', default: '14d', help: 'Tocsin: how long history events are kept (Prometheus duration, e.g. 14d, 36h).' },
  'tocsin.history.max-events': { kind: 'int', default: '5000000', help: 'Tocsin: the most history events kept; the oldest beyond it are deleted. 0 = no limit.' },
  'tocsin.history.payload-bytes': { kind: 'int', default: '16384', help: 'Tocsin: bytes of each notification request body kept in its history event (secrets removed). 0 = none.' },
};

export const ALLOWED_FEATURES = [
  'alert-names-in-metrics',
  'receiver-name-in-metrics',
  'group-key-in-metrics',
  'classic-mode',
  'utf8-strict-mode',
  'auto-gomemlimit',
  'event-recorder',
] as const;

export interface Flags {
  configFile: string;
  /** --tocsin.config.file ('' = none) */
  tocsinConfigFile: string;
  storagePath: string;
  /** ms */
  dataRetention: number;
  dataMaintenanceInterval: number;
  maxSilences: number;
  maxSilenceSizeBytes: number;
  logSilences: boolean;
  alertsGcInterval: number;
  alertsPerAlertnameLimit: number;
  dispatchMaintenanceInterval: number;
  dispatchStartDelay: number;
  webListenAddresses: string[];
  webConfigFile: string;
  webExternalUrl: string;
  webRoutePrefix: string;
  webGetConcurrency: number;
  webTimeout: number;
  clusterListenAddress: string;
  clusterPeers: string[];
  /** every cluster.* flag as given (string form), for logging */
  clusterFlagsGiven: string[];
  /** --tocsin.storage.url (or the file's content, or $TOCSIN_STORAGE_URL); '' = SQLite */
  storageUrl: string;
  haLeaseDuration: number;
  haReplicaName: string;
  haAdvertiseAddress: string;
  features: string[];
  logLevel: 'debug' | 'info' | 'warn' | 'error';
  logFormat: 'logfmt' | 'json';
  /** --tocsin.api.* request limits (0 = no limit) */
  apiMaxRequestBytes: number;
  apiMaxDecompressedBytes: number;
  apiMaxAlertsPerRequest: number;
  /** --tocsin.history.*: recording on/off, retention in ms, size cap in events (0 = none) */
  history: { enabled: boolean; retention: number; maxEvents: number; payloadBytes: number };
  /** raw values by flag name, including defaults */
  raw: Record<string, string | string[]>;
}

export type FlagParseResult = { kind: 'flags'; flags: Flags } | { kind: 'help'; text: string } | { kind: 'version' };

export class FlagError extends Error {}

function boolValue(name: string, v: string): boolean {
  if (v === 'true' || v === '1') return true;
  if (v === 'false' || v === '0') return false;
  throw new FlagError(`invalid value "${v}" for flag --${name}: expected true or false`);
}

export function helpText(prog = 'tocsin'): string {
  const lines = [`usage: ${prog} [<flags>]`, '', 'Tocsin: alert routing and notification, compatible with Prometheus Alertmanager.', '', 'Flags:'];
  lines.push('  -h, --[no-]help  Show context-sensitive help.');
  for (const [name, spec] of Object.entries(FLAG_SPECS)) {
    const arg = spec.kind === 'bool' ? '' : `=${name.split(/[.-]/).pop()!.toUpperCase()}${spec.kind === 'strings' ? ' ...' : ''}`;
    const flag = spec.kind === 'bool' ? `--[no-]${name}` : `--${name}${arg}`;
    const def = spec.default !== undefined && spec.default !== '' && spec.kind !== 'bool' ? ` (default: ${spec.default})` : '';
    lines.push(`      ${flag}`);
    lines.push(`          ${spec.help}${def}`);
  }
  lines.push('      --[no-]version  Show application version.');
  return `${lines.join('\n')}\n`;
}

/**
 * The PostgreSQL URL from the flag, else the first line of the file, else $TOCSIN_STORAGE_URL; '' = SQLite.
 * Never echoed in errors (it may hold a password).
 */
function storageUrl(flag: string, file: string, env: Readonly<Record<string, string | undefined>>): string {
  let url = flag;
  if (url === '' && file !== '') {
    try {
      url = readFileSync(file, 'utf8').trim();
    } catch (e) {
      throw new FlagError(`--tocsin.storage.url-file: cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
    }
    if (url === '') throw new FlagError(`--tocsin.storage.url-file: ${file} is empty`);
  }
  if (url === '') url = env.TOCSIN_STORAGE_URL?.trim() ?? '';
  if (url !== '' && !/^postgres(ql)?:\/\//.test(url)) {
    throw new FlagError('--tocsin.storage.url: expected a postgres:// or postgresql:// URL');
  }
  return url;
}

function positive(name: string, ms: number): number {
  if (ms <= 0) throw new FlagError(`--${name} must be positive`);
  return ms;
}

export function parseFlags(argv: readonly string[], env: Readonly<Record<string, string | undefined>> = process.env): FlagParseResult {
  const raw: Record<string, string | string[]> = {};
  const given = new Set<string>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '-h' || arg === '--help') return { kind: 'help', text: helpText() };
    if (arg === '--version') return { kind: 'version' };
    if (!arg.startsWith('--')) throw new FlagError(`unexpected ${arg}, try --help`);
    const eq = arg.indexOf('=');
    let name = eq >= 0 ? arg.slice(2, eq) : arg.slice(2);
    let value: string | undefined = eq >= 0 ? arg.slice(eq + 1) : undefined;
    let spec = FLAG_SPECS[name];
    if (!spec && name.startsWith('no-') && FLAG_SPECS[name.slice(3)]?.kind === 'bool' && value === undefined) {
      name = name.slice(3);
      spec = FLAG_SPECS[name];
      value = 'false';
    }
    if (!spec) throw new FlagError(`unknown long flag '--${name}', try --help`);
    if (spec.kind === 'bool') {
      value ??= 'true';
      boolValue(name, value);
    } else if (value === undefined) {
      if (i + 1 >= argv.length) throw new FlagError(`expected argument for flag '--${name}'`);
      value = argv[++i]!;
    }
    if (spec.kind === 'strings') {
      const prev = given.has(name) ? (raw[name] as string[]) : [];
      raw[name] = [...prev, value];
    } else {
      raw[name] = value;
    }
    given.add(name);
  }
  for (const [name, spec] of Object.entries(FLAG_SPECS)) {
    if (name in raw) continue;
    if (spec.kind === 'strings') raw[name] = spec.default !== undefined ? [spec.default] : [];
    else raw[name] = spec.default ?? '';
  }
  const str = (n: string) => raw[n] as string;
  const promDuration = (n: string) => {
    try {
      return parseDuration(str(n));
    } catch (e) {
      throw new FlagError(`invalid value "${str(n)}" for flag --${n}: ${(e as Error).message}`);
    }
  };
  const dur = (n: string) => {
    try {
      return parseGoDuration(str(n));
    } catch (e) {
      throw new FlagError(`invalid value "${str(n)}" for flag --${n}: ${(e as Error).message}`);
    }
  };
  const int = (n: string) => {
    const v = str(n);
    if (!/^[+-]?\d+$/.test(v)) throw new FlagError(`invalid value "${v}" for flag --${n}: strconv.ParseInt: parsing "${v}": invalid syntax`);
    return Number(v);
  };
  const nonNegative = (n: string) => {
    const v = int(n);
    if (v < 0) throw new FlagError(`invalid value "${str(n)}" for flag --${n}: must be 0 (no limit) or more`);
    return v;
  };
  const float = (n: string) => {
    const v = Number(str(n));
    if (!Number.isFinite(v)) throw new FlagError(`invalid value "${str(n)}" for flag --${n}`);
    return v;
  };
  float('auto-gomemlimit.ratio');
  const level = str('log.level');
  if (!['debug', 'info', 'warn', 'error'].includes(level)) {
    throw new FlagError(`unrecognized log level ${level}`);
  }
  const format = str('log.format');
  if (format !== 'logfmt' && format !== 'json') throw new FlagError(`unrecognized log format ${format}`);
  const features = str('enable-feature')
    .split(',')
    .map((f) => f.trim())
    .filter((f) => f !== '');
  for (const f of features) {
    if (!(ALLOWED_FEATURES as readonly string[]).includes(f)) throw new FlagError(`Unknown option for --enable-feature: ${f}`);
  }
  if (features.includes('classic-mode') && features.includes('utf8-strict-mode')) {
    throw new FlagError('cannot have both classic-mode and utf8-strict-mode enabled at the same time');
  }
  for (const n of ['log.silences', 'web.systemd-socket', 'cluster.allow-insecure-public-advertise-address-discovery']) boolValue(n, str(n));
  const listen = raw['web.listen-address'] as string[];
  return {
    kind: 'flags',
    flags: {
      configFile: str('config.file'),
      tocsinConfigFile: str('tocsin.config.file'),
      storagePath: str('storage.path'),
      dataRetention: dur('data.retention'),
      dataMaintenanceInterval: dur('data.maintenance-interval'),
      maxSilences: int('silences.max-silences'),
      maxSilenceSizeBytes: int('silences.max-silence-size-bytes'),
      logSilences: str('log.silences') === 'true' || str('log.silences') === '1',
      alertsGcInterval: dur('alerts.gc-interval'),
      alertsPerAlertnameLimit: int('alerts.per-alertname-limit'),
      dispatchMaintenanceInterval: dur('dispatch.maintenance-interval'),
      dispatchStartDelay: dur('dispatch.start-delay'),
      webListenAddresses: listen,
      webConfigFile: str('web.config.file'),
      webExternalUrl: str('web.external-url'),
      webRoutePrefix: str('web.route-prefix'),
      webGetConcurrency: int('web.get-concurrency'),
      webTimeout: dur('web.timeout'),
      clusterListenAddress: str('cluster.listen-address'),
      clusterPeers: raw['cluster.peer'] as string[],
      clusterFlagsGiven: [...given].filter((n) => n.startsWith('cluster.')),
      storageUrl: storageUrl(str('tocsin.storage.url'), str('tocsin.storage.url-file'), env),
      haLeaseDuration: positive('tocsin.ha.lease-duration', dur('tocsin.ha.lease-duration')),
      haReplicaName: str('tocsin.ha.replica-name'),
      haAdvertiseAddress: str('tocsin.ha.advertise-address'),
      features,
      logLevel: level as Flags['logLevel'],
      logFormat: format,
      apiMaxRequestBytes: nonNegative('tocsin.api.max-request-bytes'),
      apiMaxDecompressedBytes: nonNegative('tocsin.api.max-decompressed-bytes'),
      apiMaxAlertsPerRequest: nonNegative('tocsin.api.max-alerts-per-request'),
      history: { enabled: boolValue('tocsin.history.enabled', str('tocsin.history.enabled')), retention: promDuration('tocsin.history.retention'), maxEvents: nonNegative('tocsin.history.max-events'), payloadBytes: nonNegative('tocsin.history.payload-bytes') },
      raw,
    },
  };
}

/** Host and port of a listen address (`:9093`, `127.0.0.1:0`, `[::1]:9093`). Empty host = all interfaces. */
export function splitHostPort(addr: string): { host: string; port: number } {
  const m = /^(?:\[([^\]]*)\]|([^:]*)):(\d+)$/.exec(addr);
  if (!m) throw new FlagError(`invalid listen address ${JSON.stringify(addr)}: missing port in address`);
  return { host: m[1] ?? m[2] ?? '', port: Number(m[3]) };
}

/**
 * --web.external-url and --web.route-prefix as upstream computes them (cmd/alertmanager/main.go extURL):
 * default external URL http://<hostname>:<port>; scheme must be http(s); trailing '/' removed; the prefix
 * defaults to the URL's path and is normalised to "/x" (no trailing slash, "/" for empty).
 */
export function resolveWebPaths(
  externalUrl: string,
  routePrefix: string,
  listenAddress: string,
  hostname: string,
): { externalURL: string; routePrefix: string } {
  let ext = externalUrl;
  if (ext === '') {
    const { port } = splitHostPort(listenAddress);
    ext = `http://${hostname}:${port}/`;
  }
  let u: URL;
  try {
    u = new URL(ext);
  } catch {
    throw new FlagError(`failed to determine external URL: parse ${JSON.stringify(ext)}: invalid URL`);
  }
  const scheme = u.protocol.replace(/:$/, '');
  if (scheme !== 'http' && scheme !== 'https') {
    throw new FlagError(`failed to determine external URL: "${ext}": invalid "${scheme}" scheme, only 'http' and 'https' are supported`);
  }
  const path = u.pathname.replace(/\/+$/, '');
  const externalURL = `${u.protocol}//${u.host}${path}`;
  let prefix = routePrefix === '' ? path : routePrefix;
  prefix = `/${prefix.replace(/^\/+|\/+$/g, '')}`;
  return { externalURL, routePrefix: prefix };
}
