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

/** Validates each file; the output mirrors amtool's (`Checking 'f'  SUCCESS`, `Found:` ...). */
export interface CheckOptions extends LoadOptions {
  /** parses one `templates` glob (absolute); resolves to an error text or undefined (amtool's per-template line) */
  checkTemplates?: (glob: string) => Promise<string | undefined>;
}

export async function checkConfig(files: readonly string[], opts: CheckOptions = {}): Promise<{ output: string; ok: boolean }> {
  let out = '';
  let failed = 0;
  for (const file of files) {
    try {
      const { config, warnings } = await loadConfigFile(file, opts);
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
          failed++;
          out += `  FAILED: ${err}\n`;
        }
      }
      for (const w of warnings) out += `   warning: ${w}\n`;
    } catch (e) {
      failed++;
      if (e instanceof ConfigError) {
        const n = e.problems.length;
        out += `Checking '${file}'  FAILED: ${n} problem${n === 1 ? '' : 's'}\n`;
        for (const p of e.problems) out += `  ${formatConfigProblem(p).replace(/\n/g, '\n  ')}\n`;
      } else {
        out += `Checking '${file}'  FAILED: ${(e as Error).message}\n`;
      }
    }
    out += '\n';
  }
  // amtool prints `amtool: error: failed to validate N file(s)` on stderr; the CLI prints its own
  return { output: out, ok: failed === 0 };
}
