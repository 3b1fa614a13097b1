/**
 * Query parameters as upstream's go-swagger binding reads them (api/v2/restapi/operations/*_parameters.go).
 */

// go-openapi swag.ConvertBool (swag/conv): these words, in any case, are true; anything else is false, never an error
const TRUE_WORDS = new Set(['true', '1', 'yes', 'ok', 'y', 'on', 'selected', 'checked', 't', 'enabled']);

/**
 * A boolean query parameter (bind<Name> in the generated *_parameters.go): of a repeated parameter the LAST value
 * counts; an absent or empty value keeps the default (`?active=` is `active=true`); otherwise swag.ConvertBool.
 * `v` is an express query value (string or string[]) or URLSearchParams.getAll's array.
 */
export function queryBool(v: unknown, dflt: boolean): boolean {
  const last: unknown = Array.isArray(v) ? v[v.length - 1] : v;
  if (last === undefined || last === null || last === '') return dflt;
  return TRUE_WORDS.has(String(last).toLowerCase());
}

/** Every value of a repeated query parameter, in order (absent: none). */
export function queryList(v: unknown): string[] {
  if (v === undefined) return [];
  return (Array.isArray(v) ? v : [v]).map(String);
}
