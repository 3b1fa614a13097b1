/**
 * @module schema/schema
 * A small declarative schema walker over eemeli `yaml` nodes. Every config object (global, route, inhibit rule,
 * time interval, each integration) is declared as an {@link ObjectSchema} of {@link Field}s; the walker decodes,
 * applies defaults, checks required fields and mutual exclusions, and collects EVERY problem (with file, line,
 * column and YAML path) instead of stopping at the first. It also re-encodes decoded values for `original`.
 *
 * This module does not import the loader: besides `yaml` and src/types it uses only ./deps (matchers, durations,
 * the template parser), so integration schemas (src/notifiers/<type>/config.ts) can declare themselves with it.
 *
 * Strictness follows upstream (yaml.v2 UnmarshalStrict in config/config.go): unknown keys and duplicate keys
 * are errors; scalars of any kind are accepted into string fields as written (yaml.v2 does the same).
 */
import { isAlias, isMap, isScalar, isSeq, type LineCounter, type Node, type YAMLMap } from 'yaml';
import { isAbsolute, join } from 'node:path';
import type { Matcher } from '../matchers/types';
import type { ConfigProblem } from '../types/errors';
import { Secret } from '../types/secret';
import { known025 } from './compat-025';
import { type MatcherParseMode, sortMatchers } from '../matchers';
import { parseGoDuration } from '../go/duration';
import { parseDuration } from '../types/duration';
import { compileMatchers, formatDuration, templateSyntaxError } from './deps';

/** Upstream amcommoncfg.SecretToken: what secrets serialise as, and what secret URL fields accept back. */
export const SECRET_TOKEN = '<secret>';

/**
 * What `original` shows for a webhook `url`. Master shows `<secret>`, which 0.25 (where the webhook URL is a plain
 * URL) rejects with `unsupported scheme "" for URL`; this is still only the secret token, but a URL that 0.25 and
 * master parse. Accepted back like `<secret>`.
 */
export const SECRET_URL_TOKEN = `http://${SECRET_TOKEN}`;

/** The keys a config file wrote (non-null) in a decoded object; non-enumerable, see {@link writtenKeys}. */
const WRITTEN = Symbol('written keys');

/** The keys the file wrote in a decoded object; undefined when unknown (an object not made by decodeObject). */
export function writtenKeys(obj: object): ReadonlySet<string> | undefined {
  return (obj as { [WRITTEN]?: ReadonlySet<string> })[WRITTEN];
}

/** Gives `to` the written keys of `from` (for copies of decoded objects). */
export function copyWrittenKeys(from: object, to: object): void {
  const w = writtenKeys(from);
  if (w) Object.defineProperty(to, WRITTEN, { value: w, enumerable: false });
}

export interface WalkContext {
  file: string;
  /** directory of the config file; relative file paths are resolved against it */
  baseDir: string;
  lineCounter: LineCounter;
  problems: ConfigProblem[];
  warnings: string[];
  matcherMode: MatcherParseMode;
  /** the decoded `global` block, set before receivers are decoded (integration fallbacks read it) */
  global?: Record<string, unknown>;
  /** nodes visited so far; aliases can make a small file expand enormously (see {@link spend}) */
  steps?: number;
}

/** Most nodes one config may expand to through aliases (yaml.v2 rejects "excessive aliasing" similarly). */
export const MAX_STEPS = 1_000_000;

/** Counts one visited node; false (after one problem) once the budget is spent. */
export function spend(at: At): boolean {
  const ctx = at.ctx;
  ctx.steps = (ctx.steps ?? 0) + 1;
  if (ctx.steps === MAX_STEPS + 1) at.fail('yaml: document contains excessive aliasing');
  return ctx.steps <= MAX_STEPS;
}

type YNode = Node | null | undefined;

/** Where a value sits: used to report problems and to build child locations. */
export class At {
  constructor(
    readonly ctx: WalkContext,
    readonly path: string,
    /** the value node (undefined when the key is absent) */
    readonly node: YNode,
    /** the key node, preferred for "this field is wrong as a whole" problems */
    readonly keyNode?: YNode,
  ) {}

  /** Child location for a map key. */
  key(name: string, node: YNode, keyNode?: YNode): At {
    return new At(this.ctx, this.path ? `${this.path}.${name}` : name, node, keyNode);
  }

  /** Child location for a key of this (mapping) node, located at its value (or key with `atKey`). */
  child(name: string, atKey = false): At {
    if (this.node && isMap(this.node)) {
      for (const p of this.node.items) {
        if (isScalar(p.key) && srcText(p.key as Node) === name) {
          const v = p.value as YNode;
          return this.key(name, atKey ? (p.key as Node) : v, p.key as Node);
        }
      }
    }
    return this.key(name, undefined, undefined);
  }

