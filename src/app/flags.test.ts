import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { FlagError, parseFlags, resolveWebPaths } from './flags';

function flags(argv: string[]) {
  const r = parseFlags(argv);
  if (r.kind !== 'flags') throw new Error(`unexpected ${r.kind}`);
  return r.flags;
}

describe('parseFlags', () => {
  it('has Alertmanager defaults', () => {
    const f = flags([]);
    expect(f.configFile).toBe('alertmanager.yml');
    expect(f.storagePath).toBe('data/');
    expect(f.dataRetention).toBe(120 * 3600_000);
    expect(f.alertsGcInterval).toBe(30 * 60_000);
    expect(f.webListenAddresses).toEqual([':9093']);
    expect(f.clusterListenAddress).toBe('0.0.0.0:9094');
    expect(f.logLevel).toBe('info');
    expect(f.logFormat).toBe('logfmt');
    expect(f.webRoutePrefix).toBe('');
  });

  it('--tocsin.api.* request limits: defaults far above a Prometheus batch, 0 = no limit, negatives refused', () => {
    const d = flags([]);
    expect([d.apiMaxRequestBytes, d.apiMaxDecompressedBytes, d.apiMaxAlertsPerRequest]).toEqual([8 * 1024 * 1024, 16 * 1024 * 1024, 10_000]);
    const f = flags(['--tocsin.api.max-request-bytes=1000', '--tocsin.api.max-decompressed-bytes', '0', '--tocsin.api.max-alerts-per-request=256']);
    expect([f.apiMaxRequestBytes, f.apiMaxDecompressedBytes, f.apiMaxAlertsPerRequest]).toEqual([1000, 0, 256]);
    expect(() => parseFlags(['--tocsin.api.max-alerts-per-request=-1'])).toThrow('invalid value "-1" for flag --tocsin.api.max-alerts-per-request: must be 0 (no limit) or more');
    expect(() => parseFlags(['--tocsin.api.max-request-bytes=8mb'])).toThrow(FlagError);
  });

  it('--tocsin.history.*: on, 14 days and 5M events by default; Prometheus durations; --no- turns recording off', () => {
    expect(flags([]).history).toEqual({ enabled: true, retention: 14 * 24 * 3600_000, maxEvents: 5_000_000, payloadBytes: 16_384 });
    expect(
      flags(['--tocsin.history.retention=36h', '--tocsin.history.max-events=0', '--no-tocsin.history.enabled', '--tocsin.history.payload-bytes=0']).history,
    ).toEqual({ enabled: false, retention: 36 * 3600_000, maxEvents: 0, payloadBytes: 0 });
    expect(() => parseFlags(['--tocsin.history.retention=2x'])).toThrow('invalid value "2x" for flag --tocsin.history.retention');
    expect(() => parseFlags(['--tocsin.history.max-events=-5'])).toThrow(FlagError);
  });

  it('accepts --flag=value and --flag value, repeatable flags and --no-bool', () => {
    const f = flags([
      '--config.file',
      'a.yml',
      '--storage.path=/tmp/x',
      '--web.listen-address=:1',
      '--web.listen-address',
      '127.0.0.1:2',
      '--cluster.peer=a:9094',
      '--cluster.peer=b:9094',
      '--no-log.silences',
      '--data.retention=1h30m',
    ]);
    expect(f.configFile).toBe('a.yml');
    expect(f.storagePath).toBe('/tmp/x');
    expect(f.webListenAddresses).toEqual([':1', '127.0.0.1:2']);
    expect(f.clusterPeers).toEqual(['a:9094', 'b:9094']);
    expect(f.logSilences).toBe(false);
    expect(f.dataRetention).toBe(90 * 60_000);
  });

  it("starts unchanged with prometheus-operator's arguments", () => {
    // the container args the operator generates for an Alertmanager statefulset (pkg/alertmanager/statefulset.go)
    const f = flags([
      '--config.file=/etc/alertmanager/config_out/alertmanager.env.yaml',
      '--storage.path=/alertmanager',
      '--data.retention=120h',
      '--cluster.listen-address=[$(POD_IP)]:9094',
      '--web.listen-address=:9093',
      '--web.external-url=http://alertmanager-main.monitoring.svc:9093',
      '--web.route-prefix=/',
      '--cluster.label=monitoring/main',
      '--cluster.peer=alertmanager-main-0.alertmanager-operated:9094',
      '--cluster.peer=alertmanager-main-1.alertmanager-operated:9094',
      '--cluster.reconnect-timeout=5m',
      '--web.config.file=/etc/alertmanager/web_config/web-config.yaml',
      '--cluster.advertise-address=[$(POD_IP)]:9094',
      '--cluster.peer-timeout=15s',
      '--cluster.gossip-interval=200ms',
      '--cluster.pushpull-interval=1m0s',
      '--log.level=info',
      '--log.format=logfmt',
      '--web.timeout=0s',
      '--web.get-concurrency=0',
      '--alerts.gc-interval=30m',
      '--enable-feature=receiver-name-in-metrics',
      '--auto-gomemlimit.ratio=0.9',
      '--dispatch.start-delay=0s',
    ]);
    expect(f.storagePath).toBe('/alertmanager');
    expect(f.clusterPeers).toHaveLength(2);
    expect(f.clusterFlagsGiven).toContain('cluster.label');
    expect(f.features).toEqual(['receiver-name-in-metrics']);
  });

  it('refuses unknown flags, bad values and unknown features like kingpin', () => {
    expect(() => parseFlags(['--nope'])).toThrow(new FlagError("unknown long flag '--nope', try --help"));
    expect(() => parseFlags(['--data.retention=5x'])).toThrow(FlagError);
    expect(() => parseFlags(['--log.format=xml'])).toThrow('unrecognized log format xml');
    expect(() => parseFlags(['--enable-feature=bogus'])).toThrow('Unknown option for --enable-feature: bogus');
    expect(() => parseFlags(['--config.file'])).toThrow("expected argument for flag '--config.file'");
    expect(() => parseFlags(['stray'])).toThrow('unexpected stray');
  });

  it('answers --help and --version', () => {
    const h = parseFlags(['--help']);
    expect(h.kind).toBe('help');
    if (h.kind === 'help') expect(h.text).toContain('--web.route-prefix');
    expect(parseFlags(['--version']).kind).toBe('version');
  });
});

