/**
 * @module notifiers/shared/omit-empty
 * Go's `json:",omitempty"` for payload builders: drops the fields whose value is empty.
 */

/** '' , undefined and empty arrays: the empty values most payloads omit. */
export function isEmptyValue(v: unknown): boolean {
  return v === '' || v === undefined || (Array.isArray(v) && v.length === 0);
}

/** A copy of `o` without the fields `isEmpty` (default isEmptyValue) calls empty; key order is kept. */
export function omitEmpty<T extends Record<string, unknown>>(o: T, isEmpty: (v: unknown) => boolean = isEmptyValue): Partial<T> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(o)) if (!isEmpty(v)) out[k] = v;
  return out as Partial<T>;
}
