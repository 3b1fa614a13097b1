/**
 * Opt-in Handlebars engine for `.hbs` template files: one template per file, named after the file
 * (base name without `.hbs`), callable from Go templates with {{ template "name" . }}. It sees the same
 * data (as plain objects: `Alerts`, `Alerts.Firing`, `Labels.SortedPairs`, ...) and the same functions,
 * registered as helpers. Text renders without HTML escaping; HTML renders with Handlebars' escaping.
 */
import Handlebars from 'handlebars';
import type { FuncEntry } from './exec';
import { GoDuration, GoTime } from './time-values';
import { GoCallError, GoFloat, type GoFunc, GoMap, GoSlice, GoStruct, isPlainObject, SafeHTML, SafeURL, StringSlice } from './values';

const GO = Symbol('go');

function hide(o: object, key: string | symbol, value: unknown): void {
  Object.defineProperty(o, key, { value, enumerable: false });
}

/** A plain-object view of a Go value for Handlebars. Methods without arguments become hidden properties. */
export function hbsView(v: unknown, depth = 0): unknown {
  if (v === null || v === undefined || typeof v !== 'object' || depth > 50) return v;
  if (v instanceof GoFloat) return v.v;
  if (v instanceof GoTime || v instanceof GoDuration) return v;
  if (v instanceof SafeHTML || v instanceof SafeURL) return v.s;
  if (Array.isArray(v)) return v.map((x) => hbsView(x, depth + 1));
  if (isPlainObject(v)) {
    const o: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) o[k] = hbsView(x, depth + 1);
    return o;
  }
  let out: Record<string, unknown> | unknown[];
  let methods: string[] = [];
  if (v instanceof GoSlice) {
    out = v.items.map((x) => hbsView(x, depth + 1));
    methods = ['Firing', 'Resolved', 'Names', 'Values'];
  } else if (v instanceof GoMap) {
    const o: Record<string, unknown> = {};
    for (const k of v.sortedKeys()) o[k] = hbsView(v.get(k), depth + 1);
    out = o;
    methods = ['SortedPairs', 'Names', 'Values'];
  } else if (v instanceof GoStruct) {
    const o: Record<string, unknown> = {};
    for (const f of v.fieldNames) o[f] = hbsView(v.field(f), depth + 1);
    out = o;
  } else return v;
  for (const m of methods) {
    const fn = (v as GoSlice | GoMap).goMethod(m);
    if (fn && fn.params.length === 0) hide(out, m, hbsView(fn.fn(), depth + 1));
  }
  if (typeof (v as { goString?: unknown }).goString === 'function') {
    const s = (v as { goString: () => string }).goString();
    hide(out, 'toString', () => s);
  }
  hide(out, GO, v);
  return out;
}

/** Converts a Handlebars argument back to the Go value a function expects. */
function toGo(v: unknown, param: string | undefined): unknown {
  if (v && typeof v === 'object' && GO in v) return (v as Record<symbol, unknown>)[GO];
  if (param === 'strings' && Array.isArray(v)) return new StringSlice(v.map(String));
  if (v instanceof Handlebars.SafeString) return v.toString();
  return v;
}

function fromGo(v: unknown): unknown {
  if (v instanceof SafeHTML || v instanceof SafeURL) return new Handlebars.SafeString(v.s);
  return hbsView(v);
}

export interface HbsTemplate {
  readonly name: string;
  render(data: unknown, html: boolean): string;
}

/** A Handlebars environment of its own, with the Go function map as helpers. */
export class HbsEngine {
  private readonly hb = Handlebars.create();

  constructor(funcs: ReadonlyMap<string, FuncEntry>) {
    for (const [name, entry] of funcs) {
      if (entry === 'and' || entry === 'or') {
        this.hb.registerHelper(name, (...args: unknown[]) => {
          const vals = args.slice(0, -1);
          if (entry === 'and') return vals.find((x) => !x) ?? vals[vals.length - 1];
          return vals.find((x) => !!x) ?? vals[vals.length - 1];
        });
        continue;
      }
      const f: GoFunc = entry;
      this.hb.registerHelper(name, (...args: unknown[]) => {
        const vals = args.slice(0, -1).map((a, i) => toGo(a, f.params[i] ?? f.variadic));
        try {
          return fromGo(f.fn(...vals));
        } catch (e) {
          if (e instanceof GoCallError) throw new GoCallError(`error calling ${name}: ${e.message}`);
          throw e;
        }
      });
    }
  }

  /** Checks the syntax now (Handlebars compiles lazily) and returns the template. */
  compile(fileName: string, text: string): HbsTemplate {
    try {
      this.hb.parse(text);
    } catch (e) {
      throw new GoCallError(`template: ${fileName}: ${(e as Error).message.split('\n')[0]}`);
    }
    const textFn = this.hb.compile(text, { noEscape: true });
    const htmlFn = this.hb.compile(text);
    const name = fileName.replace(/\.hbs$/, '');
    return {
      name,
      render: (data, html) => {
        try {
          return (html ? htmlFn : textFn)(hbsView(data));
        } catch (e) {
          throw new GoCallError(`template: ${fileName}: ${(e as Error).message.split('\n')[0]}`);
        }
      },
    };
  }
}
