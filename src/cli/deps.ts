import type { Matcher } from '../matchers/types';
import { CliError } from './errors';

/**
 * Modules other parts of Tocsin provide, loaded when a command first needs them. Loading lazily keeps
 * `tocsinctl alert` from loading the config loader or the template engine, and lets a build in which a
 * module is missing still run every other command (the missing one fails with "not available yet").
 */
export type { MatcherParseMode as MatcherMode } from '../matchers';
import type { MatcherParseMode as MatcherMode } from '../matchers';

export interface MatchersModule {
  parseMatcher(input: string, opts?: { mode?: MatcherMode }): Matcher;
  parseMatchers(input: string, opts?: { mode?: MatcherMode }): Matcher[];
}

export interface TemplatesModule {
  renderTemplateCommand(opts: {
    globs: string[];
    text: string;
    dataJson?: string;
    type: 'text' | 'html';
  }): string | Promise<string>;
}

function load<T>(spec: string, feature: string, check: (m: Record<string, unknown>) => boolean): T {
  let mod: Record<string, unknown>;
  try {
    mod = require(spec) as Record<string, unknown>;
  } catch (err) {
    const e = err as { code?: string; message?: string };
    if (e.code === 'MODULE_NOT_FOUND' && String(e.message).includes(spec)) {
      throw new CliError(`${feature} is not available yet in this build of tocsinctl`);
    }
    throw err;
  }
  if (!check(mod)) throw new CliError(`${feature} is not available yet in this build of tocsinctl`);
  return mod as T;
}

export function loadTemplates(): TemplatesModule {
  return load<TemplatesModule>(
    '../templates',
    'template render',
    (m) => typeof m.renderTemplateCommand === 'function',
  );
}
