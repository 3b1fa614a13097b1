/**
 * Alertmanager's template data model (upstream template/template.go: Data, Alert, Alerts, KV, Pairs,
 * Strings) as Go values for the engine, and buildTemplateData() from Tocsin alerts.
 */
import { type Alert, isResolved } from '../types/alert';
import { GO_ZERO_MS } from '../go/time';
import { compareStrings } from '../types/labels';
import { GoTime, parseRfc3339 } from './time-values';
import { GoCallError, type GoFunc, GoMap, GoSlice, GoStruct, StringSlice } from './values';

/** template.Strings: a []string with Join. */
export class TStrings extends StringSlice {
  constructor(items: readonly string[]) {
    super(items, 'template.Strings');
  }
  override goMethod(name: string): GoFunc | undefined {
    if (name === 'Join') return { params: ['string'], fn: (sep) => this.items.join(sep as string) };
    return undefined;
  }
}

export class Pair extends GoStruct {
  readonly goType = 'template.Pair';
  readonly fieldNames = ['Name', 'Value'] as const;
  constructor(
    readonly Name: string,
    readonly Value: string,
  ) {
    super();
  }
  field(name: string): unknown {
    return name === 'Name' ? this.Name : this.Value;
  }
}

export class Pairs extends GoSlice {
  readonly goType = 'template.Pairs';
  constructor(readonly items: readonly Pair[]) {
    super();
  }
  override goMethod(name: string): GoFunc | undefined {
    switch (name) {
      case 'Names':
        return { params: [], fn: () => new TStrings(this.items.map((p) => p.Name)) };
      case 'Values':
        return { params: [], fn: () => new TStrings(this.items.map((p) => p.Value)) };
      case 'String':
        return { params: [], fn: () => this.goString() };
      default:
        return undefined;
    }
  }
  override goString(): string {
    return this.items.map((p) => `${p.Name}=${p.Value}`).join(', ');
  }
}

/** template.KV: map[string]string with SortedPairs (alertname first), Names, Values, Remove, String. */
export class KV extends GoMap {
  readonly goType = 'template.KV';
  readonly elemZero = '';
  private sorted: string[] | undefined;
  constructor(readonly m: Readonly<Record<string, string>>) {
    super();
  }
  get(key: string): unknown {
    return this.m[key];
  }
  has(key: string): boolean {
    return Object.hasOwn(this.m, key);
  }
  get size(): number {
    return Object.keys(this.m).length;
  }
  sortedKeys(): string[] {
    this.sorted ??= Object.keys(this.m).sort(compareStrings);
    return this.sorted;
  }
  sortedPairs(): Pairs {
    const keys = this.sortedKeys();
    const pairs: Pair[] = [];
    if (Object.hasOwn(this.m, 'alertname')) pairs.push(new Pair('alertname', this.m.alertname!));
    for (const k of keys) if (k !== 'alertname') pairs.push(new Pair(k, this.m[k]!));
    return new Pairs(pairs);
  }
  override goMethod(name: string): GoFunc | undefined {
    switch (name) {
      case 'SortedPairs':
        return { params: [], fn: () => this.sortedPairs() };
      case 'Names':
        return { params: [], fn: () => new TStrings(this.sortedPairs().items.map((p) => p.Name)) };
      case 'Values':
        return { params: [], fn: () => new TStrings(this.sortedPairs().items.map((p) => p.Value)) };
      case 'Remove':
        return {
          params: ['strings'],
          fn: (keys) => {
            const drop = new Set((keys as StringSlice | null)?.items ?? []);
            const out: Record<string, string> = {};
            for (const k of Object.keys(this.m)) if (!drop.has(k)) out[k] = this.m[k]!;
            return new KV(out);
          },
        };
      case 'String':
        return { params: [], fn: () => this.goString() };
      default:
        return undefined;
    }
  }
  override goString(): string {
    return this.sortedPairs().goString();
  }
  toJSON(): Record<string, string> {
    return this.m;
  }
}

