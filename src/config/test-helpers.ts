/**
 * @module config/test-helpers
 * Helpers for integration config tests (src/notifiers/<type>/config.test.ts): load a one-receiver config
 * around a YAML snippet and return the decoded settings, or the problems. Schema tests accept integrations that
 * have no notifier yet (LoadOptions.acceptUnsupported).
 */
import { ConfigError, type ConfigProblem } from '../types/errors';
import { type LoadOptions, loadConfigString } from './loader';
import type { LoadedConfig } from './types';

function indent(text: string, by: string): string {
  return text
    .trim()
    .split('\n')
    .map((l) => by + l)
    .join('\n');
}

/** Builds config text with one receiver "r" holding `<type>_configs: [<item>]`, and an optional global block. */
export function integrationConfigText(type: string, item: string, global = ''): string {
  const g = global ? `global:\n${indent(global, '  ')}\n` : '';
  return `${g}route:\n  receiver: r\nreceivers:\n  - name: r\n    ${type}_configs:\n      -\n${indent(item, '        ')}\n`;
}

/** Loads the snippet; returns the first integration's settings. Throws ConfigError on problems. */
export function loadIntegration(type: string, item: string, global = '', opts?: LoadOptions): { settings: Record<string, unknown>; loaded: LoadedConfig } {
  const loaded = loadConfigString(integrationConfigText(type, item, global), '/etc/tocsin/test.yml', { acceptUnsupported: true, ...opts });
  const settings = loaded.config.receivers[0]!.integrations[0]!.settings;
  return { settings, loaded };
}

/** Loads the snippet and returns its problems (empty when it loads). */
export function integrationProblems(type: string, item: string, global = ''): ConfigProblem[] {
  try {
    loadConfigString(integrationConfigText(type, item, global), '/etc/tocsin/test.yml', { acceptUnsupported: true });
    return [];
  } catch (e) {
    if (e instanceof ConfigError) return [...e.problems];
    throw e;
  }
}

/** Just the messages of integrationProblems. */
export function integrationErrors(type: string, item: string, global = ''): string[] {
  return integrationProblems(type, item, global).map((p) => p.message);
}
