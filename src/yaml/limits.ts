/**
 * @module yaml/limits
 * Limits a parsed YAML document before anything walks it: its nesting depth, aliases followed (every walker of the
 * config recurses, and JavaScript's stack is far smaller than Go's), and its alias expansion ("billion laughs": a few hundred bytes
 * of `&a [*b, *b, ...]` anchors can stand for millions of nodes). The rule is gopkg.in/yaml.v2's, the decoder
 * Alertmanager uses (decode.go allowedAliasRatio): while decoding, the share of nodes that come from alias expansion
 * may be at most 99% up to 400,000 decoded nodes, falling linearly to 10% at 4,000,000; it is only checked once more
 * than 1,000 nodes are decoded and more than 100 come from aliases. So a document expands to at most about 100 times
 * its own size, and what Alertmanager accepts is accepted here too.
 *
 * The check never expands anything: the expanded size of each node is computed once (memoised over the anchor
 * graph), and yaml.v2's counters are advanced in document order, checked after each alias as yaml.v2 would after
 * the last node decoded through it, which is where the share of aliased nodes is highest.
 */
import { type Document, isAlias, isMap, isPair, isSeq, type LineCounter, type Node, type Pair, visit } from 'yaml';

/**
 * Deepest nesting accepted, counted through aliases (yaml.v2 allows 10,000; a config needs a few dozen). Every
 * recursive walker (decoding, `original`, route trees) stays well inside the default stack at this depth.
 */
export const MAX_DEPTH = 400;

/** yaml.v2 decode.go alias_ratio_range_low / _high */
const RATIO_RANGE_LOW = 400_000;
const RATIO_RANGE_HIGH = 4_000_000;

/** yaml.v2 allowedAliasRatio: the share of decoded nodes that may come from aliases, at a given decoded count. */
export function allowedAliasRatio(decoded: number): number {
  if (decoded <= RATIO_RANGE_LOW) return 0.99;
  if (decoded >= RATIO_RANGE_HIGH) return 0.1;
  return 0.99 - (0.89 * (decoded - RATIO_RANGE_LOW)) / (RATIO_RANGE_HIGH - RATIO_RANGE_LOW);
}

export interface YamlLimitProblem {
  message: string;
  hint: string;
  /** 1-based position of the node (or alias) at which the limit was passed */
  line: number;
  column: number;
}

type YNode = Node | Pair | null | undefined;

/**
 * The node each alias stands for: the latest anchor of that name before it, in document order. One pass before any
 * expansion, so shared nodes are never walked twice.
 */
export function aliasTargets(doc: Document): Map<Node, Node> {
  const anchors = new Map<string, Node>();
  const targets = new Map<Node, Node>();
  visit(doc, {
    Node(_k, n) {
      if (isAlias(n)) {
        const t = anchors.get(n.source);
        if (t) targets.set(n, t);
      } else if (n.anchor) anchors.set(n.anchor, n);
    },
  });
  return targets;
}

/**
 * Returns a problem when the document nests deeper than {@link MAX_DEPTH} or its aliases expand beyond yaml.v2's
 * limit, else undefined. `resolve` maps an alias node to the node it stands for (undefined when its anchor is unknown).
 */
export function yamlLimitProblem(root: Node | null | undefined, resolve: (alias: Node) => Node | undefined, lineCounter: LineCounter): YamlLimitProblem | undefined {
  const at = (n: Node) => (n.range ? lineCounter.linePos(n.range[0]) : { line: 0, col: 0 });
  // expanded size and depth of a node, aliases followed (an alias counts 1 + its target); memoised, so shared
  // nodes are measured once. Only called for nodes the walk below has passed, whose own depth is bounded.
  const sizes = new Map<Node, { size: number; depth: number }>();
  const inProgress = new Set<Node>();
  const measure = (n: YNode): { size: number; depth: number } => {
    if (n == null) return { size: 0, depth: 0 };
    if (isPair(n)) {
      const k = measure(n.key as YNode);
      const v = measure(n.value as YNode);
      return { size: k.size + v.size, depth: Math.max(k.depth, v.depth) };
    }
    const known = sizes.get(n);
    if (known !== undefined) return known;
    // an alias inside its own anchor is not expanded further by the loader either
    if (inProgress.has(n)) return { size: 1, depth: 1 };
    inProgress.add(n);
    let size = 1;
    let depth = 0;
    if (isAlias(n)) {
      const t = measure(resolve(n));
      size += t.size;
      depth = t.depth;
    } else if (isSeq(n) || isMap(n)) {
      for (const item of n.items as YNode[]) {
        const c = measure(item);
        size += c.size;
        depth = Math.max(depth, c.depth + 1);
      }
    }
    const m = { size, depth: Math.max(depth, 1) };
    inProgress.delete(n);
    sizes.set(n, m);
    return m;
  };

  let decoded = 0;
  let aliased = 0;
  let problem: YamlLimitProblem | undefined;
  const tooDeep = (n: Node): YamlLimitProblem => {
    const pos = at(n);
    return { message: `yaml: exceeded max depth of ${MAX_DEPTH}`, hint: `Tocsin accepts at most ${MAX_DEPTH} levels of nesting, aliases followed`, line: pos.line, column: pos.col };
  };
  // the document's own nodes in order; aliases are counted with everything they expand to, not entered
  const walk = (n: YNode, depth: number): void => {
    if (n == null || problem) return;
    if (isPair(n)) {
      walk(n.key as YNode, depth);
      walk(n.value as YNode, depth);
      return;
    }
    decoded += 1;
    if (depth > MAX_DEPTH) {
      problem = tooDeep(n);
      return;
    }
    if (isAlias(n)) {
      const target = measure(resolve(n));
      decoded += target.size;
      aliased += target.size;
      if (aliased > 100 && decoded > 1000 && aliased / decoded > allowedAliasRatio(decoded)) {
        const pos = at(n);
        problem = {
          message: 'yaml: document contains excessive aliasing',
          hint: `aliases expand this document to ${decoded} nodes, ${((aliased / decoded) * 100).toFixed(1)}% of them copies; at this size at most ${(allowedAliasRatio(decoded) * 100).toFixed(1)}% may come from aliases (*name)`,
          line: pos.line,
          column: pos.col,
        };
      } else if (depth - 1 + target.depth > MAX_DEPTH) problem = tooDeep(n);
      return;
    }
    if (isSeq(n) || isMap(n)) for (const item of n.items as YNode[]) walk(item, depth + 1);
  };
  walk(root, 1);
  return problem;
}
