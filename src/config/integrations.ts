/**
 * @module config/integrations
 * The integrations the config loader decodes: the definitions of src/notifiers/index.ts (one line each, in
 * upstream's build order: the order integrations of a receiver are listed in, and `<type>_configs` keys are
 * serialised in).
 */
import { definitions, type IntegrationType } from '../notifiers/index';

export const integrations = definitions;

/**
 * Integrations Tocsin parses but cannot send yet: a config using one is rejected at load with a clear error
 * (checked once, in loader.ts), never silently dropped. Every definition has its factory, so this stays empty.
 */
export const UNSUPPORTED_INTEGRATIONS: readonly IntegrationType[] = [];
