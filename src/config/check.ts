/**
 * @module config/check
 * `tocsinctl check-config`: amtool check-config's output (§1.10), with our located, multi-problem errors.
 *
 * @example
 * const { output, ok } = await checkConfig(['alertmanager.yml']);
 * process.stdout.write(output);
 */
import { ConfigError, formatConfigProblem } from '../types/errors';
import { type LoadOptions, loadConfigFile } from './loader';
import { loadTocsinConfigFile } from './tocsin/loader';

/** Validates each file; the output mirrors amtool's (`Checking 'f'  SUCCESS`, `Found:` ...). */
export interface CheckOptions extends LoadOptions {
  /** parses one `templates` glob (absolute); resolves to an error text or undefined (amtool's per-template line) */
  checkTemplates?: (glob: string) => Promise<string | undefined>;
  /** --tocsin.config.file: checked after the config files, its receiver names against theirs */
  tocsinFile?: string;
}

export interface CheckResult {
  output: string;
  ok: boolean;
  /** files that failed (amtool's `failed to validate N file(s)`) */
  failed: number;
}

export async function checkConfig(files: readonly string[], opts: CheckOptions = {}): Promise<CheckResult> {
  let out = '';
  let failed = 0;
  /** receivers of the config files that loaded (tocsin.yml's names are checked against them) */
  let receivers: Set<string> | undefined;
  for (const file of files) {
    let fileFailed = false;
    try {
      // template files are checked below, one amtool line per glob, not as config problems
      const { config, warnings } = await loadConfigFile(file, { ...opts, templateFiles: false });
      receivers ??= new Set();
      for (const r of config.receivers) receivers.add(r.name);
      out += `Checking '${file}'  SUCCESS\n`;
      out += 'Found:\n';
      out += ' - global config\n';
      out += ' - route\n';
      out += ` - ${config.inhibit_rules.length} inhibit rules\n`;
      out += ` - ${config.receivers.length} receivers\n`;
      out += ` - ${config.templates.length} templates\n`;
      for (const t of opts.checkTemplates ? config.templates : []) {
        const err = await opts.checkTemplates!(t);
        if (err === undefined) out += '  SUCCESS\n';
        else {
          fileFailed = true;
          out += `  FAILED: ${err}\n`;
        }
      }
      for (const w of warnings) out += `   warning: ${w}\n`;
    } catch (e) {
      fileFailed = true;
      out += failedLines(file, e);
    }
    if (fileFailed) failed++;
    out += '\n';
  }
  if (opts.tocsinFile !== undefined) {
    try {
      const t = await loadTocsinConfigFile(opts.tocsinFile, receivers);
      const named = Object.keys(t.config.receivers).length;
      out += `Checking '${opts.tocsinFile}'  SUCCESS\nFound:\n - tocsin settings for ${named} receiver${named === 1 ? '' : 's'}\n`;
    } catch (e) {
      failed++;
      out += failedLines(opts.tocsinFile, e);
    }
    out += '\n';
  }
  // amtool prints `amtool: error: failed to validate N file(s)` on stderr; the CLI prints its own
  return { output: out, ok: failed === 0, failed };
}

/** amtool's one-line form first (scripts grep it), then every located problem. */
function failedLines(file: string, e: unknown): string {
  if (!(e instanceof ConfigError) || e.problems.length === 0) return `Checking '${file}'  FAILED: ${(e as Error).message}\n`;
  const n = e.problems.length;
  const more = n > 1 ? ` (and ${n - 1} more problem${n === 2 ? '' : 's'})` : '';
  let out = `Checking '${file}'  FAILED: ${e.problems[0]!.message}${more}\n`;
  for (const p of e.problems) out += `  ${formatConfigProblem(p).replace(/\n/g, '\n  ')}\n`;
  return out;
}
