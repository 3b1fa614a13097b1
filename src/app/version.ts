import type { VersionInfo } from '../api/types';
import { tocsinPackageVersion } from '../types/package-version';

/**
 * The Alertmanager release whose API and behaviour Tocsin matches (the reference describes upstream master
 * 0.34.0). Reported as versionInfo.version in /api/v2/status and in alertmanager_build_info, because clients
 * (amtool, operators, dashboards) key features on it. Tocsin's own version goes in tocsin_build_info.
 */
export const ALERTMANAGER_COMPAT_VERSION = '0.34.0';

export const TOCSIN_VERSION = tocsinPackageVersion();

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
