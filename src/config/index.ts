/**
 * @module config
 * The config loader: YAML → validated Config (src/config/types.ts), amtool-style check-config.
 */
export { checkConfig } from './check';
export { type LoadOptions, loadConfigFile, loadConfigString } from './loader';
export type * from './types';
export { loadTocsinConfigFile, loadTocsinConfigString } from './tocsin/loader';
export { loadConfigPair } from './tocsin/with-main';
