/**
 * @module config/inhibit
 * The `<inhibit_rule>` schema (§1.6; upstream config/common/inhibitrule.go) and its conversion: all source forms
 * (source_match, source_match_re, source_matchers) are ANDed into one list; the same for targets.
 */
import type { Matcher } from '../matchers/types';
import { createMatcher, isValidLabelName, sortMatchers } from '../matchers';
import { checkMatchMap, itemAt, regexMap } from './route';
import { f, type ObjectSchema } from '../schema/schema';
import type { InhibitRuleConfig } from './types';

export const inhibitRuleSchema: ObjectSchema = {
  name: 'inhibit_rule',
  fields: {
    name: f.string(),
    source_match: f.stringMap(),
    source_match_re: regexMap(),
    source_matchers: f.matchers(),
    target_match: f.stringMap(),
    target_match_re: regexMap(),
    target_matchers: f.matchers(),
    equal: f.stringList(),
  },
  check(o, at) {
    checkMatchMap(o, at, 'source_match', false);
    checkMatchMap(o, at, 'source_match_re', true);
    checkMatchMap(o, at, 'target_match', false);
    checkMatchMap(o, at, 'target_match_re', true);
    ((o.equal as string[] | undefined) ?? []).forEach((l, i) => {
      if (!isValidLabelName(l, at.ctx.matcherMode)) itemAt(at, 'equal', i).fail(`invalid label name "${l}" in equal list`);
    });
  },
};

function side(o: Record<string, unknown>, prefix: 'source' | 'target'): Matcher[] {
  const out: Matcher[] = [];
  for (const [type, key] of [
    ['=', `${prefix}_match`],
    ['=~', `${prefix}_match_re`],
  ] as const) {
    for (const [k, v] of Object.entries((o[key] as Record<string, string> | undefined) ?? {})) {
      try {
        out.push(createMatcher(type, k, v));
      } catch {
        /* reported during the walk */
      }
    }
  }
  out.push(...((o[`${prefix}_matchers`] as Matcher[] | undefined) ?? []));
  return sortMatchers(out);
}

export function toInhibitRuleConfig(o: Record<string, unknown>): InhibitRuleConfig {
  const out: InhibitRuleConfig = {
    source_matchers: side(o, 'source'),
    target_matchers: side(o, 'target'),
    equal: (o.equal as string[] | undefined) ?? [],
  };
  if (typeof o.name === 'string' && o.name !== '') out.name = o.name;
  return out;
}
