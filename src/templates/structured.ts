/**
 * @module templates/structured
 * The "structured value" rule (upstream template/template.go DeepCopyWithTemplate), used by the webhook
 * `payload`, PagerDuty `details` and Jira `fields`: string map keys and string leaves are templates; a rendered
 * leaf that parses as YAML to a non-string value (list, map, number, bool, null) becomes that value, otherwise
 * the rendered text is kept; parsed values are final (never re-templated, upstream #5302); non-string map keys
 * are dropped; other leaves are copied.
 *
 * Upstream parses the rendered text with gopkg.in/yaml.v2, i.e. YAML 1.1 as go-yaml resolves it: `yes`/`no`/
 * `on`/`off`/`y`/`n` are booleans, `~` and the empty text are null, `0777` is octal, `1_000` is 1000, and Go's
 * `strconv.ParseInt(s, 0, 64)` prefixes (`0o17`, `0X1F`, `0B101`) are integers; but a timestamp
 * (`2024-01-01`) and a sexagesimal number (`1:30`) stay text, and only the first document counts.
 */
import { parseAllDocuments, type Tags } from 'yaml';

/** Go's ParseInt base prefixes the YAML 1.1 schema lacks (it has lower-case 0x and 0b only, and no 0o). */
const goPrefixedInt = {
  tag: 'tag:yaml.org,2002:int',
  default: true,
  test: /^[-+]?0(?:[oO][0-7_]+|[xX][0-9a-fA-F_]+|[bB][01_]+)$/,
  resolve(text: string): number {
    const sign = text.startsWith('-') ? -1 : 1;
    const digits = text.replace(/^[-+]/, '').replace(/_/g, '');
    const radix = { o: 8, x: 16, b: 2 }[digits[1]!.toLowerCase() as 'o' | 'x' | 'b'];
    return sign * Number.parseInt(digits.slice(2), radix);
  },
};

/** YAML 1.1 tags go-yaml v2 does not resolve a plain scalar to (it keeps the text). */
function goYamlV2Tags(tags: Tags): Tags {
  const kept = tags.filter((t) => {
    const tag = typeof t === 'string' ? t : t.tag;
    const format = typeof t === 'string' ? undefined : (t as { format?: string }).format;
    return tag !== 'tag:yaml.org,2002:timestamp' && tag !== 'tag:yaml.org,2002:binary' && format !== 'TIME';
  });
  return [goPrefixedInt, ...kept];
}

const NOT_STRUCTURED = Symbol('not structured');

/** The rendered text as go-yaml v2 decodes it into `any`, or NOT_STRUCTURED when that is an error or a string. */
function parseRendered(text: string): unknown {
  let doc: ReturnType<typeof parseAllDocuments>;
  try {
    doc = parseAllDocuments(text, { version: '1.1', customTags: goYamlV2Tags, uniqueKeys: false });
  } catch {
    return NOT_STRUCTURED;
  }
  if (!Array.isArray(doc)) return null; // no document at all: empty text or only comments, null as upstream
  const first = doc[0];
  if (!first) return null;
  if (first.errors.length > 0) return NOT_STRUCTURED;
  let value: unknown;
  try {
    value = first.toJS({ mapAsMap: true });
  } catch {
    return NOT_STRUCTURED; // e.g. too many aliases
  }
  if (typeof value === 'string') return NOT_STRUCTURED;
  try {
    return normalize(value, new Set());
  } catch {
    return NOT_STRUCTURED; // an anchor that contains itself (go-yaml: an error, so the text is kept)
  }
}

function setOwn(o: Record<string, unknown>, key: string, v: unknown): void {
  // defineProperty: a key named __proto__ is data, not the object's prototype
  Object.defineProperty(o, key, { value: v, enumerable: true, writable: true, configurable: true });
}

/** Decoded YAML to JSON-ready values: maps keep their string keys only (upstream normalizeYAMLValue). */
function normalize(value: unknown, ancestors: Set<unknown>): unknown {
  if (!Array.isArray(value) && !(value instanceof Map)) return value ?? null;
  if (ancestors.has(value)) throw new Error('recursive YAML value');
  ancestors.add(value);
  let out: unknown;
  if (Array.isArray(value)) out = value.map((v) => normalize(v, ancestors));
  else {
    const o: Record<string, unknown> = {};
    for (const [k, v] of value) if (typeof k === 'string') setOwn(o, k, normalize(v, ancestors));
    out = o;
  }
  ancestors.delete(value);
  return out;
}

export function deepCopyWithTemplate(value: unknown, render: (text: string) => string): unknown {
  if (value === null || value === undefined) return value;
  if (typeof value === 'string') {
    const out = render(value);
    const parsed = parseRendered(out);
    return parsed === NOT_STRUCTURED ? out : parsed;
  }
  if (Array.isArray(value)) return value.map((v) => deepCopyWithTemplate(v, render));
  const entries = value instanceof Map ? [...value] : typeof value === 'object' ? Object.entries(value) : undefined;
  if (!entries) return value;
  const o: Record<string, unknown> = {};
  for (const [k, v] of entries) if (typeof k === 'string') setOwn(o, render(k), deepCopyWithTemplate(v, render));
  return o;
}
