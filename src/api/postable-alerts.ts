/**
 * Decoding and validation of a `POST /api/v2/alerts` body, in upstream's order and with its messages:
 * 1. JSON syntax (Go encoding/json messages) and types (UnmarshalTypeError texts of the generated models),
 *    then strfmt date-time parsing: 400 `{"code":400,"message":"parsing alerts body from \"\" failed, because ..."}`;
 * 2. go-swagger schema validation: 422 `{"code":602,"message":"0.labels in body is required"}`,
 *    `{"code":601,"message":"0.generatorURL in body must be of type uri: \"x\""}`;
 * 3. per-alert validation (alert/alert.go Validate): invalid alerts are skipped and reported together
 *    (400, JSON string, newline-joined as master's errors.Join), valid ones are stored.
 * Sources: api/v2/api.go postAlertsHandler, api/v2/models/postable_alert.go, alert/alert.go, alert/validate.go.
 */
import { isValidLabelName, type MatcherParseMode } from '../matchers/parse';
import type { Alert, LabelSet } from '../types/alert';
import { fingerprint } from '../types/fingerprint';
import { goQuote, sameLabelSet } from '../types/labels';
import { goJsonKind, scanGoJson } from '../go/json-scan';
import { GoTimeError, parseStrfmtDateTime } from '../go/strfmt-time';

export interface DecodeOptions {
  now: number;
  /** refuse (413) a body of more alerts than this (0 or absent = no limit) */
  maxAlerts?: number;
  /** global.resolve_timeout in ms */
  resolveTimeout: number;
  labelNameMode: MatcherParseMode;
  /**
   * The alert stored under a fingerprint, if any. A re-sent alert shares the stored alert's label and
   * annotation objects when they are equal (the store then sees at once that they did not change), and its
   * generatorURL, if the stored one's, is not checked again (every stored alert passed this validation).
   */
  stored?: (fingerprint: string) => Alert | undefined;
}

/** A framework-level refusal: nothing of the batch is stored. */
export interface BodyRefusal {
  status: 400 | 413 | 422;
  body: { code: number; message: string };
}

export interface DecodedBatch {
  /** valid alerts, ready to store */
  valid: Alert[];
  /** one message per invalid alert, in input order */
  errors: string[];
  firing: number;
  resolved: number;
}

const ANON_STRUCT =
  'struct { Annotations models.LabelSet "json:\\"annotations,omitempty\\""; EndsAt strfmt.DateTime "json:\\"endsAt,omitempty\\""; StartsAt strfmt.DateTime "json:\\"startsAt,omitempty\\"" }';

function parseFailure(message: string): BodyRefusal {
  return { status: 400, body: { code: 400, message: `parsing alerts body from "" failed, because ${message}` } };
}

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/** Go's encoding/json replaces invalid UTF-16 (lone surrogates) with U+FFFD. */
function wellFormed(s: string): string {
  return /[\ud800-\udfff]/.test(s) ? s.replace(LONE_SURROGATE, '\ufffd') : s;
}

const identity = (s: string): string => s;

interface RawAlert {
  labels: Record<string, string> | null;
  annotations: Record<string, string>;
  startsAt: number;
  endsAt: number;
  generatorURL: string;
}

/** A label or annotation map as JSON.parse made it, usable as it is: string values only (non-empty for labels), no `__proto__` key. */
function isPlainStringMap(v: unknown, dropEmpty: boolean): v is Record<string, string> {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return false;
  const obj = v as Record<string, unknown>;
  for (const k in obj) {
    const val = obj[k];
    if (typeof val !== 'string' || (dropEmpty && val === '') || k === '__proto__') return false;
  }
  return true;
}

/**
 * The common item (Prometheus's): only the five usual keys, spelled as usual, with values of the right types, and
 * well-formed text (no lone surrogates to repair). Its label and annotation objects are JSON.parse's, used as they
 * are. Undefined for anything else, including a time that does not parse: decodeItem then decodes it with Go's
 * rules and errors.
 */
