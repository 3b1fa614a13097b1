/**
 * @module schema/integration-spec
 * Helpers integration schemas are written with (STYLE.md 5.4): the `send_resolved` field, default template texts,
 * and the global fallbacks (the decoded `global` block, inherited values and secret pairs), which run inside the
 * schema's `check` (upstream does this per integration in config.go Config.UnmarshalYAML).
 */
import { copyWrittenKeys, f, type Field, type ObjectAt } from './schema';
import { Secret } from '../types/secret';

/** The `send_resolved` field every integration has, with its upstream default. */
export function sendResolved(dflt: boolean): Field<boolean> & { readonly present: true } {
  return f.bool({ default: dflt });
}

/** `{{ template "<name>" . }}`: default text fields are template names (template/default.tmpl). */
export function tmpl(name: string): string {
  return `{{ template "${name}" . }}`;
}

/** Deep copy of decoded config values; Secrets are immutable and shared. */
export function cloneValue<T>(v: T): T {
  if (v === null || typeof v !== 'object' || v instanceof Secret) return v;
  if (Array.isArray(v)) return v.map((x) => cloneValue(x)) as T;
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v as Record<string, unknown>)) out[k] = cloneValue(x);
  copyWrittenKeys(v, out);
  return out as T;
}

/** The decoded global block (undefined only while global itself is being decoded). */
export function globalOf(at: ObjectAt): Record<string, unknown> {
  return at.ctx.global ?? {};
}

/** http_config absent → a copy of global.http_config, whole (no field-level merge). */
export function inheritHttpConfig(o: Record<string, unknown>, at: ObjectAt): void {
  if (o.http_config === undefined) o.http_config = cloneValue(globalOf(at).http_config);
}

/** `local` unset → global value (cmp.Or). */
export function inherit(o: Record<string, unknown>, at: ObjectAt, local: string, global: string): void {
  if (o[local] === undefined && !at.has(local)) {
    const g = globalOf(at)[global];
    if (g !== undefined) o[local] = cloneValue(g);
  }
}

/** Secret pair `local`/`local_file` both unset → global pair. */
export function inheritPair(o: Record<string, unknown>, at: ObjectAt, local: string, global: string): void {
  if (o[local] === undefined && !at.has(local) && !at.has(`${local}_file`)) {
    const g = globalOf(at);
    if (g[global] !== undefined) o[local] = g[global];
    if (g[`${global}_file`] !== undefined) o[`${local}_file`] = g[`${global}_file`];
  }
}

/** True when the field is set or was written (even if its value failed to decode: no second error). */
export function given(o: Record<string, unknown>, at: ObjectAt, key: string): boolean {
  return o[key] !== undefined || at.has(key);
}
