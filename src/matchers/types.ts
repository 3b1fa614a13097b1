/**
 * A label matcher (upstream pkg/labels/matcher.go). Regex matchers are fully anchored `^(?:re)$`
 * with RE2 semantics (re2js), so matching is linear time.
 */
export type MatchType = '=' | '!=' | '=~' | '!~';

export interface Matcher {
  readonly name: string;
  readonly type: MatchType;
  readonly value: string;
  /** true if the label value (missing label = "") satisfies the matcher */
  matches(value: string): boolean;
  /** upstream Matcher.String(): name, operator, Go-quoted value, e.g. foo=~"bar.*" */
  toString(): string;
}