function decodeCommonItem(item: unknown, parseTime: (s: string) => number): RawAlert | undefined {
  if (item === null || typeof item !== 'object' || Array.isArray(item)) return undefined;
  const o = item as Record<string, unknown>;
  let labels: Record<string, string> | null = null;
  let annotations: Record<string, string> | undefined;
  let startsAt = 0;
  let endsAt = 0;
  let generatorURL = '';
  for (const k in o) {
    const v = o[k];
    switch (k) {
      case 'labels':
        if (!isPlainStringMap(v, true)) return undefined;
        labels = v;
        break;
      case 'annotations':
        if (!isPlainStringMap(v, false)) return undefined;
        annotations = v;
        break;
      case 'startsAt':
      case 'endsAt': {
        if (typeof v !== 'string') return undefined;
        let t: number;
        try {
          t = parseTime(v);
        } catch {
          return undefined;
        }
        if (k === 'startsAt') startsAt = t;
        else endsAt = t;
        break;
      }
      case 'generatorURL':
        if (typeof v !== 'string') return undefined;
        generatorURL = v;
        break;
      default:
        return undefined;
    }
  }
  return { labels, annotations: annotations ?? {}, startsAt, endsAt, generatorURL };
}

/** Go matches JSON keys to struct fields case-insensitively. */
function fieldOf(key: string): string {
  // the usual spellings without a toLowerCase (twice per key per alert on the ingest path)
  switch (key) {
    case 'labels':
    case 'annotations':
      return key;
    case 'startsAt':
      return 'startsat';
    case 'endsAt':
      return 'endsat';
    case 'generatorURL':
      return 'generatorurl';
    default:
      return key.toLowerCase();
  }
}

class TypeErr extends Error {}

/**
 * A JSON object of strings as a plain object (null values are ""). For labels (`dropEmpty`), empty values are left
 * out, as upstream drops them before storing: the result is the alert's label set, built once. Plain objects rather
 * than null-prototype ones (which V8 keeps in slow dictionary mode); a `__proto__` key keeps what the earlier
 * null-prototype map + copy did with it: dropped from labels, an own property of annotations.
 */
function decodeLabelMap(v: unknown, field: string, wf: (s: string) => string, dropEmpty: boolean): Record<string, string> | null {
  if (v === null) return null;
  if (typeof v !== 'object' || Array.isArray(v)) {
    throw new TypeErr(`json: cannot unmarshal ${goJsonKind(v)} into Go struct field ${field} of type models.LabelSet`);
  }
  const out: Record<string, string> = {};
  const obj = v as Record<string, unknown>;
  for (const k in obj) {
    const val = obj[k];
    let s: string;
    if (val === null) s = '';
    else if (typeof val !== 'string') throw new TypeErr(`json: cannot unmarshal ${goJsonKind(val)} into Go struct field ${field} of type string`);
    else s = wf(val);
    const key = wf(k);
    if (key === '__proto__') {
      if (!dropEmpty) Object.defineProperty(out, key, { value: s, enumerable: true, writable: true, configurable: true });
    } else if (!dropEmpty || s !== '') out[key] = s;
    else if (Object.hasOwn(out, key)) delete out[key]; // a later empty value of a key repaired into the same name
  }
  return out;
}

/** Decode one item as upstream's PostableAlert.UnmarshalJSON: the Alert part first, then the rest. */
function decodeItem(item: unknown, wf: (s: string) => string, parseTime: (s: string) => number): RawAlert {
  if (item === null || typeof item !== 'object' || Array.isArray(item)) {
    throw new TypeErr(`json: cannot unmarshal ${goJsonKind(item)} into Go value of type ${ANON_STRUCT}`);
  }
  const entries = Object.entries(item as Record<string, unknown>);
  const raw: RawAlert = { labels: null, annotations: {}, startsAt: 0, endsAt: 0, generatorURL: '' };
  let firstTypeError: TypeErr | undefined;
  const attempt = (fn: () => void) => {
    try {
      fn();
    } catch (e) {
      if (e instanceof TypeErr) firstTypeError ??= e;
      else throw e;
    }
  };
  // Part 1: models.Alert (generatorURL, labels)
  for (const [k, v] of entries) {
    const f = fieldOf(k);
    if (f === 'generatorurl') {
      attempt(() => {
        if (v === null) return;
        if (typeof v !== 'string') throw new TypeErr(`json: cannot unmarshal ${goJsonKind(v)} into Go struct field Alert.generatorURL of type string`);
        raw.generatorURL = wf(v);
      });
    } else if (f === 'labels') {
      attempt(() => {
        raw.labels = decodeLabelMap(v, 'Alert.labels', wf, true);
      });
    }
  }
  if (firstTypeError) throw firstTypeError;
  // Part 2: annotations, endsAt, startsAt; a date parse error aborts at once (Unmarshaler error)
  for (const [k, v] of entries) {
    const f = fieldOf(k);
    if (f === 'annotations') {
      attempt(() => {
        raw.annotations = decodeLabelMap(v, '.annotations', wf, false) ?? {};
      });
    } else if (f === 'startsat' || f === 'endsat') {
      const name = f === 'startsat' ? 'startsAt' : 'endsAt';
      if (v === null) continue;
      if (typeof v !== 'string') {
        attempt(() => {
          throw new TypeErr(`json: cannot unmarshal ${goJsonKind(v)} into Go struct field .${name} of type string`);
        });
        continue;
      }
      const t = parseTime(v); // throws GoTimeError
      if (name === 'startsAt') raw.startsAt = t;
      else raw.endsAt = t;
    }
  }
  if (firstTypeError) throw firstTypeError;
  return raw;
}

