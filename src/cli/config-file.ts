import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseYaml } from './yaml';
import { CliError } from './errors';

/** Old key names amtool still accepts (upstream cli/root.go legacyFlags). */
const LEGACY: Record<string, string> = { comment_required: 'require-comment' };

/**
 * Config files, first wins per key: tocsinctl's own file, then amtool's (master paths), then the
 * paths Debian's amtool reads.
 */
export function configFilePaths(home: string): string[] {
  return [
    join(home, '.config/tocsin/tocsinctl.yml'),
    join(home, '.config/amtool/config.yml'),
    '/etc/amtool/config.yml',
    join(home, '.config/prometheus/amtool.yml'),
    '/etc/prometheus/amtool.yml',
  ];
}

/**
 * Reads the flag defaults of amtool's config file format (upstream cli/config/config.go): a YAML map
 * from flag name (`alertmanager.url`, `author`, `require-comment`, `output`, ...) to value. A missing
 * file is skipped; an unreadable or malformed one is an error.
 */
export function loadFlagDefaults(paths: string[]): Map<string, string> {
  const flags = new Map<string, string>();
  for (const p of paths) {
    let text: string;
    try {
      text = readFileSync(p, 'utf8');
    } catch (err) {
      if ((err as { code?: string }).code === 'ENOENT' || (err as { code?: string }).code === 'ENOTDIR') continue;
      throw new CliError(`could not load config file: ${p}: ${(err as Error).message}`);
    }
    let doc: unknown;
    try {
      doc = parseYaml(text);
    } catch (err) {
      throw new CliError(`could not load config file: ${p}: ${(err as Error).message.split('\n')[0]}`);
    }
    if (doc === null || doc === undefined) continue;
    if (typeof doc !== 'object' || Array.isArray(doc)) {
      throw new CliError(`could not load config file: ${p}: expected a map of flag names to values`);
    }
    const m = doc as Record<string, unknown>;
    for (const [rawKey, value] of Object.entries(m)) {
      let key = rawKey;
      const modern = LEGACY[rawKey];
      if (modern !== undefined) {
        if (modern in m) continue;
        key = modern;
      }
      if (value !== null && typeof value === 'object') {
        throw new CliError(`could not load config file: ${p}: value of ${rawKey} must be a scalar`);
      }
      if (!flags.has(key)) flags.set(key, value === null ? '' : String(value));
    }
  }
  return flags;
}
