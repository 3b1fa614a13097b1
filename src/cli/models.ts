/**
 * The API v2 objects tocsinctl reads and writes (the shared wire types of src/wire/api.ts), and helpers that put
 * their keys in the order of the go-swagger model structs, so that `-o json` prints the same bytes as
 * amtool whatever order the server used.
 */
import { type MatchType, matchTypeFromApi } from '../matchers';
import type { AlertmanagerStatus, ApiMatcher, ClusterStatus, GettableAlert, GettableSilence, WireLabelSet } from '../wire/api';

export type { AlertmanagerStatus, ApiMatcher, ClusterStatus, GettableAlert, GettableSilence, PeerStatus, PostableAlert, PostableSilence, Silence, VersionInfo } from '../wire/api';
export type LabelSet = WireLabelSet;

/** Copies `obj` with the listed keys first (in that order) and any other keys after them. */
export function ordered<T extends object>(obj: T, keys: readonly string[]): T {
  const src = obj as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const k of keys) if (src[k] !== undefined) out[k] = src[k];
  for (const k of Object.keys(src)) if (!(k in out) && src[k] !== undefined) out[k] = src[k];
  return out as T;
}

function sortedKeys(ls: LabelSet | undefined): LabelSet | undefined {
  if (ls === undefined || ls === null) return ls;
  const out: LabelSet = {};
  for (const k of Object.keys(ls).sort()) out[k] = ls[k] as string;
  return out;
}

/** Go encodes map keys sorted. */
const MATCHER_KEYS = ['isEqual', 'isRegex', 'name', 'value'];

export function goAlert(a: GettableAlert): GettableAlert {
  const status = ordered(a.status, ['inhibitedBy', 'mutedBy', 'silencedBy', 'state']);
  const receivers = (a.receivers ?? []).map((r) => ordered(r, ['name']));
  const out = { ...a, status, receivers, labels: sortedKeys(a.labels), annotations: sortedKeys(a.annotations) };
  if (out.generatorURL === '') out.generatorURL = undefined;
  return ordered(out as GettableAlert, [
    'annotations',
    'endsAt',
    'fingerprint',
    'receivers',
    'startsAt',
    'status',
    'updatedAt',
    'generatorURL',
    'labels',
  ]);
}

export function goSilence(s: GettableSilence): GettableSilence {
  const matchers = (s.matchers ?? []).map((m) => ordered(m, MATCHER_KEYS));
  const out = { ...s, matchers, status: ordered(s.status, ['state']), annotations: sortedKeys(s.annotations) };
  if (out.annotations !== undefined && Object.keys(out.annotations).length === 0) out.annotations = undefined;
  return ordered(out as GettableSilence, [
    'id',
    'status',
    'updatedAt',
    'annotations',
    'comment',
    'createdBy',
    'endsAt',
    'matchers',
    'startsAt',
  ]);
}

export function goCluster(c: ClusterStatus): ClusterStatus {
  const out = { ...c, peers: (c.peers ?? []).map((p) => ordered(p, ['address', 'name'])) };
  if (out.name === '') out.name = undefined;
  return ordered(out, ['name', 'peers', 'status']);
}

export function goStatus(s: AlertmanagerStatus): AlertmanagerStatus {
  // only the model's fields, as amtool decodes into models.AlertmanagerStatus: a server's extra fields (such as
  // Tocsin's own `tocsin` block) are not printed
  const out: AlertmanagerStatus = {
    cluster: goCluster(s.cluster),
    config: ordered(s.config, ['original']),
    uptime: s.uptime,
    versionInfo: ordered(s.versionInfo, ['branch', 'buildDate', 'buildUser', 'goVersion', 'revision', 'version']),
  };
  return ordered(out, ['cluster', 'config', 'uptime', 'versionInfo']);
}

/** The matcher operator an API matcher stands for (isEqual defaults to true for old servers). */
export function matcherOp(m: ApiMatcher): MatchType {
  return matchTypeFromApi(m.isRegex, m.isEqual);
}
