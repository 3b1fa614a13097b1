/**
 * @module notifiers/definition
 * What one integration is (STYLE.md 5.4): its type (the YAML key is `<type>_configs`), its config schema (fields,
 * defaults, cross-field rules with upstream's exact error texts, global fallbacks) with the settings type inferred
 * from it, its keys in the `global` block, its notifier factory and its retry policy. Each
 * src/notifiers/<type>/index.ts exports one; src/notifiers/index.ts lists them, and every other list (config keys,
 * the registry, metric label values) is derived from that array.
 */
import type { Notifier, NotifyContext } from '../pipeline/types';
import type { Fields, Infer, ObjectAt, ObjectSchema } from '../schema/schema';
import type { Alert } from '../types/alert';
import type { Logger } from '../types/logger';

export interface NotifierDeps {
  externalURL: string;
  userAgent: string;
  logger: Logger;
  /** template rendering for templated fields, when the template engine is available */
  renderText?: (text: string, ctx: NotifyContext, alerts: readonly Alert[]) => string;
  /** HTML-escaping rendering (email `html`); falls back to renderText when absent */
  renderHtml?: (text: string, ctx: NotifyContext, alerts: readonly Alert[]) => string;
}

/** One entry of a receiver's `<type>_configs`, as the config loader decoded it. */
export interface IntegrationInstance<T extends string = string, S = Record<string, unknown>> {
  type: T;
  /** position within the receiver's `<type>_configs` list (upstream integration index) */
  index: number;
  send_resolved: boolean;
  /** the validated settings: YAML key names, defaults and global fallbacks applied */
  settings: S;
}

/** An integration's keys in the `global` block (e.g. `slack_api_url`), and the rules between them. */
export interface IntegrationGlobals {
  readonly fields: Fields;
  readonly check?: (global: Record<string, unknown>, at: ObjectAt) => void;
}

export interface IntegrationDefinition<T extends string = string, S = unknown> {
  readonly type: T;
  readonly schema: ObjectSchema;
  /** error for a null list item (`- `), e.g. "missing webhook config"; undefined = decode it as {} */
  readonly nullItem?: string;
  readonly globals?: IntegrationGlobals;
  /** status codes retried besides 5xx and transport errors (upstream's Retrier RetryCodes); 'all' = every failure */
  readonly retryCodes: (settings: S) => RetryCodes;
  readonly create: (cfg: IntegrationInstance<T, S>, deps: NotifierDeps) => Notifier;
}

/** The settings type of a definition. */
export type SettingsOf<D> = D extends { readonly retryCodes: (settings: infer S) => unknown } ? S : never;

/** Extra retried status codes, or 'all' when every failure is retried (telegram, as upstream). */
export type RetryCodes = readonly number[] | 'all';

const NO_RETRY_CODES: readonly number[] = [];

/**
 * Declares an integration. The settings type is inferred from `schema`; `nullItem` defaults to upstream's
 * `missing <type> config` (false = a null item decodes as {}); no `retryCodes` = 5xx only.
 */
export function defineIntegration<const T extends string, F extends Fields>(d: {
  type: T;
  schema: ObjectSchema<F>;
  nullItem?: string | false;
  globals?: IntegrationGlobals;
  retryCodes?: (settings: Infer<F>) => RetryCodes;
  create: (cfg: IntegrationInstance<T, Infer<F>>, deps: NotifierDeps) => Notifier;
}): IntegrationDefinition<T, Infer<F>> {
  const out: { -readonly [K in keyof IntegrationDefinition<T, Infer<F>>]: IntegrationDefinition<T, Infer<F>>[K] } = {
    type: d.type,
    schema: d.schema,
    retryCodes: d.retryCodes ?? (() => NO_RETRY_CODES),
    create: d.create,
  };
  if (d.nullItem !== false) out.nullItem = d.nullItem ?? `missing ${d.type} config`;
  if (d.globals) out.globals = d.globals;
  return out;
}