/** strfmt's `uri` format: Go's url.ParseRequestURI succeeds. */
export function isRequestURI(s: string): boolean {
  if (/[\x00-\x1f\x7f]/.test(s)) return false;
  let rest = s;
  let scheme = '';
  const sm = /^([a-zA-Z][a-zA-Z0-9+.-]*):/.exec(s);
  if (sm) {
    scheme = sm[1]!;
    rest = s.slice(sm[0].length);
  } else if (s.startsWith(':')) {
    return false; // missing protocol scheme
  } else {
    // getScheme stops at the first non-scheme character; a ':' before any '/' with a bad scheme is an error
    const colon = s.indexOf(':');
    const slash = s.indexOf('/');
    if (colon >= 0 && (slash < 0 || colon < slash) && !/^[a-zA-Z]/.test(s)) {
      // e.g. "1a:b": first character not a letter -> Go treats as missing scheme error
      return false;
    }
  }
  const q = rest.indexOf('?');
  if (q >= 0) rest = rest.slice(0, q);
  if (!rest.startsWith('/')) return scheme !== '';
  if (scheme !== '' && rest.startsWith('//')) {
    const afterSlashes = rest.slice(2);
    const end = afterSlashes.indexOf('/');
    const authority = end < 0 ? afterSlashes : afterSlashes.slice(0, end);
    const at = authority.lastIndexOf('@');
    const host = at >= 0 ? authority.slice(at + 1) : authority;
    if (/[^A-Za-z0-9\-._~!$&'()*+,;=:[\]<>"%]/.test(host)) return false;
    if (/%(?![0-9a-fA-F]{2})/.test(host)) return false;
    rest = end < 0 ? '' : afterSlashes.slice(end);
  }
  return !/%(?![0-9a-fA-F]{2})/.test(rest);
}

function validateLabelSet(ls: LabelSet, mode: MatcherParseMode): string | undefined {
  // the common case, all valid, needs no sort; the sort only picks which invalid name is reported (Go: first in order)
  let valid = true;
  for (const n in ls) {
    if (!isValidLabelName(n, mode)) {
      valid = false;
      break;
    }
  }
  if (valid) return undefined;
  for (const name of Object.keys(ls).sort()) {
    if (!isValidLabelName(name, mode)) return `invalid name ${goQuote(name)}`;
  }
  return undefined;
}

function isEmpty(ls: LabelSet): boolean {
  for (const _ in ls) return false;
  return true;
}

/** alert/alert.go Validate. */
export function validateAlert(a: Alert, mode: MatcherParseMode): string | undefined {
  if (a.startsAt === 0) return 'start time missing';
  if (a.endsAt !== 0 && a.endsAt < a.startsAt) return 'start time must be before end time';
  if (isEmpty(a.labels)) return 'at least one label pair required';
  const l = validateLabelSet(a.labels, mode);
  if (l) return `invalid label set: ${l}`;
  const an = validateLabelSet(a.annotations, mode);
  if (an) return `invalid annotations: ${an}`;
  return undefined;
}

/** Bodies longer than this are split into items before parsing (JSON.parse of 256 KB takes ~2-5 ms). */
const SPLIT_ABOVE_CHARS = 256 * 1024;

/** Bodies up to this many alerts are decoded in one go (no time checks): Prometheus sends at most 256 per POST. */
const SMALL_BATCH = 300;

/**
 * Decoding as steps: the generator yields now and then (every few dozen alerts or ~64 KB of text), so a caller
 * can hand the event loop back between slices (`runSliced`); `decodePostableAlerts` runs it in one go.
 */
export function* decodeSteps(text: string, opts: DecodeOptions): Generator<void, BodyRefusal | DecodedBatch, void> {
  let doc: unknown;
  // a small body is parsed at once (a few ms at most); a larger one item by item, in slices
  const split = text.length <= SPLIT_ABOVE_CHARS ? undefined : yield* splitArray(text, opts.maxAlerts);
  if (split === TOO_MANY) return tooManyAlerts(opts.maxAlerts!);
  if (split !== undefined && !Array.isArray(split)) return split; // too deep
  if (split !== undefined) {
    doc = split;
  } else {
    // not a plain array of well-formed items: parse the whole text (for Go's error messages)
    try {
      doc = JSON.parse(text); // fast path: a well-formed body (the common case) is not scanned twice
    } catch {
      const scan = scanGoJson(text);
      if (!scan.ok) return parseFailure(scan.message);
      if (scan.empty) return { status: 422, body: { code: 602, message: 'alerts in body is required' } };
      doc = JSON.parse(text.slice(0, scan.end)); // Go's decoder reads one value and ignores the rest
    }
  }
  if (doc === null) return { valid: [], errors: [], firing: 0, resolved: 0 };
  if (!Array.isArray(doc)) return parseFailure(`json: cannot unmarshal ${goJsonKind(doc)} into Go value of type models.PostableAlerts`);
  if (opts.maxAlerts !== undefined && opts.maxAlerts > 0 && doc.length > opts.maxAlerts) return tooManyAlerts(opts.maxAlerts);
  const small = doc.length <= SMALL_BATCH;

  // JSON.parse yields a lone surrogate only from one in the text (or a \u escape of one): when the text
  // has neither, no string needs the U+FFFD repair, and the per-string regex test is skipped
  const wf = /[\ud800-\udfff]|\\u[dD][89abAB]/.test(text) ? wellFormed : identity;
  // the alerts of one batch mostly share their timestamps (Prometheus sends one endsAt per evaluation)
  const times = new Map<string, number>();
  const parseTime = (v: string): number => {
    let t = times.get(v);
    if (t === undefined) {
      t = parseStrfmtDateTime(v);
      times.set(v, t);
    }
    return t;
  };
  const raws: RawAlert[] = [];
  const common = wf === identity;
  for (let i = 0; i < doc.length; i++) {
    if (!small && (i & 63) === 63) yield;
    try {
      raws.push((common ? decodeCommonItem(doc[i], parseTime) : undefined) ?? decodeItem(doc[i], wf, parseTime));
    } catch (e) {
      if (e instanceof TypeErr || e instanceof GoTimeError) return parseFailure(e.message);
      throw e;
    }
  }
  // fingerprints, and the stored alerts of re-sent ones
  const { stored } = opts;
  const fps = new Array<string>(raws.length);
  const olds = new Array<Alert | undefined>(raws.length);
  for (let i = 0; i < raws.length; i++) {
    if (!small && (i & 63) === 63) yield;
    const labels = raws[i]!.labels;
    if (labels === null) continue;
    const fp = fingerprint(labels);
    fps[i] = fp;
    olds[i] = stored?.(fp);
  }
  // go-swagger validation: first failing item, generatorURL before labels
  for (let i = 0; i < raws.length; i++) {
    if (!small && (i & 255) === 255) yield;
    const r = raws[i]!;
    if (r.generatorURL !== '' && r.generatorURL !== olds[i]?.generatorURL && !isRequestURI(r.generatorURL)) {
      return { status: 422, body: { code: 601, message: `${i}.generatorURL in body must be of type uri: ${goQuote(r.generatorURL)}` } };
    }
    if (r.labels === null) return { status: 422, body: { code: 602, message: `${i}.labels in body is required` } };
  }

  const out: DecodedBatch = { valid: [], errors: [], firing: 0, resolved: 0 };
  const { now, resolveTimeout, labelNameMode } = opts;
  for (let i = 0; i < raws.length; i++) {
    if (!small && (i & 63) === 63) yield;
    const r = raws[i]!;
    let { startsAt, endsAt } = r;
    let timeout = false;
    if (startsAt === 0) startsAt = endsAt !== 0 ? endsAt : now;
    if (endsAt === 0) {
      timeout = true;
      endsAt = now + resolveTimeout;
    }
    if (endsAt > now) out.firing++;
    else out.resolved++;
    let labels = r.labels!; // empty values already left out; raw is not used again
    let annotations = r.annotations;
    const old = olds[i];
    if (old) {
      // same fingerprint, mostly the same label set: then its objects are shared
      if (sameLabelSet(old.labels, labels)) labels = old.labels;
      if (sameLabelSet(old.annotations, annotations)) annotations = old.annotations;
    }
    const alert: Alert = {
      labels,
      annotations,
      startsAt,
      endsAt,
      updatedAt: now,
      generatorURL: r.generatorURL,
      timeout,
      fingerprint: fps[i]!,
    };
    const err = validateAlert(alert, labelNameMode);
    if (err) out.errors.push(err);
    else out.valid.push(alert);
  }
  return out;
}

/** The whole decoding at once (small bodies, tests). */
export function decodePostableAlerts(text: string, opts: DecodeOptions): BodyRefusal | DecodedBatch {
  const steps = decodeSteps(text, opts);
  for (;;) {
    const r = steps.next();
    if (r.done) return r.value;
  }
}

function tooManyAlerts(max: number): BodyRefusal {
  return { status: 413, body: { code: 413, message: `too many alerts in one request: over ${max} (--tocsin.api.max-alerts-per-request)` } };
}

const TOO_MANY = Symbol('too many');

/** encoding/json's maxNestingDepth. */
const GO_MAX_NESTING_DEPTH = 10_000;

/**
 * The items of a top-level JSON array, each parsed on its own, found by a scan that tracks strings and nesting
 * only; yields every 64 KB of text and 64 items. Undefined when the text does not start with an array whose
 * items all parse (the caller then parses the whole text to report Go's error); TOO_MANY past `maxItems`; Go's
 * depth error past 10000 levels (a deeply nested item would otherwise take seconds to parse in one call).
 * Text after the array's closing bracket is ignored, as Go's decoder reads one value.
 */
function* splitArray(text: string, maxItems: number | undefined): Generator<void, unknown[] | typeof TOO_MANY | BodyRefusal | undefined, void> {
  const n = text.length;
  let i = 0;
  while (i < n && isJsonSpace(text.charCodeAt(i))) i++;
  if (text.charCodeAt(i) !== 0x5b /* [ */) return undefined;
  i++;
  const items: unknown[] = [];
  let start = i;
  let depth = 0;
  let nextYield = i + 65536;
  while (i < n) {
    if (i >= nextYield) {
      yield;
      nextYield = i + 65536;
    }
    const c = text.charCodeAt(i);
    if (c === 0x22 /* " */) {
      // to the closing quote, skipping escaped characters
      for (i++; i < n; i++) {
        const d = text.charCodeAt(i);
        if (d === 0x5c /* \ */) i++;
        else if (d === 0x22) break;
      }
      i++;
      continue;
    }
    if (c === 0x7b /* { */ || c === 0x5b /* [ */) {
      // Go's decoder stops at 10000 levels (encoding/json maxNestingDepth; the array itself is the first)
      if (++depth >= GO_MAX_NESTING_DEPTH) return parseFailure(`invalid character ${c === 0x7b ? "'{'" : "'['"} exceeded max depth`);
    } else if (c === 0x7d /* } */ || c === 0x5d /* ] */) {
      if (depth > 0) {
        depth--;
      } else {
        if (c !== 0x5d) return undefined;
        const item = text.slice(start, i);
        if (items.length > 0 || item.trim() !== '') {
          const v = parseItem(item);
          if (v === undefined) return undefined;
          items.push(v);
        }
        if (maxItems !== undefined && maxItems > 0 && items.length > maxItems) return TOO_MANY;
        return items;
      }
    } else if (c === 0x2c /* , */ && depth === 0) {
      const v = parseItem(text.slice(start, i));
      if (v === undefined) return undefined;
      items.push(v);
      if (maxItems !== undefined && maxItems > 0 && items.length > maxItems) return TOO_MANY;
      if ((items.length & 63) === 0) yield;
      start = i + 1;
    }
    i++;
  }
  return undefined; // unterminated
}

function isJsonSpace(c: number): boolean {
  return c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d;
}

/** One item's value, or undefined when it is not valid JSON (e.g. empty between two commas). */
function parseItem(s: string): unknown {
  try {
    return JSON.parse(s) as unknown;
  } catch {
    return undefined;
  }
}

export function isRefusal(x: BodyRefusal | DecodedBatch): x is BodyRefusal {
  return 'status' in x;
}
