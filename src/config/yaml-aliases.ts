/**
 * @module config/yaml-aliases
 * Limits alias expansion in a parsed YAML document before anything walks it ("billion laughs": a few hundred bytes
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

/** yaml.v2 decode.go alias_ratio_range_low / _high */
const RATIO_RANGE_LOW = 400_000;
const RATIO_RANGE_HIGH = 4_000_000;

/** yaml.v2 allowedAliasRatio: the share of decoded nodes that may come from aliases, at a given decoded count. */
export function allowedAliasRatio(decoded: number): number {
  if (decoded <= RATIO_RANGE_LOW) return 0.99;
  if (decoded >= RATIO_RANGE_HIGH) return 0.1;
  return 0.99 - (0.89 * (decoded - RATIO_RANGE_LOW)) / (RATIO_RANGE_HIGH - RATIO_RANGE_LOW);
}

export interface AliasProblem {
  message: string;
  hint: string;
  /** 1-based position of the alias at which the limit was passed */
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
 * Returns a problem when the document's aliases expand beyond yaml.v2's limit, else undefined.
 * `resolve` maps an alias node to the node it stands for (undefined when its anchor is unknown).
 */
export function excessiveAliasing(root: Node | null | undefined, resolve: (alias: Node) => Node | undefined, lineCounter: LineCounter): AliasProblem | undefined {
  // expanded size of a node: itself plus every node below it, aliases followed (an alias counts 1 + its target)
  const sizes = new Map<Node, number>();
  const inProgress = new Set<Node>();
  const sizeOf = (n: YNode): number => {
    if (n == null) return 0;
    if (isPair(n)) return sizeOf(n.key as YNode) + sizeOf(n.value as YNode);
    const known = sizes.get(n);
    if (known !== undefined) return known;
    // an alias inside its own anchor is not expanded further by the loader either
    if (inProgress.has(n)) return 1;
    inProgress.add(n);
    let s = 1;
    if (isAlias(n)) s += sizeOf(resolve(n));
    else if (isSeq(n) || isMap(n)) for (const item of n.items as YNode[]) s += sizeOf(item);
    inProgress.delete(n);
    sizes.set(n, s);
    return s;
  };

  let decoded = 0;
  let aliased = 0;
  let problem: AliasProblem | undefined;
  // the document's own nodes in order; aliases are counted with everything they expand to, not entered
  const walk = (n: YNode): void => {
    if (n == null || problem) return;
    if (isPair(n)) {
      walk(n.key as YNode);
      walk(n.value as YNode);
      return;
    }
    decoded += 1;
    if (isAlias(n)) {
      const expanded = sizeOf(resolve(n));
      decoded += expanded;
      aliased += expanded;
      if (aliased > 100 && decoded > 1000 && aliased / decoded > allowedAliasRatio(decoded)) {
        const pos = n.range ? lineCounter.linePos(n.range[0]) : { line: 0, col: 0 };
        problem = {
          message: 'yaml: document contains excessive aliasing',
          hint: `aliases expand this document to ${decoded} nodes, ${((aliased / decoded) * 100).toFixed(1)}% of them copies; at this size at most ${(allowedAliasRatio(decoded) * 100).toFixed(1)}% may come from aliases (*name)`,
          line: pos.line,
          column: pos.col,
        };
      }
      return;
    }
    if (isSeq(n) || isMap(n)) for (const item of n.items as YNode[]) walk(item);
  };
  walk(root);
  return problem;
}
