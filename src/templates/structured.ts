/**
 * The "structured value" rule (upstream template.DeepCopyWithTemplate, used for PagerDuty `details`
 * and webhook `payload`): string keys and leaves are rendered; a rendered leaf that parses as YAML to a
 * non-string value is replaced by that value (not re-templated); non-string map keys are dropped.
 */
import { parse as parseYaml } from 'yaml';

export function deepCopyWithTemplate(value: unknown, render: (text: string) => string): unknown {
  if (value === null || value === undefined) return value;
  if (typeof value === 'string') {
    const out = render(value);
    let parsed: unknown;
    try {
      parsed = parseYaml(out, { version: '1.1' });
    } catch {
      return out;
    }
    if (typeof parsed === 'string') return out;
    return parsed ?? null;
  }
  if (Array.isArray(value)) return value.map((v) => deepCopyWithTemplate(v, render));
  if (value instanceof Map) {
    const o: Record<string, unknown> = {};
    for (const [k, v] of value) if (typeof k === 'string') o[render(k)] = deepCopyWithTemplate(v, render);
    return o;
  }
  if (typeof value === 'object') {
    const o: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) o[render(k)] = deepCopyWithTemplate(v, render);
    return o;
  }
  return value;
}
