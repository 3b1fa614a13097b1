/**
 * @module notifiers/registry
 * Integration type -> notifier factory, derived from the definitions (src/notifiers/index.ts): total by
 * construction, since a definition cannot be declared without its factory.
 */
import type { Notifier } from '../pipeline/types';
import type { NotifierDeps } from './definition';
import { definitions, type IntegrationConfig, type IntegrationType } from './index';

export type { NotifierDeps } from './definition';

export type NotifierFactory = (cfg: IntegrationConfig, deps: NotifierDeps) => Notifier;

function factories(): Record<IntegrationType, NotifierFactory> {
  const out = {} as Record<IntegrationType, NotifierFactory>;
  // each definition's factory takes its own settings; `cfg.type` picks the definition that decoded them
  for (const d of definitions) out[d.type] = d.create as NotifierFactory;
  return out;
}

export const notifierFactories: Readonly<Record<IntegrationType, NotifierFactory>> = factories();

/** Builds the notifier of one loaded integration. */
export function createNotifier(cfg: IntegrationConfig, deps: NotifierDeps): Notifier {
  return notifierFactories[cfg.type](cfg, deps);
}
