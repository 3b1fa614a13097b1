/**
 * @module api/alert-json
 * A gettableAlert's JSON (upstream's field order: annotations, endsAt, fingerprint, receivers, startsAt, status,
 * updatedAt, generatorURL, labels) built from parts cached per alert. Stored alerts are immutable (a merge stores a
 * new object), so the parts that come from the alert itself are encoded once per stored version and live as long as
 * it does (a WeakMap); the receivers part is kept for the current config view (one string for all alerts with the
 * same receivers); only the status part, which changes
 * without the alert changing (silences, inhibitions), is written per request, and its common shapes are constants.
 */
import { formatApiTime } from '../go/strfmt-time';
import type { Alert } from '../types/alert';
import type { AlertStatus } from '../types/marker';
import { goJsonString, labelSetJson } from './respond';

interface CachedParts {
  /** `{"annotations":…,"endsAt":…,"fingerprint":…,"receivers":` */
  readonly pre: string;
  /** `,"startsAt":…,"status":` */
  readonly mid: string;
  /** `,"updatedAt":…,"generatorURL":…,"labels":…}` */
  readonly post: string;
  /** the receivers as last computed, for the view (its number in viewIds) they were computed with */
  view?: number;
  receivers?: AlertReceivers;
}

const partsOf = new WeakMap<Alert, CachedParts>();
/** config views by number: an alert's parts never keep an old view (and its dispatch) alive */
const viewIds = new WeakMap<object, number>();
let lastViewId = 0;

function parts(a: Alert): CachedParts {
  let p = partsOf.get(a);
  if (p === undefined) {
    const gen = a.generatorURL !== '' ? `"generatorURL":${goJsonString(a.generatorURL)},` : '';
    p = {
      pre: `{"annotations":${labelSetJson(a.annotations)},"endsAt":"${formatApiTime(a.endsAt)}","fingerprint":"${a.fingerprint}","receivers":`,
      mid: `,"startsAt":"${formatApiTime(a.startsAt)}","status":`,
      post: `,"updatedAt":"${formatApiTime(a.updatedAt)}",${gen}"labels":${labelSetJson(a.labels)}}`,
    };
    partsOf.set(a, p);
  }
  return p;
}

/** `[{"name":"a"},…]` */
export function receiversJson(receivers: readonly string[]): string {
  let out = '[';
  for (let i = 0; i < receivers.length; i++) out += `${i > 0 ? ',' : ''}{"name":${goJsonString(receivers[i]!)}}`;
  return `${out}]`;
}

const stringList = (xs: readonly string[]): string => (xs.length === 0 ? '[]' : `[${xs.map(goJsonString).join(',')}]`);
const PLAIN_STATUS = {
  active: '{"inhibitedBy":[],"mutedBy":[],"silencedBy":[],"state":"active"}',
  suppressed: '{"inhibitedBy":[],"mutedBy":[],"silencedBy":[],"state":"suppressed"}',
  unprocessed: '{"inhibitedBy":[],"mutedBy":[],"silencedBy":[],"state":"unprocessed"}',
} as const;

/** The alertStatus object's JSON. */
export function statusJson(s: AlertStatus): string {
  if (s.inhibitedBy.length === 0 && s.mutedBy.length === 0 && s.silencedBy.length === 0) return PLAIN_STATUS[s.state];
  return `{"inhibitedBy":${stringList(s.inhibitedBy)},"mutedBy":${stringList(s.mutedBy)},"silencedBy":${stringList(s.silencedBy)},"state":"${s.state}"}`;
}

/** The parts of an alert's JSON around its receivers and status. */
export type AlertParts = { readonly pre: string; readonly mid: string; readonly post: string };

/** The cached parts of the alert's JSON: write `pre`, the receivers' JSON, `mid`, the status's JSON, `post`. */
export function alertParts(a: Alert): AlertParts {
  return parts(a);
}

/** The gettableAlert's JSON with the given receivers' and status's JSON. */
export function alertJson(a: Alert, receivers: string, status: string): string {
  const p = parts(a);
  return `${p.pre}${receivers}${p.mid}${status}${p.post}`;
}

/** An alert's receivers and their JSON; equal lists share one (interned per config view). */
export interface AlertReceivers {
  readonly list: readonly string[];
  readonly json: string;
}

let internedFor = 0;
let interned = new Map<string, AlertReceivers>();

/**
 * The alert's receivers under `view`, computed by `receiversFor` once per alert version and view.
 */
export function alertReceivers(a: Alert, view: object, receiversFor: (a: Alert) => readonly string[]): AlertReceivers {
  const p = parts(a);
  let id = viewIds.get(view);
  if (id === undefined) {
    id = ++lastViewId;
    viewIds.set(view, id);
  }
  if (p.view !== id || p.receivers === undefined) {
    if (internedFor !== id) {
      internedFor = id;
      interned = new Map();
    }
    const list = receiversFor(a);
    const json = receiversJson(list);
    let r = interned.get(json);
    if (r === undefined) {
      r = { list, json };
      interned.set(json, r);
    }
    p.receivers = r;
    p.view = id;
  }
  return p.receivers;
}
