/**
 * @module config/tocsin/with-main
 * Loads alertmanager.yml and, when given, tocsin.yml as one unit: both load, or the whole load fails with the
 * problems of both files at once (each located in its own file). Startup, SIGHUP, /-/reload and check-config all
 * go through here, so a reload that breaks either file keeps the old pair running.
 *
 * @example
 * const loaded = await loadConfigPair('alertmanager.yml', 'tocsin.yml');
 * loaded.tocsin?.config.receivers; // by receiver name
 */
import { ConfigError, type ConfigProblem } from '../../types/errors';
import { type LoadOptions, loadConfigFile } from '../loader';
import type { LoadedConfig } from '../types';
import { loadTocsinConfigFile } from './loader';

export async function loadConfigPair(configFile: string, tocsinFile: string | undefined, opts: LoadOptions = {}): Promise<LoadedConfig> {
  if (!tocsinFile) return loadConfigFile(configFile, opts);
  const problems: ConfigProblem[] = [];
  let loaded: LoadedConfig | undefined;
  try {
    loaded = await loadConfigFile(configFile, opts);
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    problems.push(...e.problems);
  }
  try {
    // receiver names are checked only against an alertmanager.yml that loaded
    const tocsin = await loadTocsinConfigFile(tocsinFile, loaded ? new Set(loaded.config.receivers.map((r) => r.name)) : undefined);
    if (loaded) return { ...loaded, tocsin };
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    problems.push(...e.problems);
  }
  throw new ConfigError(problems);
}