  /** Child location for a list index. */
  index(i: number, node: YNode): At {
    return new At(this.ctx, `${this.path}[${i}]`, node, node);
  }

  /** Report a problem located at the value (or key, or nearest known node). */
  fail(message: string, hint?: string, where?: YNode): void {
    const n = where ?? this.node ?? this.keyNode;
    let line = 0;
    let column = 0;
    if (n?.range) {
      const pos = this.ctx.lineCounter.linePos(n.range[0]);
      line = pos.line;
      column = pos.col;
    }
    const p: ConfigProblem = { file: this.ctx.file, line, column, path: this.path, message };
    if (hint) p.hint = hint;
    this.ctx.problems.push(p);
  }

  /** Report at the key node (used for unknown / duplicate keys). */
  failKey(message: string, hint?: string): void {
    this.fail(message, hint, this.keyNode ?? this.node);
  }

  resolvePath(p: string): string {
    return p && !isAbsolute(p) ? join(this.ctx.baseDir, p) : p;
  }
}

/** A declared field. `decode` returns undefined after reporting a problem (or when the value is null). */
export interface Field<T = unknown> {
  readonly kind: string;
  decode(node: Node, at: At): T | undefined;
  /** value for `original`; undefined = omit */
  encode(value: T): unknown;
  /** value used when the key is absent or null */
  readonly default?: () => T;
  /** for secret pairs: the name of the companion `_file` field */
  readonly fileCompanion?: string;
  /** message when the field is missing */
  readonly required?: string;
  /** for object and list fields: the schema of the object (or list item); read by docs tooling */
  readonly schema?: () => ObjectSchema;
  /** for map fields: the field of each value; read by docs tooling */
  readonly values?: Field;
  /** for string fields restricted to a set of values: the allowed values; read by docs tooling */
  readonly choices?: readonly string[];
  /** always set once the object decoded without problems (a default, `required`, or `filled`); types the settings */
  readonly present?: true;
  /** set by the schema's `check` (a global fallback) or reported missing by it; checked after the check runs */
  readonly filled?: true;
}

/** The fields of an object schema. */
// biome-ignore lint/suspicious/noExplicitAny: a field of any value type (Field<T> is invariant in T)
export type Fields = { readonly [key: string]: Field<any> };

type ValueOf<F> = F extends Field<infer T> ? T : never;
type Flat<T> = { [K in keyof T]: T[K] } & {};
type IsPresent<F> = F extends { readonly present: true } ? true : false;

/**
 * The decoded value of an object schema, inferred from its fields: a field with a default, `required` or `filled`
 * is always there; every other field is optional. This is the one place settings types come from.
 */
export type Infer<F extends Fields> = Flat<
  { -readonly [K in keyof F as IsPresent<F[K]> extends true ? K : never]: ValueOf<F[K]> } & {
    -readonly [K in keyof F as IsPresent<F[K]> extends true ? never : K]?: ValueOf<F[K]>;
  }
>;

/** The decoded value of an object schema (see {@link Infer}). */
export type Decoded<S> = S extends ObjectSchema<infer F> ? Infer<F> : never;

/** No options. */
type NoOpts = Record<never, never>;

/** Options that make a field always present. */
type PresentOpts = { default: unknown } | { required: string } | { filled: true };
/** A field's type given its options: `present` when it has a default, is required or filled. */
export type FieldOf<T, O> = O extends PresentOpts ? Field<T> & { readonly present: true } : Field<T>;

export interface ObjectSchema<F extends Fields = Fields> {
  /** used in "field x not found in <name>" */
  readonly name: string;
  readonly fields: F;
  /** pairs that may not both be set: `at most one of a & b must be configured` (or the given message) */
  readonly exclusive?: ReadonlyArray<readonly [string, string, string?]>;
  /** pairs of which exactly one must be set; message when neither is */
  readonly oneOf?: ReadonlyArray<readonly [string, string, string]>;
  /** extra hints for unknown keys */
  readonly hints?: Readonly<Record<string, string>>;
  /** cross-field rules, run after fields are decoded and defaults applied; may normalise obj in place */
  readonly check?: (obj: Record<string, unknown>, at: ObjectAt) => void;
}