export class TAlert extends GoStruct {
  readonly goType = 'template.Alert';
  readonly fieldNames = ['Status', 'Labels', 'Annotations', 'StartsAt', 'EndsAt', 'GeneratorURL', 'Fingerprint'];
  constructor(
    readonly Status: string,
    readonly Labels: KV,
    readonly Annotations: KV,
    readonly StartsAt: GoTime,
    readonly EndsAt: GoTime,
    readonly GeneratorURL: string,
    readonly Fingerprint: string,
  ) {
    super();
  }
  field(name: string): unknown {
    return (this as unknown as Record<string, unknown>)[name];
  }
  toJSON(): unknown {
    return {
      status: this.Status,
      labels: this.Labels,
      annotations: this.Annotations,
      startsAt: this.StartsAt,
      endsAt: this.EndsAt,
      generatorURL: this.GeneratorURL,
      fingerprint: this.Fingerprint,
    };
  }
}

/** template.Alerts with Firing/Resolved ([]template.Alert results). */
export class TAlerts extends GoSlice {
  constructor(
    readonly items: readonly TAlert[],
    readonly goType: string = 'template.Alerts',
  ) {
    super();
  }
  override goMethod(name: string): GoFunc | undefined {
    if (this.goType !== 'template.Alerts') return undefined;
    if (name === 'Firing') {
      return { params: [], fn: () => new TAlerts(this.items.filter((a) => a.Status === 'firing'), '[]template.Alert') };
    }
    if (name === 'Resolved') {
      return {
        params: [],
        fn: () => new TAlerts(this.items.filter((a) => a.Status === 'resolved'), '[]template.Alert'),
      };
    }
    return undefined;
  }
}

const DATA_FIELDS = [
  'Receiver',
  'Status',
  'Alerts',
  'NotificationReason',
  'GroupLabels',
  'CommonLabels',
  'CommonAnnotations',
  'RouteLabels',
  'ExternalURL',
] as const;

/** template.Data: the `.` of notification templates. */
export class TemplateData extends GoStruct {
  readonly goType = 'template.Data';
  readonly fieldNames = DATA_FIELDS;
  /** true when RouteLabels hold rendered values (routeLabels returns them verbatim) */
  routeLabelsRendered = false;
  constructor(
    readonly Receiver: string,
    readonly Status: string,
    readonly Alerts: TAlerts,
    readonly NotificationReason: string,
    readonly GroupLabels: KV,
    readonly CommonLabels: KV,
    readonly CommonAnnotations: KV,
    readonly RouteLabels: KV,
    readonly ExternalURL: string,
  ) {
    super();
  }
  field(name: string): unknown {
    return (this as unknown as Record<string, unknown>)[name];
  }
  toJSON(): unknown {
    return {
      receiver: this.Receiver,
      status: this.Status,
      alerts: this.Alerts.items,
      notification_reason: this.NotificationReason,
      groupLabels: this.GroupLabels,
      commonLabels: this.CommonLabels,
      commonAnnotations: this.CommonAnnotations,
      routeLabels: this.RouteLabels,
      externalURL: this.ExternalURL,
    };
  }
}

/** regexp.QuoteMeta */
export function quoteMeta(s: string): string {
  return s.replace(/[\\.+*?()|[\]{}^$]/g, '\\$&');
}

function timeOf(ms: number): GoTime {
  return ms === 0 ? new GoTime(GO_ZERO_MS) : new GoTime(ms);
}

function common(maps: readonly Readonly<Record<string, string>>[]): Record<string, string> {
  if (maps.length === 0) return {};
  const out: Record<string, string> = { ...maps[0] };
  for (let i = 1; i < maps.length; i++) {
    const m = maps[i]!;
    for (const k of Object.keys(out)) if (m[k] !== out[k]) delete out[k];
  }
  return out;
}

