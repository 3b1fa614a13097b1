/**
 * @module api/alert-json
 * A gettableAlert's JSON (upstream's field order: annotations, endsAt, fingerprint, receivers, startsAt, status,
 * updatedAt, generatorURL, labels) built from parts cached per alert. Stored alerts are immutable (a merge stores a
 * new object), so the parts that come from the alert itself are encoded once per stored version and live as long as
 * it does (a WeakMap); the receivers part is kept for the current config view; only the status part, which changes
 * without the alert changing (silences, inhibitions), is written per request, and its common shapes are constants.
 */
import { formatApiTime } from '../go/strfmt-time';
import type { Alert } from '../types/alert';
import type { AlertStatus } from '../types/marker';
import { goJsonString, labelSetJson } from './respond';

interface AlertParts {
  /** `{"annotations":…,"endsAt":…,"fingerprint":…,"receivers":` */
  readonly pre: string;
  /** `,"startsAt":…,"status":` */
  readonly mid: string;
  /** `,"updatedAt":…,"generatorURL":…,"labels":…}` */
  readonly post: string;
  /** the receivers as last computed, for the view (its number in viewIds) they were computed with */
  view?: number;
  receivers?: readonly string[];
  /** pre + receivers JSON + mid, for `view` */
  head?: string;
}

const partsOf = new WeakMap<Alert, AlertParts>();
/** config views by number: an alert's parts never keep an old view (and its dispatch) alive */
const viewIds = new WeakMap<object, number>();
let lastViewId = 0;

function parts(a: Alert): AlertParts {
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

/**
 * The cached parts of the alert's JSON: write `pre`, the receivers' JSON, `mid`, the status's JSON, `post`.
 */
export function alertParts(a: Alert): { readonly pre: string; readonly mid: string; readonly post: string } {
  return parts(a);
}

/** The gettableAlert's JSON with the given receivers' and status's JSON. */
export function alertJson(a: Alert, receivers: string, status: string): string {
  const p = parts(a);
  return `${p.pre}${receivers}${p.mid}${status}${p.post}`;
}

/**
 * The alert's receivers under `view` (computed by `receiversFor` once per alert version and view) and the head of
 * its JSON up to its status; the full JSON is `head + statusJson(...) + tail`.
 */
export function alertWithReceivers(
  a: Alert,
  view: object,
  receiversFor: (a: Alert) => readonly string[],
): { receivers: readonly string[]; head: string; tail: string } {
  const p = parts(a);
  let id = viewIds.get(view);
  if (id === undefined) {
    id = ++lastViewId;
    viewIds.set(view, id);
  }
  if (p.view !== id || p.head === undefined || p.receivers === undefined) {
    p.receivers = receiversFor(a);
    p.head = `${p.pre}${receiversJson(p.receivers)}${p.mid}`;
    p.view = id;
  }
  return { receivers: p.receivers, head: p.head, tail: p.post };
}