/** At for an object, with helpers to point at one of its fields. */
export class ObjectAt extends At {
  readonly present: ReadonlyMap<string, { key: Node; value: YNode }>;
  constructor(base: At, present: ReadonlyMap<string, { key: Node; value: YNode }>) {
    super(base.ctx, base.path, base.node, base.keyNode);
    this.present = present;
  }
  /** True when the key was written with a non-null value (even one that failed to decode). */
  has(field: string): boolean {
    const p = this.present.get(field);
    return p !== undefined && !isNullNode(p.value);
  }
  /** Report a problem about one field (located at it when present, else at the object). */
  failField(field: string, message: string, hint?: string): void {
    const p = this.present.get(field);
    if (p) this.key(field, p.value, p.key).fail(message, hint, p.value ?? p.key);
    else this.fail(message, hint);
  }
  fieldAt(field: string): At {
    const p = this.present.get(field);
    return this.key(field, p?.value, p?.key);
  }
}

// ---------------------------------------------------------------- helpers

function isMergeKey(k: Node): boolean {
  return isScalar(k) && (typeof k.value === 'symbol' || (k.value === '<<' && k.source === '<<'));
}

/**
 * Replaces alias nodes (`*name`) by the anchored node they point to, in place, and expands merge keys
 * (`<<: *base`, explicit keys win), as yaml.v2 does. Problems in an aliased node are located at the anchor.
 */
export function expandAliases(root: YNode, resolve: (a: Node) => YNode, seen = new Set<Node>(), depth = 0): YNode {
  if (depth > 256 || root == null) return root;
  if (isAlias(root)) return expandAliases(resolve(root), resolve, seen, depth + 1);
  // each node is expanded once, however many aliases point at it (no exponential "billion laughs" walk)
  if (seen.has(root)) return root;
  seen.add(root);
  if (isSeq(root)) {
    root.items = root.items.map((n) => expandAliases(n as Node, resolve, seen, depth + 1)) as typeof root.items;
  } else if (isMap(root)) {
    const merged: typeof root.items = [];
    const own = new Set<string>();
    for (const p of root.items) if (isScalar(p.key) && !isMergeKey(p.key as Node)) own.add(srcText(p.key as Node));
    for (const p of root.items) {
      p.value = expandAliases(p.value as Node, resolve, seen, depth + 1) as never;
      if (isMergeKey(p.key as Node)) {
        const sources = isSeq(p.value) ? (p.value.items as Node[]) : [p.value as Node];
        for (const src of sources) {
          if (!isMap(src)) continue;
          for (const q of src.items) {
            const k = isScalar(q.key) ? srcText(q.key as Node) : '';
            if (own.has(k)) continue;
            own.add(k);
            merged.push(q);
          }
        }
        continue;
      }
      merged.push(p);
    }
    root.items = merged;
  }
  return root;
}

/** yaml.v2-style tag of a node, for "cannot unmarshal !!str `x` into bool" messages. */
export function tagOf(node: Node): string {
  if (isMap(node)) return '!!map';
  if (isSeq(node)) return '!!seq';
  if (isScalar(node)) {
    const v = node.value;
    if (v === null) return '!!null';
    if (typeof v === 'boolean') return '!!bool';
    if (typeof v === 'number' || typeof v === 'bigint') return Number.isInteger(Number(v)) ? '!!int' : '!!float';
    return '!!str';
  }
  return '!!unknown';
}

function srcText(node: Node): string {
  if (isScalar(node)) {
    if (typeof node.value === 'string') return node.value;
    return node.source ?? String(node.value);
  }
  return '';
}

function srcOf(node: YNode): string | undefined {
  return node && isScalar(node) ? srcText(node) : undefined;
}

function typeError(node: Node, at: At, into: string): undefined {
  const shown = isScalar(node) ? ` \`${srcText(node)}\`` : '';
  at.fail(`cannot unmarshal ${tagOf(node)}${shown} into ${into}`);
  return undefined;
}

export function isNullNode(node: YNode): boolean {
  return node == null || (isScalar(node) && node.value === null);
}

/** Levenshtein distance, small strings only (config keys). */
function distance(a: string, b: string): number {
  const prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0]!;
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = prev[j]!;
      prev[j] = Math.min(prev[j]! + 1, prev[j - 1]! + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = tmp;
    }
  }
  return prev[b.length]!;
}

/** The nearest known key, if it is close enough to be a plausible typo. */
export function nearestKey(key: string, known: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestD = Number.POSITIVE_INFINITY;
  for (const k of known) {
    const d = distance(key.toLowerCase(), k);
    if (d < bestD) {
      bestD = d;
      best = k;
    }
  }
  const limit = Math.max(2, Math.floor(key.length / 3));
  return bestD <= limit ? best : undefined;
}