export interface TemplateDataInput {
  /** receiver name; regex-quoted here as upstream does */
  readonly receiver: string;
  readonly alerts: readonly Alert[];
  readonly groupLabels: Readonly<Record<string, string>>;
  readonly externalURL: string;
  /** computed from the alerts when absent */
  readonly status?: 'firing' | 'resolved';
  /** computed from the alerts when absent */
  readonly commonLabels?: Readonly<Record<string, string>>;
  /** computed from the alerts when absent */
  readonly commonAnnotations?: Readonly<Record<string, string>>;
  readonly notificationReason?: string;
  readonly routeLabels?: Readonly<Record<string, string>>;
  /** epoch ms used to decide whether an alert is resolved; defaults to Date.now() */
  readonly now?: number;
}

/** Builds template data like upstream Template.Data (firing alerts expose a zero EndsAt). */
export function buildTemplateData(input: TemplateDataInput): TemplateData {
  const now = input.now ?? Date.now();
  let anyFiring = false;
  const alerts = input.alerts.map((a) => {
    const resolved = isResolved(a, now);
    if (!resolved) anyFiring = true;
    return new TAlert(
      resolved ? 'resolved' : 'firing',
      new KV(a.labels),
      new KV(a.annotations),
      timeOf(a.startsAt),
      resolved ? timeOf(a.endsAt) : new GoTime(GO_ZERO_MS),
      a.generatorURL,
      a.fingerprint,
    );
  });
  return new TemplateData(
    quoteMeta(input.receiver),
    input.status ?? (anyFiring ? 'firing' : 'resolved'),
    new TAlerts(alerts),
    input.notificationReason ?? '',
    new KV(input.groupLabels),
    new KV(input.commonLabels ?? common(input.alerts.map((a) => a.labels))),
    new KV(input.commonAnnotations ?? common(input.alerts.map((a) => a.annotations))),
    new KV(input.routeLabels ?? {}),
    input.externalURL,
  );
}

function kvFromJson(v: unknown, what: string): KV {
  if (v === null || v === undefined) return new KV({});
  if (typeof v !== 'object' || Array.isArray(v)) {
    throw new GoCallError(`json: cannot unmarshal ${jsonKind(v)} into Go struct field ${what} of type template.KV`);
  }
  const out: Record<string, string> = {};
  for (const [k, x] of Object.entries(v as Record<string, unknown>)) {
    if (typeof x !== 'string') {
      throw new GoCallError(`json: cannot unmarshal ${jsonKind(x)} into Go struct field ${what} of type string`);
    }
    out[k] = x;
  }
  return new KV(out);
}

function jsonKind(v: unknown): string {
  if (Array.isArray(v)) return 'array';
  if (v === null) return 'null';
  return typeof v === 'object' ? 'object' : typeof v;
}

function str(v: unknown): string {
  return typeof v === 'string' ? v : '';
}

function timeFromJson(v: unknown): GoTime {
  if (typeof v !== 'string') return new GoTime(GO_ZERO_MS);
  return parseRfc3339(v);
}

/** Decodes template.Data from JSON the way amtool's --template.data does (encoding/json field names). */
export function templateDataFromJson(json: unknown): TemplateData {
  const d = (json ?? {}) as Record<string, unknown>;
  const alerts = Array.isArray(d.alerts) ? d.alerts : [];
  return new TemplateData(
    str(d.receiver),
    str(d.status),
    new TAlerts(
      alerts.map((x) => {
        const a = (x ?? {}) as Record<string, unknown>;
        return new TAlert(
          str(a.status),
          kvFromJson(a.labels, 'Alert.alerts.labels'),
          kvFromJson(a.annotations, 'Alert.alerts.annotations'),
          timeFromJson(a.startsAt),
          timeFromJson(a.endsAt),
          str(a.generatorURL),
          str(a.fingerprint),
        );
      }),
    ),
    str(d.notification_reason),
    kvFromJson(d.groupLabels, 'Data.groupLabels'),
    kvFromJson(d.commonLabels, 'Data.commonLabels'),
    kvFromJson(d.commonAnnotations, 'Data.commonAnnotations'),
    kvFromJson(d.routeLabels, 'Data.routeLabels'),
    str(d.externalURL),
  );
}

export { isResolved };
