import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { VersionInfo } from '../api/types';

/**
 * The Alertmanager release whose API and behaviour Tocsin matches (the reference describes upstream master
 * 0.34.0). Reported as versionInfo.version in /api/v2/status and in alertmanager_build_info, because clients
 * (amtool, operators, dashboards) key features on it. Tocsin's own version goes in tocsin_build_info.
 */
export const ALERTMANAGER_COMPAT_VERSION = '0.34.0';

function readPackageVersion(): string {
  for (const p of [path.join(__dirname, '..', '..', 'package.json'), path.join(__dirname, '..', 'package.json')]) {
    try {
      const pkg = JSON.parse(readFileSync(p, 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'tocsin' && pkg.version) return pkg.version;
    } catch {
      // try the next candidate
    }
  }
  return '0.0.0';
}

export const TOCSIN_VERSION = readPackageVersion();

export function versionInfo(): VersionInfo {
  return {
    version: ALERTMANAGER_COMPAT_VERSION,
    revision: `tocsin-${TOCSIN_VERSION}`,
    branch: 'tocsin',
    buildUser: 'tocsin',
    buildDate: '',
    goVersion: `node${process.versions.node}`,
  };
}
