/**
 * GET /api/v2/status and GET /api/v2/receivers (upstream api/v2/api.go getStatusHandler, getReceiversHandler).
 */
import express, { type Router } from 'express';
import { type Matcher, parseMatcher } from '../matchers';
import { matchFilterLabels } from './alert-filters';
import { queryList } from './query-params';
import { formatApiTime } from '../go/strfmt-time';
import { ApiError, sendError } from './errors';
import { goJsonString, labelSetJson, sendJson } from './respond';
import { tocsinStatusJson } from './tocsin-status';
import type { ApiDeps, ClusterStatus, VersionInfo } from './types';

function clusterJson(c: ClusterStatus): string {
  const name = c.name !== undefined ? `"name":${goJsonString(c.name)},` : '';
  const peers = c.peers.map((p) => `{"address":${goJsonString(p.address)},"name":${goJsonString(p.name)}}`).join(',');
  return `{${name}"peers":[${peers}],"status":"${c.status}"}`;
}

function versionJson(v: VersionInfo): string {
  return `{"branch":${goJsonString(v.branch)},"buildDate":${goJsonString(v.buildDate)},"buildUser":${goJsonString(v.buildUser)},"goVersion":${goJsonString(v.goVersion)},"revision":${goJsonString(v.revision)},"version":${goJsonString(v.version)}}`;
}

export function statusRoutes(deps: ApiDeps): Router {
  const router = express.Router();

  router.get('/status', (_req, res) => {
    const view = deps.view();
    // Tocsin extension after upstream's fields; Go clients (amtool, karma) ignore unknown fields
    const tocsin = deps.tocsinStatus ? `,"tocsin":${tocsinStatusJson(deps.tocsinStatus())}` : '';
    sendJson(
      res,
      200,
      `{"cluster":${clusterJson(deps.cluster())},"config":{"original":${goJsonString(view.loaded.original)}},"uptime":"${formatApiTime(deps.startTime)}","versionInfo":${versionJson(deps.versionInfo)}${tocsin}}`,
    );
  });

  router.get('/receivers', (req, res) => {
    const view = deps.view();
    let matchers: Matcher[];
    try {
      matchers = queryList(req.query.receiver_matchers).map((f) => parseMatcher(f, { mode: deps.matcherMode }));
    } catch (e) {
      sendError(res, new ApiError(400, `failed to parse receiver_matchers param: ${(e as Error).message}`));
      return;
    }
    const out: string[] = [];
    for (const r of view.loaded.config.receivers) {
      const labels: Record<string, string> = { ...(r.labels ?? {}), name: r.name };
      if (!matchFilterLabels(matchers, labels)) continue;
      out.push(`{"labels":${labelSetJson(labels)},"name":${goJsonString(r.name)}}`);
    }
    sendJson(res, 200, `[${out.join(',')}]`);
  });

  return router;
}
