/**
 * @module types/package-version
 * Tocsin's own version, read from its package.json (the server's tocsin_build_info and status, the notifiers'
 * User-Agent, tocsinctl's version). One reader for src/ and dist/ alike; callers keep the result.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** The version of the nearest package.json named "tocsin" at or above `from` (default: this file's folder); '0.0.0' if none. */
export function tocsinPackageVersion(from: string = __dirname): string {
  let dir = from;
  for (let i = 0; i < 6; i++) {
    try {
      const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'tocsin' && pkg.version) return pkg.version;
    } catch {
      // none here (or unreadable): keep walking up
    }
    const up = dirname(dir);
    if (up === dir) break;
    dir = up;
  }
  return '0.0.0';
}