/** Go net.SplitHostPort errors, plus upstream's empty-port rule (config.HostPort). */
export function hostPortError(s: string): string | undefined {
  let host: string;
  let port: string;
  if (s.startsWith('[')) {
    const end = s.indexOf(']');
    if (end === -1) return `address ${s}: missing ']' in address`;
    if (s[end + 1] !== ':') return `address ${s}: missing port in address`;
    host = s.slice(1, end);
    port = s.slice(end + 2);
  } else {
    const i = s.lastIndexOf(':');
    if (i === -1) return `address ${s}: missing port in address`;
    host = s.slice(0, i);
    port = s.slice(i + 1);
    if (host.includes(':')) return `address ${s}: too many colons in address`;
  }
  if (port === '') return `address "${s}": port cannot be empty`;
  return host === undefined ? 'bad address' : undefined;
}

/** Parses and validates an http(s) URL as upstream amcommoncfg.ParseURL does; returns an error text or undefined. */
export function urlError(s: string, secret = false): string | undefined {
  let u: URL;
  try {
    u = new URL(s);
  } catch {
    const m = /^([a-zA-Z][a-zA-Z0-9+.-]*):/.exec(s);
    if (!m) return 'unsupported scheme "" for URL';
    // upstream's url.Parse error quotes the URL; a secret one is shown as <secret> (never in an error or log)
    return `parse "${secret ? SECRET_TOKEN : s}": invalid URL`;
  }
  const scheme = u.protocol.replace(/:$/, '');
  if (scheme !== 'http' && scheme !== 'https') return `unsupported scheme "${scheme}" for URL`;
  if (!u.host) return 'missing host for URL';
  return undefined;
}

// ---------------------------------------------------------------- field constructors

interface Opts<T> {
  default?: T | (() => T);
  required?: string;
  /** the schema's check sets it (from a global) or reports it missing: typed as always present */
  filled?: true;
}

/** Declares an object schema, keeping its fields' types (so its decoded type can be inferred). */
export function objectSchema<F extends Fields>(schema: ObjectSchema<F>): ObjectSchema<F> {
  return schema;
}

function withDefault<T>(o: Opts<T> | undefined): { default?: () => T; required?: string; present?: true; filled?: true } {
  const r: { default?: () => T; required?: string; present?: true; filled?: true } = {};
  if (o?.default !== undefined) {
    const d = o.default;
    r.default = typeof d === 'function' ? (d as () => T) : () => structuredClone(d);
  }
  if (o?.required) r.required = o.required;
  if (o?.filled) r.filled = true;
  if (r.default || r.required || r.filled) r.present = true;
  return r;
}

function scalarField<T>(kind: string, into: string, conv: (s: string, node: Node, at: At) => T | undefined, o?: Opts<T>, encode?: (v: T) => unknown): Field<T> {
  return {
    kind,
    ...withDefault(o),
    decode(node, at) {
      if (!isScalar(node)) return typeError(node, at, into);
      return conv(srcText(node), node, at);
    },
    encode: encode ?? ((v) => v),
  };
}

