/**
 * @module notifiers/webhook/custom-payload
 * The `payload` option (master >= 0.32; reference §9.6 "structured value" rule): map keys and string leaves
 * are templates; a rendered leaf that parses as non-string YAML (list, map, number, bool, null) becomes that
 * structure, otherwise the text is kept. Parsed structures are not re-templated; other leaves are copied.
 */
import { parse } from 'yaml';

export function renderStructured(value: unknown, render: (text: string) => string): unknown {
  if (typeof value === 'string') {
    const text = render(value);
    let parsed: unknown;
    try {
      parsed = parse(text);
    } catch {
      return text;
    }
    return typeof parsed === 'string' ? text : (parsed ?? null);
  }
  if (Array.isArray(value)) return value.map((v) => renderStructured(v, render));
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) out[render(k)] = renderStructured(v, render);
    return out;
  }
  return value;
}
