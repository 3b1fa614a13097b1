/**
 * What `--enable-feature` turns on (upstream featurecontrol/featurecontrol.go), and the notices for accepted
 * options Tocsin does not act on: every one either works or says so.
 */
import type { Config } from '../config/types';
import type { Logger } from '../types/logger';
import type { ALLOWED_FEATURES } from './flags';

export interface MetricLabelFeatures {
  /** alert-names-in-metrics: `alertname` on alertmanager_alerts_limited_total */
  alertNamesInMetrics: boolean;
  /** receiver-name-in-metrics: `receiver_name` on the notification metrics */
  receiverNameInMetrics: boolean;
  /** group-key-in-metrics: alertmanager_alerts per aggregation group, with `group_key` */
  groupKeyInMetrics: boolean;
}

export function metricLabelFeatures(features: readonly string[]): MetricLabelFeatures {
  return {
    alertNamesInMetrics: features.includes('alert-names-in-metrics'),
    receiverNameInMetrics: features.includes('receiver-name-in-metrics'),
    groupKeyInMetrics: features.includes('group-key-in-metrics'),
  };
}

/** Upstream's startup line per enabled feature (every allowed one); the ones Tocsin does not act on say what happens instead. */
const FEATURE_NOTICES: Readonly<Record<(typeof ALLOWED_FEATURES)[number], { level: 'warn' | 'debug'; msg: string }>> = {
  'alert-names-in-metrics': { level: 'warn', msg: 'Alert names in metrics enabled' },
  'receiver-name-in-metrics': { level: 'warn', msg: 'Experimental receiver name in metrics enabled' },
  'group-key-in-metrics': { level: 'warn', msg: 'Experimental group key in metrics enabled' },
  'classic-mode': { level: 'warn', msg: 'Classic mode enabled' },
  'utf8-strict-mode': { level: 'warn', msg: 'UTF-8 strict mode enabled' },
  // Go's GOMEMLIMIT has no Node.js counterpart worth setting: V8 sizes its heap itself
  'auto-gomemlimit': { level: 'debug', msg: 'auto-gomemlimit has no effect in Tocsin (no Go runtime; Node.js sizes its own heap); ignored' },
  'event-recorder': { level: 'warn', msg: 'Experimental event recorder enabled' },
};

/** Logs one line per enabled feature, at startup. */
export function logEnabledFeatures(features: readonly string[], logger: Logger): void {
  for (const f of new Set(features)) {
    const n = FEATURE_NOTICES[f as keyof typeof FEATURE_NOTICES];
    if (n) logger[n.level]({ feature: f }, n.msg);
  }
}

/** Config blocks of master that Tocsin accepts but does not act on. */
const IGNORED_BLOCKS: Readonly<Record<'tracing', string>> = {
  tracing: 'Tracing is not supported by Tocsin: the tracing block of the configuration is ignored',
};

/**
 * Warns about ignored config blocks once per process: at the first load that has the block, not again on
 * every reload.
 */
export function ignoredConfigNotices(logger: Logger): (config: Config, file: string) => void {
  const warned = new Set<string>();
  return (config, file) => {
    for (const key of ['tracing'] as const) {
      if (config[key] === undefined || warned.has(key)) continue;
      warned.add(key);
      logger.warn({ file, key }, IGNORED_BLOCKS[key]);
    }
  };
}
