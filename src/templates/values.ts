/**
 * The Go value model the template engine works on.
 *
 * JS values stand for Go values as follows:
 *   string -> string, boolean -> bool, integer number -> int, GoFloat / non-integer number -> float64,
 *   null/undefined -> nil (an invalid reflect.Value), plain array -> []interface {},
 *   plain object -> map[string]interface {}.
 * Named Go types (template.KV, template.Alerts, time.Time, ...) are classes extending the bases below.
 */
import { compareStrings } from '../types/labels';

/** A float64 (needed to tell `3.0` from the int `3`). */
export class GoFloat {
  constructor(readonly v: number) {}
}

/** html/template typed strings (template.HTML, template.URL). */
export class SafeHTML {
  readonly goType = 'template.HTML';
  constructor(readonly s: string) {}
}
export class SafeURL {
  readonly goType = 'template.URL';
  constructor(readonly s: string) {}
}

/** A Go error raised by a function or method; the executor wraps it as `error calling NAME: msg`. */
export class GoCallError extends Error {}

/** Parameter types; 'reflect' is Go's reflect.Value parameter of builtins (anything but a literal nil). */
export type ParamType = 'any' | 'reflect' | 'string' | 'bool' | 'int' | 'float' | 'strings' | 'anys' | 'time' | 'kv';

/** A callable: a function-map entry or a method. Throws GoCallError for Go's error result. */
export interface GoFunc {
  readonly params: readonly ParamType[];
  /** type of the ... parameter, if variadic */
  readonly variadic?: ParamType;
  readonly fn: (...args: unknown[]) => unknown;
}

/** A named struct type: fields by name (exported fields only), in declaration order. */
export abstract class GoStruct {
  abstract readonly goType: string;
  abstract readonly fieldNames: readonly string[];
  abstract field(name: string): unknown;
  goMethod(_name: string): GoFunc | undefined {
    return undefined;
  }
  /** Stringer (fmt calls String() when defined) */
  goString?(): string;
}

/** A named map type with string keys. */
export abstract class GoMap {
  abstract readonly goType: string;
  /** zero value of the element type, returned for a missing key (missingkey=zero) */
  abstract readonly elemZero: unknown;
  abstract get(key: string): unknown;
  abstract has(key: string): boolean;
  abstract sortedKeys(): string[];
  abstract get size(): number;
  goMethod(_name: string): GoFunc | undefined {
    return undefined;
  }
  goString?(): string;
}

/** A named slice type. */
export abstract class GoSlice {
  abstract readonly goType: string;
  abstract readonly items: readonly unknown[];
  /** Go type of the elements, for typed results such as `slice` */
  goMethod(_name: string): GoFunc | undefined {
    return undefined;
  }
  goString?(): string;
}

/** A slice of strings with a given Go type name ([]string, template.Strings). */
export class StringSlice extends GoSlice {
  constructor(
    readonly items: readonly string[],
    readonly goType: string = '[]string',
  ) {
    super();
  }
}

export function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (v === null || typeof v !== 'object') return false;
  const p = Object.getPrototypeOf(v);
  return p === Object.prototype || p === null;
}

export function isNil(v: unknown): v is null | undefined {
  return v === null || v === undefined;
}

export function isInt(v: unknown): v is number {
  return typeof v === 'number' && Number.isInteger(v);
}

export function isFloat(v: unknown): boolean {
  return v instanceof GoFloat || (typeof v === 'number' && !Number.isInteger(v));
}

export function numVal(v: unknown): number {
  return v instanceof GoFloat ? v.v : (v as number);
}

export type BasicKind = 'bool' | 'int' | 'float' | 'string' | 'invalid';

export function basicKind(v: unknown): BasicKind {
  switch (typeof v) {
    case 'string':
      return 'string';
    case 'boolean':
      return 'bool';
    case 'number':
      return Number.isInteger(v) ? 'int' : 'float';
    default:
      if (v instanceof GoFloat) return 'float';
      if (v instanceof SafeHTML || v instanceof SafeURL) return 'string';
      return 'invalid';
  }
}

/** The string content of string-kinded values (string, template.HTML, template.URL). */
export function stringContent(v: unknown): string | undefined {
  if (typeof v === 'string') return v;
  if (v instanceof SafeHTML || v instanceof SafeURL) return v.s;
  return undefined;
}

/** The Go type name, as reflect's Type.String() prints it. */
export function typeName(v: unknown): string {
  switch (typeof v) {
    case 'string':
      return 'string';
    case 'boolean':
      return 'bool';
    case 'number':
      return Number.isInteger(v) ? 'int' : 'float64';
    case 'function':
      return 'func(...interface {}) (interface {}, error)';
    case 'undefined':
      return '<nil>';
    default:
      if (v === null) return '<nil>';
      if (v instanceof GoFloat) return 'float64';
      if (Array.isArray(v)) return '[]interface {}';
      if (isPlainObject(v)) return 'map[string]interface {}';
      return (v as { goType?: string }).goType ?? 'interface {}';
  }
}

/** Go's truth rules (text/template isTrue). */
export function truth(v: unknown): boolean {
  switch (typeof v) {
    case 'string':
      return v !== '';
    case 'boolean':
      return v;
    case 'number':
      return v !== 0;
    case 'undefined':
      return false;
    case 'function':
      return true;
    default:
      if (v === null) return false;
      if (v instanceof GoFloat) return v.v !== 0;
      if (Array.isArray(v)) return v.length > 0;
      if (v instanceof GoSlice) return v.items.length > 0;
      if (v instanceof GoMap) return v.size > 0;
      if (v instanceof SafeHTML || v instanceof SafeURL) return v.s !== '';
      if (isPlainObject(v)) {
        for (const _ in v) return true;
        return false;
      }
      if (typeof (v as { isTruthy?: () => boolean }).isTruthy === 'function') {
        return (v as { isTruthy: () => boolean }).isTruthy();
      }
      return true;
  }
}

/** Elements of a sliceable value, or undefined. */
export function sliceItems(v: unknown): readonly unknown[] | undefined {
  if (Array.isArray(v)) return v;
  if (v instanceof GoSlice) return v.items;
  return undefined;
}

export function mapKeys(v: GoMap | Record<string, unknown>): string[] {
  if (v instanceof GoMap) return v.sortedKeys();
  return Object.keys(v).sort(compareStrings);
}

export function mapGet(v: GoMap | Record<string, unknown>, k: string): { found: boolean; value: unknown } {
  if (v instanceof GoMap) {
    return v.has(k) ? { found: true, value: v.get(k) } : { found: false, value: v.elemZero };
  }
  return Object.hasOwn(v, k) ? { found: true, value: v[k] } : { found: false, value: null };
}

/** UTF-8 byte length of a JS string. */
export function utf8Length(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff) {
      n += 4;
      i++;
    } else n += 3;
  }
  return n;
}