export const f = {
  /** Any scalar, kept as written (yaml.v2 puts any scalar into a string field). */
  /** `oneOf` restricts the value; `oneOfError` words the error (default: list the allowed values). */
  string<O extends Opts<string> & { oneOf?: readonly string[]; oneOfError?: (value: string) => string } = NoOpts>(o?: O): FieldOf<string, O> {
    const field = scalarField<string>(
      'string',
      'string',
      (s, _n, at) => {
        if (o?.oneOf && !o.oneOf.includes(s)) {
          at.fail(o.oneOfError?.(s) ?? `invalid value "${s}", must be one of ${o.oneOf.map((x) => `"${x}"`).join(', ')}`);
          return undefined;
        }
        return s;
      },
      o,
      // "" is Go's zero value: left out of `original` (omitempty)
      (v) => (v === '' ? undefined : v),
    );
    return (o?.oneOf ? { ...field, choices: o.oneOf } : field) as FieldOf<string, O>;
  },
  /** `omitFalse`: left out of `original` when false (Go `omitempty`). */
  bool<O extends Opts<boolean> & { omitFalse?: boolean } = NoOpts>(o?: O): FieldOf<boolean, O> {
    return {
      kind: 'bool',
      ...withDefault(o),
      decode(node, at) {
        if (isScalar(node) && typeof node.value === 'boolean') return node.value;
        return typeError(node, at, 'bool');
      },
      encode: (v: boolean) => (o?.omitFalse && v === false ? undefined : v),
    } as FieldOf<boolean, O>;
  },
  int<O extends Opts<number> & { min?: number } = NoOpts>(o?: O): FieldOf<number, O> {
    return {
      kind: 'int',
      ...withDefault(o),
      decode(node, at) {
        if (isScalar(node) && typeof node.value === 'number' && Number.isInteger(node.value)) {
          if (o?.min !== undefined && node.value < o.min) return typeError(node, at, o.min >= 0 ? 'uint64' : 'int');
          return node.value;
        }
        return typeError(node, at, o?.min !== undefined && o.min >= 0 ? 'uint64' : 'int');
      },
      encode: (v: number) => v,
    } as FieldOf<number, O>;
  },
  float(o?: Opts<number>): Field<number> {
    return {
      kind: 'float',
      ...withDefault(o),
      decode(node, at) {
        if (isScalar(node) && typeof node.value === 'number') return node.value;
        return typeError(node, at, 'float64');
      },
      encode: (v) => v,
    };
  },
  /** Prometheus duration (config/model.Duration): 1d, 5m, 1h30m; milliseconds. `go: true` = Go time.ParseDuration. */
  duration<O extends Opts<number> & { go?: boolean } = NoOpts>(o?: O): FieldOf<number, O> {
    return scalarField<number>(
      'duration',
      'duration',
      (s, _n, at) => {
        try {
          return o?.go ? parseGoDuration(s) : parseDuration(s);
        } catch (e) {
          at.fail((e as Error).message);
          return undefined;
        }
      },
      o,
      (v) => formatDuration(v, o?.go === true),
    ) as FieldOf<number, O>;
  },
  /** http(s) URL with a host (amcommoncfg.URL). */
  url<O extends Opts<string> = NoOpts>(o?: O): FieldOf<string, O> {
    return scalarField<string>('url', 'url', (s, _n, at) => {
      const err = urlError(s);
      if (err) {
        at.fail(err);
        return undefined;
      }
      return s;
    }, o) as FieldOf<string, O>;
  },
  /** `host:port` (config.HostPort): the port must be present and non-empty. */
  hostPort<O extends Opts<string> = NoOpts>(o?: O): FieldOf<string, O> {
    return scalarField<string>('host-port', 'string', (s, _n, at) => {
      if (s === '') return undefined;
      const err = hostPortError(s);
      if (err) {
        at.fail(err);
        return undefined;
      }
      return s;
    }, o) as FieldOf<string, O>;
  },
  /** A file path, resolved against the config file's directory. */
  file(): Field<string> {
    return scalarField<string>('file', 'string', (s, _n, at) => (s === '' ? undefined : at.resolvePath(s)));
  },
  /** A secret string (commoncfg.Secret). With `file`, the companion `<name>_file` key is declared too. */
  secret<O extends { required?: string; filled?: true } = NoOpts>(o?: O): FieldOf<Secret, O> {
    return scalarField<Secret>('secret', 'string', (s) => (s === '' ? undefined : Secret.inline(s)), o, encodeSecret) as FieldOf<Secret, O>;
  },
  /** A secret http(s) URL (amcommoncfg.SecretURL); the literal `<secret>` is accepted so `original` reloads. */
  secretUrl<O extends { required?: string; filled?: true } = NoOpts>(o?: O): FieldOf<Secret, O> {
    return scalarField<Secret>(
      'secret-url',
      'url',
      (s, _n, at) => {
        if (s === SECRET_TOKEN) return Secret.inline(s);
        const err = urlError(s, true);
        if (err) {
          // never echo the URL: it is a secret
          at.fail(err);
          return undefined;
        }
        return Secret.inline(s);
      },
      o,
      encodeSecret,
    ) as FieldOf<Secret, O>;
  },
  /** Webhook url (SecretTemplateURL): validated as URL only when it holds no template. */
  secretTemplateUrl(): Field<Secret> {
    return scalarField<Secret>(
      'secret-template-url',
      'string',
      (s, _n, at) => {
        if (s === '') return undefined;
        if (s === SECRET_TOKEN || s === SECRET_URL_TOKEN) return Secret.inline(s);
        if (s.includes('{{')) {
          const err = templateSyntaxError(s);
          if (err) {
            at.fail(`invalid template syntax: ${err}`);
            return undefined;
          }
          return Secret.inline(s);
        }
        const err = urlError(s, true);
        if (err) {
          at.fail(`invalid URL: ${err}`);
          return undefined;
        }
        return Secret.inline(s);
      },
      undefined,
      (v) => (v.file !== undefined ? undefined : SECRET_URL_TOKEN),
    );
  },
  stringList<O extends Opts<string[]> = NoOpts>(o?: O): FieldOf<string[], O> {
    return {
      kind: 'string-list',
      ...withDefault(o),
      decode(node, at) {
        if (!isSeq(node)) return typeError(node, at, '[]string');
        const out: string[] = [];
        node.items.forEach((item, i) => {
          const n = item as Node;
          if (!isScalar(n)) typeError(n, at.index(i, n), 'string');
          else if (n.value !== null) out.push(srcText(n));
        });
        return out;
      },
      encode: (v: string[]) => v,
    } as FieldOf<string[], O>;
  },
  /** A list of file paths, each resolved against the config file's directory. */
  fileList(): Field<string[]> {
    const strings = f.stringList();
    return { kind: 'file-list', decode: (node, at) => strings.decode(node, at)?.map((p) => at.resolvePath(p)), encode: (v) => v };
  },
  /** A list of secrets (http_headers secrets, proxy_connect_header); each shown as `<secret>`. */
  secretList(): Field<Secret[]> {
    const strings = f.stringList();
    return {
      kind: 'secret-list',
      decode: (node, at) => strings.decode(node, at)?.map((s) => Secret.inline(s)),
      encode: (v) => v.map(() => SECRET_TOKEN),
    };
  },
  stringMap<O extends Opts<Record<string, string>> = NoOpts>(o?: O): FieldOf<Record<string, string>, O> {
    return mapOf<string>('string-map', 'map[string]string', f.string(), o) as FieldOf<Record<string, string>, O>;
  },
  /** Map of values of one field type. */
  mapOf<T, O extends Opts<Record<string, T>> = NoOpts>(value: Field<T>, o?: O): FieldOf<Record<string, T>, O> {
    return mapOf<T>('map', 'map', value, o) as FieldOf<Record<string, T>, O>;
  },
  /** `matchers: ["a=b", "c=~d.*"]` → parsed, sorted Matcher[] (amcommoncfg.Matchers). */
  matchers(): Field<Matcher[]> {
    return {
      kind: 'matchers',
      decode(node, at) {
        if (!isSeq(node)) return typeError(node, at, '[]string');
        const out: Matcher[] = [];
        node.items.forEach((item, i) => {
          const n = item as Node;
          const iat = at.index(i, n);
          if (!isScalar(n)) {
            typeError(n, iat, 'string');
            return;
          }
          if (n.value === null) return;
          try {
            out.push(...compileMatchers(srcText(n), at.ctx.matcherMode, at.ctx.warnings));
          } catch (e) {
            iat.fail((e as Error).message);
          }
        });
        return sortMatchers(out);
      },
      encode: (v) => v.map((m) => m.toString()),
    };
  },
  /** An object; with `default: true` its defaults fill it when absent. */
  object<F extends Fields, O extends { default?: true } = NoOpts>(schema: ObjectSchema<F> | (() => ObjectSchema<F>), o?: O): O extends { default: true } ? Field<Infer<F>> & { readonly present: true } : Field<Infer<F>> {
    const get = typeof schema === 'function' ? schema : () => schema;
    const field: Field<Record<string, unknown>> = {
      kind: 'object',
      schema: get,
      decode(node, at) {
        return decodeObject(node, get(), at);
      },
      encode: (v) => encodeObject(v, get()),
    };
    if (o?.default) Object.assign(field, { default: () => defaultsOf(get()), present: true });
    // the kit's one seam between decoded records and their inferred types
    return field as never;
  },
  /** List of objects. `nullItem` is the message for a `- ` item, or 'empty' to decode it as {}. */
  list<F extends Fields>(schema: ObjectSchema<F> | (() => ObjectSchema<F>), o?: { nullItem?: string; default?: boolean }): Field<Infer<F>[]> {
    const get = typeof schema === 'function' ? schema : () => schema;
    const field: Field<Record<string, unknown>[]> = {
      kind: 'list',
      schema: get,
      decode(node, at) {
        if (!isSeq(node)) return typeError(node, at, '[]object');
        const out: Record<string, unknown>[] = [];
        node.items.forEach((item, i) => {
          const n = item as Node;
          const iat = at.index(i, n);
          if (isNullNode(n)) {
            if (o?.nullItem && o.nullItem !== 'empty') {
              iat.fail(o.nullItem);
              return;
            }
            const v = decodeObject(null, get(), iat);
            if (v) out.push(v);
            return;
          }
          const v = decodeObject(n, get(), iat);
          if (v) out.push(v);
        });
        return out;
      },
      encode: (v) => v.map((x) => encodeObject(x, get())),
    };
    if (o?.default) (field as { default?: () => Record<string, unknown>[] }).default = () => [];
    return field as never;
  },
  /** Free-form YAML (webhook payload, pagerduty details, jira fields), converted to plain JS. */
  any<O extends Opts<unknown> = NoOpts>(o?: O): FieldOf<unknown, O> {
    return {
      kind: 'any',
      ...withDefault(o),
      decode(node, at) {
        return toPlain(node, at);
      },
      encode: (v: unknown) => v,
    } as FieldOf<unknown, O>;
  },
  /** Free-form YAML read as a mapping (pagerduty details, jira fields); decoded as `any`, typed as a map. */
  anyMap<O extends Opts<Record<string, unknown>> & { filled?: true } = NoOpts>(o?: O): FieldOf<Record<string, unknown>, O> {
    return { ...f.any(o as Opts<unknown>), kind: 'any' } as FieldOf<Record<string, unknown>, O>;
  },
};

