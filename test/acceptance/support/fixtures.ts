/**
 * Test fixtures for dispatch tests: a small Matcher implementation (until src/matchers lands), fingerprints,
 * alert builders and route/config builders.
 */
import { RE2JS } from 're2js';
import type { Config, IntegrationConfig, ReceiverConfig, RouteConfig } from '../../../src/config/types';
import type { Matcher, MatchType } from '../../../src/matchers/types';
import type { Alert, LabelSet } from '../../../src/types/alert';
import { Secret } from '../../../src/types/secret';

export function matcher(name: string, type: MatchType, value: string): Matcher {
  const re = type === '=~' || type === '!~' ? RE2JS.compile(`^(?:${value})$`) : undefined;
  const esc = value.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');
  return {
    name,
    type,
    value,
    matches(v: string): boolean {
      switch (type) {
        case '=':
          return v === value;
        case '!=':
          return v !== value;
        case '=~':
          return re!.matches(v);
        case '!~':
          return !re!.matches(v);
      }
    },
    toString: () => `${name}${type}"${esc}"`,
  };
}

export const eq = (n: string, v: string): Matcher => matcher(n, '=', v);
export const re = (n: string, v: string): Matcher => matcher(n, '=~', v);

/** FNV-1a 64 over sorted labels (name, 0xff, value, 0xff), 16 hex digits. */
export function fingerprintOf(labels: LabelSet): string {
  let h = 0xcbf29ce484222325n;
  const prime = 0x100000001b3n;
  const mask = 0xffffffffffffffffn;
  const names = Object.keys(labels).sort();
  for (const n of names) {
    for (const b of Buffer.from(n, 'utf8')) h = ((h ^ BigInt(b)) * prime) & mask;
    h = ((h ^ 0xffn) * prime) & mask;
    for (const b of Buffer.from(labels[n]!, 'utf8')) h = ((h ^ BigInt(b)) * prime) & mask;
    h = ((h ^ 0xffn) * prime) & mask;
  }
  return h.toString(16).padStart(16, '0');
}

export function mkAlert(labels: LabelSet, o: Partial<Omit<Alert, 'labels' | 'fingerprint'>> = {}): Alert {
  return {
    labels,
    annotations: o.annotations ?? {},
    startsAt: o.startsAt ?? 0,
    endsAt: o.endsAt ?? 0,
    updatedAt: o.updatedAt ?? o.startsAt ?? 0,
    generatorURL: o.generatorURL ?? '',
    timeout: o.timeout ?? false,
    fingerprint: fingerprintOf(labels),
  };
}

export function route(o: Partial<RouteConfig> = {}): RouteConfig {
  return { continue: false, matchers: [], mute_time_intervals: [], active_time_intervals: [], routes: [], ...o };
}

export function webhookIntegration(url: string, o: Record<string, unknown> = {}, index = 0): IntegrationConfig<'webhook'> {
  const { send_resolved, ...rest } = o;
  const sendResolved = (send_resolved as boolean | undefined) ?? true;
  return {
    type: 'webhook',
    index,
    send_resolved: sendResolved,
    settings: { url: Secret.inline(url), max_alerts: 0, timeout: 0, send_resolved: sendResolved, http_config: defaultHttpConfig(), ...rest },
  };
}

export function defaultHttpConfig() {
  return { tls_config: { insecure_skip_verify: false }, follow_redirects: true, enable_http2: true, proxy_from_environment: false };
}

export function config(o: { route: RouteConfig; receivers: ReceiverConfig[]; inhibit_rules?: Config['inhibit_rules']; resolve_timeout?: number; time_intervals?: Config['time_intervals'] }): Config {
  return {
    global: { resolve_timeout: o.resolve_timeout ?? 300_000, http_config: defaultHttpConfig(), smtp_hello: 'localhost', smtp_require_tls: true },
    route: o.route,
    inhibit_rules: o.inhibit_rules ?? [],
    receivers: o.receivers,
    templates: [],
    time_intervals: o.time_intervals ?? [],
    mute_time_intervals: [],
  };
}
