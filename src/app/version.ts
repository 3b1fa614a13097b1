import { tocsinPackageVersion } from '../types/package-version';

/**
 * The Alertmanager release whose API and behaviour Tocsin matches (the reference describes upstream master
 * 0.34.0). Reported as versionInfo.version in /api/v2/status and in alertmanager_build_info, because clients
 * (amtool, operators, dashboards) key features on it. Tocsin's own version goes in tocsin_build_info.
 */
export const ALERTMANAGER_COMPAT_VERSION = '0.34.0';

/** Build information as /api/v2/status reports it (src/api/types re-exports it). */
export interface VersionInfo {
  version: string;
  revision: string;
  branch: string;
  buildUser: string;
  buildDate: string;
  goVersion: string;
}

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