/** A secret plus its `<name>_file` companion, mutually exclusive. Spread into an ObjectSchema's fields. */
export function secretPair<N extends string, M extends Field<Secret> = Field<Secret>>(
  name: N,
  main: M | 'secret-url' = f.secret() as M,
): { readonly [K in N]: M } & { readonly [K in `${N}_file`]: Field<string> } {
  const m = main === 'secret-url' ? f.secretUrl() : main;
  return {
    [name]: { ...m, fileCompanion: `${name}_file` },
    [`${name}_file`]: f.file(),
  } as never;
}

function encodeSecret(v: Secret): unknown {
  // a secret read from a file is shown through its `_file` companion, like upstream
  return v.file !== undefined ? undefined : SECRET_TOKEN;
}

function mapOf<T>(kind: string, into: string, value: Field<T>, o?: Opts<Record<string, T>>): Field<Record<string, T>> {
  return {
    kind,
    values: value as Field,
    ...withDefault(o),
    decode(node, at) {
      if (!isMap(node)) return typeError(node, at, into);
      const out: Record<string, T> = {};
      for (const { key, value: vnode, at: kat } of mapEntries(node, at)) {
        if (isNullNode(vnode)) continue;
        const v = value.decode(vnode as Node, kat);
        if (v !== undefined) out[key] = v;
      }
      return out;
    },
    encode: (v) => {
      const out: Record<string, unknown> = {};
      for (const [k, x] of Object.entries(v)) out[k] = value.encode(x);
      return out;
    },
  };
}

