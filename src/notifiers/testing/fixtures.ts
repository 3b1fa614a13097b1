/**
 * @module notifiers/testing/fixtures
 * Shared inputs for notifier tests: a NotifyContext, alerts with fixed times, a logger that records its lines,
 * a template renderer over Tocsin's default templates, and golden-file comparison (UPDATE_GOLDEN=1 rewrites).
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { Writable } from 'node:stream';
import pino from 'pino';
import { loadConfigString } from '../../config/loader';
import type { IntegrationConfig, IntegrationType } from '../index';
import type { Notifier, NotifyContext } from '../../pipeline/types';
import { buildTemplateData } from '../../templates/data';
import { TemplateSet } from '../../templates/template-set';
import type { Alert, LabelSet } from '../../types/alert';
import type { NotifyError } from '../../types/errors';
import { fingerprint } from '../../types/fingerprint';
import { type Logger, silentLogger } from '../../types/logger';
import type { Renderer, TemplatedNotifierDeps } from '../shared/render';

/** 2026-11-24T22:07:42.86Z: the reference time of the fixtures */
export const T0 = Date.UTC(2026, 10, 24, 22, 7, 42, 860);
export const EXTERNAL_URL = 'http://am.example:9093';

export function alert(labels: LabelSet, o: { annotations?: LabelSet; startsAt?: number; endsAt?: number; generatorURL?: string } = {}): Alert {
  return {
    labels,
    annotations: o.annotations ?? {},
    startsAt: o.startsAt ?? T0,
    endsAt: o.endsAt ?? 0,
    updatedAt: o.startsAt ?? T0,
    generatorURL: o.generatorURL ?? '',
    timeout: false,
    fingerprint: fingerprint(labels),
  };
}

/** Two firing alerts, one resolved, all in group alertname=HighLatency. */
export const FIRING: readonly Alert[] = [
  alert({ alertname: 'HighLatency', instance: 'a:9100', job: 'api', severity: 'critical' }, { annotations: { summary: 'p99 above 2s' }, generatorURL: 'http://prom:9090/graph?g0.expr=up' }),
  alert({ alertname: 'HighLatency', instance: 'b:9100', job: 'api', severity: 'critical' }, { annotations: { summary: 'p99 above 2s' }, startsAt: T0 + 500 }),
];
export const RESOLVED: readonly Alert[] = [alert({ alertname: 'HighLatency', instance: 'c:9100', job: 'api', severity: 'critical' }, { annotations: { summary: 'p99 above 2s' }, startsAt: T0 - 60_000, endsAt: T0 + 100 })];
export const MIXED: readonly Alert[] = [...FIRING, ...RESOLVED];

export function notifyContext(o: Partial<NotifyContext> = {}): NotifyContext {
  return {
    receiver: 'team-a',
    groupKey: '{}:{alertname="HighLatency"}',
    groupLabels: { alertname: 'HighLatency' },
    routeId: '{}',
    routeLabels: {},
    now: T0 + 1000,
    repeatInterval: 4 * 3600_000,
    muteTimeIntervals: [],
    activeTimeIntervals: [],
    signal: new AbortController().signal,
    logger: silentLogger(),
    notificationReason: 'first notification',
    ...o,
  };
}

/** A pino logger whose lines are kept (as raw JSON text) for no-secret assertions. */
export function recordingLogger(): { logger: Logger; lines: string[] } {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, cb) {
      lines.push(chunk.toString('utf8'));
      cb();
    },
  });
  return { logger: pino({ level: 'debug' }, stream), lines };
}

let defaults: TemplateSet | undefined;

/** The default templates (cached per test file; read-only). */
export function defaultTemplates(): TemplateSet {
  defaults ??= TemplateSet.fromSources([], { now: () => T0 });
  return defaults;
}

/** A Renderer for one notification, as the dispatcher builds it. */
export function rendererFor(ctx: NotifyContext, alerts: readonly Alert[], externalURL = EXTERNAL_URL, set = defaultTemplates()): Renderer {
  let built: ReturnType<typeof buildTemplateData> | undefined;
  const data = () =>
    (built ??= buildTemplateData({
      receiver: ctx.receiver,
      alerts,
      groupLabels: ctx.groupLabels,
      routeLabels: ctx.routeLabels,
      externalURL,
      now: ctx.now,
      ...(ctx.notificationReason ? { notificationReason: ctx.notificationReason } : {}),
    }));
  return { text: (s) => set.renderText(s, data()), html: (s) => set.renderHtml(s, data()) };
}

/** What a test passes to a notifier factory: the deps it wants to set; the rest get test defaults. */
export interface TestDepsOptions {
  userAgent?: string;
  logger?: Logger;
  /** per-request timeout in ms; 0 or absent = none */
  timeout?: number;
}

/** TemplatedNotifierDeps for a test: user agent Alertmanager/test, a recording logger, the default templates. */
export function templatedDeps(o: TestDepsOptions = {}): TemplatedNotifierDeps {
  return {
    userAgent: o.userAgent ?? 'Alertmanager/test',
    logger: o.logger ?? recordingLogger().logger,
    render: (ctx, alerts) => rendererFor(ctx, alerts),
    ...(o.timeout ? { timeout: o.timeout } : {}),
  };
}

/**
 * For notifiers that make several calls (outside the single-request contract): with a receiver that answers slower
 * than 80 ms, an 80 ms per-request timeout fails retryable (contextDeadlineExceeded) and the pipeline's abort fails
 * for good (contextCanceled). `make(timeoutMs)` builds the notifier (0 = no timeout).
 */
export async function expectDeadlineThenCancel(make: (timeoutMs: number) => Notifier): Promise<void> {
  const e1 = (await make(80)
    .notify(notifyContext(), FIRING)
    .catch((x: unknown) => x)) as NotifyError;
  expect(e1.retryable).toBe(true);
  expect(e1.reason).toBe('contextDeadlineExceeded');
  const ac = new AbortController();
  setTimeout(() => ac.abort(), 50);
  const e2 = (await make(0)
    .notify(notifyContext({ signal: ac.signal }), FIRING)
    .catch((x: unknown) => x)) as NotifyError;
  expect(e2.retryable).toBe(false);
  expect(e2.reason).toBe('contextCanceled');
}

/** Compares `actual` with the golden file; UPDATE_GOLDEN=1 (re)writes it. */
export function expectGolden(file: string, actual: string): void {
  if (process.env.UPDATE_GOLDEN === '1' || !existsSync(file)) {
    if (process.env.UPDATE_GOLDEN !== '1' && process.env.CI) throw new Error(`golden file missing: ${file}`);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, actual);
  }
  expect(actual).toBe(readFileSync(file, 'utf8'));
}

/**
 * One integration's validated config, through the real config loader (defaults and global fallbacks applied):
 * `integrationConfig('slack', { api_url: 'http://x' })`. JSON is valid YAML, so objects are written as JSON.
 */
export function integrationConfig<T extends IntegrationType>(type: T, item: Record<string, unknown>, global: Record<string, unknown> = {}): IntegrationConfig<T> {
  const text = `global: ${JSON.stringify(global)}\nroute: {receiver: team-a}\nreceivers:\n- name: team-a\n  ${type}_configs:\n  - ${JSON.stringify(item)}\n`;
  const loaded = loadConfigString(text, 'notifier-test.yml');
  const ic = loaded.config.receivers[0]!.integrations.find((i) => i.type === type);
  if (!ic) throw new Error(`no ${type} integration in the loaded config`);
  // its type is `type`, so its settings are that integration's
  return ic as IntegrationConfig<T>;
}