describe('resolveWebPaths', () => {
  it('derives the external URL from the hostname and port, prefix "/"', () => {
    expect(resolveWebPaths('', '', ':9093', 'box')).toEqual({ externalURL: 'http://box:9093', routePrefix: '/' });
  });
  it("uses the external URL's path as the default prefix, normalised", () => {
    expect(resolveWebPaths('https://x.example/am/', '', ':9093', 'box')).toEqual({ externalURL: 'https://x.example/am', routePrefix: '/am' });
    expect(resolveWebPaths('https://x.example/am/', 'other/', ':9093', 'box').routePrefix).toBe('/other');
    expect(resolveWebPaths('https://x.example/am', '/', ':9093', 'box').routePrefix).toBe('/');
  });
  it('refuses non-http schemes with upstream wording', () => {
    expect(() => resolveWebPaths('ftp://x', '', ':9093', 'box')).toThrow(`invalid "ftp" scheme, only 'http' and 'https' are supported`);
  });
});

describe('HA flags (--tocsin.storage.url, issue 13)', () => {
  const parse = (argv: string[], env: Record<string, string> = {}) => {
    const r = parseFlags(argv, env);
    if (r.kind !== 'flags') throw new Error(`unexpected ${r.kind}`);
    return r.flags;
  };

  it('defaults to SQLite, a 10 s lease and names from the host', () => {
    const f = parse([]);
    expect(f.storageUrl).toBe('');
    expect(f.haLeaseDuration).toBe(10_000);
    expect(f.haReplicaName).toBe('');
  });

  it('reads the URL from the flag, else the file, else $TOCSIN_STORAGE_URL', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'tocsin-flags-'));
    try {
      const file = path.join(dir, 'url');
      writeFileSync(file, 'postgres://u:pw@db:5432/t\n');
      const env = { TOCSIN_STORAGE_URL: 'postgresql://env@db/e' };
      expect(parse(['--tocsin.storage.url=postgres://flag@db/f', `--tocsin.storage.url-file=${file}`], env).storageUrl).toBe('postgres://flag@db/f');
      expect(parse([`--tocsin.storage.url-file=${file}`], env).storageUrl).toBe('postgres://u:pw@db:5432/t');
      expect(parse([], env).storageUrl).toBe('postgresql://env@db/e');
      expect(() => parse([`--tocsin.storage.url-file=${path.join(dir, 'missing')}`])).toThrow('cannot read');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses a URL that is not postgres:// without echoing it (it may hold a password)', () => {
    let msg = '';
    try {
      parse(['--tocsin.storage.url=mysql://u:secret@db/x']);
    } catch (e) {
      expect(e).toBeInstanceOf(FlagError);
      msg = (e as Error).message;
    }
    expect(msg).toContain('postgres://');
    expect(msg).not.toContain('secret');
  });

  it('takes the lease duration as a Go duration and refuses 0', () => {
    expect(parse(['--tocsin.ha.lease-duration=15s']).haLeaseDuration).toBe(15_000);
    expect(() => parse(['--tocsin.ha.lease-duration=0s'])).toThrow('must be positive');
  });
});