/** yaml.v2's texts: `field x already set in type ...` (struct) / `key "x" already set in map` (map). */
function duplicateKey(at: At, key: string, first: Node, struct?: string): void {
  const line = first.range ? at.ctx.lineCounter.linePos(first.range[0]).line : 0;
  at.failKey(struct ? `field ${key} already set in ${struct}` : `key "${key}" already set in map`, `first set at line ${line}`);
}

/**
 * The entries of a mapping node in order, each with its key text, key node and location. A key seen before is
 * reported with yaml.v2's text (for a struct when `struct` names it, else for a map) and skipped.
 */
function* mapEntries(node: YAMLMap, at: At, struct?: string): Generator<{ key: string; keyNode: Node; value: YNode; at: At }> {
  const seen = new Map<string, Node>();
  for (const pair of node.items) {
    const k = pair.key as Node;
    const key = isScalar(k) ? srcText(k) : '';
    const value = pair.value as YNode;
    const kat = at.key(key, value, k);
    const first = seen.get(key);
    if (first) {
      duplicateKey(kat, key, first, struct);
      continue;
    }
    seen.set(key, k);
    yield { key, keyNode: k, value, at: kat };
  }
}

/** Plain JS value of a node, with duplicate-key checks. */
export function toPlain(node: YNode, at: At): unknown {
  if (node == null || !spend(at)) return null;
  if (isScalar(node)) return node.value;
  if (isSeq(node)) return node.items.map((n, i) => toPlain(n as Node, at.index(i, n as Node)));
  if (isMap(node)) {
    const out: Record<string, unknown> = {};
    for (const e of mapEntries(node, at)) out[e.key] = toPlain(e.value, e.at);
    return out;
  }
  return null;
}

// ---------------------------------------------------------------- objects

/** Defaults of a schema (as if the object were empty), without running checks. */
export function defaultsOf(schema: ObjectSchema): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, fld] of Object.entries(schema.fields)) if (fld.default) out[k] = fld.default();
  return out;
}

/**
 * Decodes a mapping node against a schema. A null node decodes as an empty mapping (defaults applied, checks run).
 * Returns undefined only when the node is not a mapping at all.
 */
export function decodeObject(node: YNode, schema: ObjectSchema, at: At): Record<string, unknown> | undefined {
  if (!spend(at)) return undefined;
  const present = new Map<string, { key: Node; value: YNode }>();
  const out: Record<string, unknown> = {};
  if (!isNullNode(node)) {
    if (!isMap(node)) return typeError(node as Node, at, schema.name);
    for (const { key, keyNode, value: v, at: kat } of mapEntries(node, at, schema.name)) {
      present.set(key, { key: keyNode, value: v });
      const fld = schema.fields[key];
      if (!fld) {
        const known = Object.keys(schema.fields);
        // `slack_api_url` inside a slack_config means `api_url`: try the key without its prefix too
        const near = nearestKey(key, known) ?? known.find((k) => key.endsWith(`_${k}`));
        const hint = schema.hints?.[key] ?? (near ? `did you mean "${near}"?` : undefined);
        kat.failKey(`field ${key} not found in ${schema.name}`, hint);
        continue;
      }
      if (isNullNode(v)) continue;
      const reported = at.ctx.problems.length;
      const val = fld.decode(v as Node, kat);
      if (val !== undefined) out[key] = val;
      // `x: ""` that decodes to nothing (a secret, a file, a host:port) is Go's zero value: unset, so a global
      // fallback applies or the field is reported missing, as upstream
      else if (at.ctx.problems.length === reported && srcOf(v) === '') present.delete(key);
    }
  }
  const written = new Set<string>();
  for (const [k, p] of present) if (!isNullNode(p.value)) written.add(k);
  Object.defineProperty(out, WRITTEN, { value: written, enumerable: false });
  const oat = new ObjectAt(at, present);
  for (const [k, fld] of Object.entries(schema.fields)) {
    if (out[k] === undefined && !present.has(k) && fld.default) out[k] = fld.default();
    else if (out[k] === undefined && isNullNode(present.get(k)?.value) && fld.default) out[k] = fld.default();
  }
  // secret pairs: mutual exclusion, then the file becomes the secret's source
  for (const [k, fld] of Object.entries(schema.fields)) {
    if (!fld.fileCompanion) continue;
    const fk = fld.fileCompanion;
    if (out[k] !== undefined && out[fk] !== undefined) {
      oat.failField(fk, `at most one of ${k} & ${fk} must be configured`);
    } else if (out[fk] !== undefined) {
      out[k] = Secret.fromFile(out[fk] as string);
    }
  }
  for (const [a, b, msg] of schema.exclusive ?? []) {
    if (out[a] !== undefined && out[b] !== undefined) oat.failField(b, msg ?? `at most one of ${a} & ${b} must be configured`);
  }
  // a key written with a value that failed to decode already has its error: do not also call it missing
  const missing = (k: string): boolean => (out[k] === undefined || out[k] === '') && (!present.has(k) || isNullNode(present.get(k)!.value) || srcOf(present.get(k)!.value) === '');
  for (const [a, b, msg] of schema.oneOf ?? []) {
    if (missing(a) && missing(b)) oat.fail(msg);
  }
  for (const [k, fld] of Object.entries(schema.fields)) {
    if (fld.required && missing(k)) oat.failField(k, fld.required);
  }
  schema.check?.(out, oat);
  if (at.ctx.problems.length === 0) {
    for (const [k, fld] of Object.entries(schema.fields)) {
      if (fld.filled && out[k] === undefined) throw new Error(`${schema.name}.${k} is declared filled, but its check neither set it nor reported it`);
    }
  }
  return out;
}

/**
 * Re-encodes a decoded object in schema order, for `original`. A key Alertmanager 0.25 does not know (see
 * compat-025.ts) is left out unless the file wrote it, so amtool 0.25 can read configs that only use 0.25 keys.
 */
export function encodeObject(obj: Record<string, unknown>, schema: ObjectSchema): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const known = known025(schema.name);
  const written = writtenKeys(obj);
  for (const [k, fld] of Object.entries(schema.fields)) {
    const v = obj[k];
    if (v === undefined) continue;
    if (known && written && !known.has(k) && !written.has(k)) continue;
    const e = fld.encode(v as never);
    // nested objects left empty are omitted, like Go's omitempty on struct pointers
    if (e === undefined || (fld.kind === 'object' && e !== null && typeof e === 'object' && Object.keys(e).length === 0)) continue;
    out[k] = e;
  }
  return out;
}
