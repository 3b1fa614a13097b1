/**
 * @module config/loader
 * YAML text → validated {@link LoadedConfig}, or a {@link ConfigError} listing EVERY problem found in one pass
 * (file, line, column, YAML path, hint). Follows upstream config/config.go Load/LoadFile and
 * Config.UnmarshalYAML, but declared through schemas (src/schema/schema.ts) instead of hand-coded per key.
 *
 * @example
 * const loaded = await loadConfigFile('/etc/tocsin/alertmanager.yml');
 * loaded.config.route.receiver; // 'default'
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs';
import { promisify } from 'node:util';
import { dirname, resolve } from 'node:path';
import { isMap, isScalar, isSeq, LineCounter, type Node, parseDocument, stringify, type YAMLMap } from 'yaml';
import { ConfigError, type ConfigProblem } from '../types/errors';
import type { MatcherParseMode } from '../matchers';
import { TemplateSet } from '../templates/template-set';
import { eventRecorderSchema } from './event-recorder';
import { globalSchema } from './global';
import { inhibitRuleSchema, toInhibitRuleConfig } from './inhibit';
import { UNSUPPORTED_INTEGRATIONS } from './integrations';
import { receiverSchema, toReceiverConfig } from './receiver';
import { ROOT_DEFAULTS, routeSchema, toRouteConfig } from './route';
import { At, decodeObject, defaultsOf, encodeObject, expandAliases, f, type Field, type ObjectSchema, type WalkContext } from '../schema/schema';
import { muteTimeIntervalSchema, timeIntervalSchema, toTimeIntervalConfig } from './time-intervals';
import type { Config, GlobalConfig, LoadedConfig } from './types';
import type { EventRecorderConfig } from './event-recorder';
import { aliasTargets, yamlLimitProblem } from '../yaml/limits';

export interface LoadOptions {
  /** matcher parser mode (`--enable-feature` utf8-strict-mode / classic-mode); default 'fallback' */
  matcherMode?: MatcherParseMode;
  /**
   * Read and parse the `templates:` files too (default true), so their problems join the list, located in the
   * template file. `check-config` (amtool prints template failures on their own lines) and `config routes`
   * (amtool does not read templates) turn it off.
   */
  templateFiles?: boolean;
  /**
   * Accept integrations listed in UNSUPPORTED_INTEGRATIONS (parsed and validated, but Tocsin cannot send them
   * yet). Default false: a config using one is rejected. For schema tests and tooling.
   */
  acceptUnsupported?: boolean;
}

/** The global block, decoded before everything else so integrations can read their fallbacks. */
const preDecodedGlobal: Field<Record<string, unknown>> = {
  kind: 'object',
  decode: (_node, at) => at.ctx.global,
  encode: (v) => encodeObject(v, globalSchema),
};

export const configSchema: ObjectSchema = {
  name: 'config',
  fields: {
    global: preDecodedGlobal,
    route: f.object(routeSchema),
    inhibit_rules: f.list(inhibitRuleSchema, { nullItem: 'empty' }),
    receivers: f.list(receiverSchema),
    templates: f.stringList({ default: [] }),
    mute_time_intervals: f.list(muteTimeIntervalSchema),
    time_intervals: f.list(timeIntervalSchema),
    // master-only: tracing is accepted as written (not used by Tocsin); event_recorder is upstream's schema
    tracing: f.any(),
    event_recorder: f.object(eventRecorderSchema),
  },
  hints: {
    routes: 'child routes go under "route:" → "routes:"',
    receiver: 'the default receiver is set on the root route: route: {receiver: ...}',
    inhibit_rule: 'the key is "inhibit_rules" (a list)',
  },
};

function pairValue(map: Node | null | undefined, key: string): Node | undefined {
  if (!map || !isMap(map)) return undefined;
  for (const p of (map as YAMLMap).items) {
    if (isScalar(p.key) && String(p.key.value) === key) return (p.value as Node | null) ?? undefined;
  }
  return undefined;
}

function pairKey(map: Node | null | undefined, key: string): Node | undefined {
  if (!map || !isMap(map)) return undefined;
  for (const p of (map as YAMLMap).items) if (isScalar(p.key) && String(p.key.value) === key) return p.key as Node;
  return undefined;
}

function yamlProblems(file: string, errors: readonly { message: string; linePos?: [{ line: number; col: number }, ...unknown[]] }[]): ConfigProblem[] {
  return errors.map((e) => ({
    file,
    line: e.linePos?.[0].line ?? 0,
    column: e.linePos?.[0].col ?? 0,
    path: '',
    message: `yaml: ${e.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '')}`,
  }));
}

function sortProblems(ps: ConfigProblem[]): ConfigProblem[] {
  const seen = new Set<string>();
  return ps
    .filter((p) => {
      const k = `${p.line}:${p.column}:${p.path}:${p.message}`;
      if (seen.has(k)) return false;
      seen.add(k);
      return true;
    })
    .map((p, i) => ({ p, i }))
    .sort((a, b) => a.p.line - b.p.line || a.p.column - b.p.column || a.i - b.i)
    .map((x) => x.p);
}

/** Parses and validates config text. `file` names it in problems and anchors relative paths. */
export function loadConfigString(text: string, file: string, opts: LoadOptions = {}): LoadedConfig {
  const absFile = resolve(file);
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, uniqueKeys: false, version: '1.1', prettyErrors: true, merge: false });
  if (doc.errors.length > 0) throw new ConfigError(yamlProblems(file, doc.errors as never));
  const ctx: WalkContext = {
    file,
    baseDir: dirname(absFile),
    lineCounter,
    problems: [],
    warnings: [],
    matcherMode: opts.matcherMode ?? 'fallback',
  };
  const targets = aliasTargets(doc);
  // before anything expands or walks the aliases: a small file must not stand for millions of nodes, nor nest
  // deeper than the recursive walkers can go
  const limit = yamlLimitProblem(doc.contents as Node | null, (a) => targets.get(a), lineCounter);
  if (limit) throw new ConfigError([{ file, line: limit.line, column: limit.column, path: '', message: limit.message, hint: limit.hint }]);
  const rootNode = expandAliases(doc.contents as Node | null, (a) => targets.get(a)) as Node | null;
  const top = new At(ctx, '', rootNode);
  if (rootNode == null || (isScalar(rootNode) && rootNode.value === null)) {
    top.fail('no route provided in config', 'a minimal config is: route: {receiver: default} and receivers: [{name: default}]');
    throw new ConfigError(ctx.problems);
  }
  // global first: integrations read their fallbacks from it
  const gNode = pairValue(rootNode, 'global');
  // (a global block that is not a mapping is reported; integrations then see the defaults, not a cascade)
  ctx.global = decodeObject(gNode ?? null, globalSchema, top.key('global', gNode, pairKey(rootNode, 'global'))) ?? defaultsOf(globalSchema);
  const tree = decodeObject(rootNode, configSchema, top);
  if (!tree) throw new ConfigError(sortProblems(ctx.problems));
  tree.global = ctx.global;
  tree.templates = ((tree.templates as string[] | undefined) ?? []).map((t) => top.resolvePath(t));

  crossChecks(tree, rootNode, top, opts.acceptUnsupported === true);
  const templateProblems = opts.templateFiles === false ? [] : templateFileProblems(tree.templates as string[], rootNode, top);
  if (ctx.problems.length > 0 || templateProblems.length > 0) throw new ConfigError([...sortProblems(ctx.problems), ...templateProblems]);

  const config = toConfig(tree);
  routeWarnings(config, ctx.warnings);
  // YAML 1.1 output quotes strings such as yes/on/n and 1:20 that yaml.v2 (and our 1.1 parsing) would not read back as strings
  const original = stringify(encodeObject(tree, configSchema), { version: '1.1', lineWidth: 0, aliasDuplicateObjects: false });
  return {
    config,
    file: absFile,
    raw: text,
    original,
    hash: createHash('sha256').update(text).digest('hex'),
    warnings: ctx.warnings,
  };
}

/** fs.readFile as a promise: node:fs/promises (with the readline modules it loads) is not held by a server for this one read */
const readFileText = promisify(readFile);

/** Reads and loads a config file. I/O errors become a ConfigError too. */
export async function loadConfigFile(path: string, opts: LoadOptions = {}): Promise<LoadedConfig> {
  return loadConfigString(await readConfigText(path), path, opts);
}

/** A config file's text; a file that cannot be read is a ConfigError naming it. */
export async function readConfigText(path: string): Promise<string> {
  try {
    return await readFileText(path, 'utf8');
  } catch (e) {
    throw new ConfigError([{ file: path, line: 0, column: 0, path: '', message: (e as Error).message }]);
  }
}

/**
 * Problems of the template files (upstream fails the load with `failed to parse templates`): a parse error points
 * at the template file's line:column, a glob or file that cannot be read at its `templates:` entry.
 */
function templateFileProblems(globs: string[], rootNode: Node, top: At): ConfigProblem[] {
  const out: ConfigProblem[] = [];
  const listNode = pairValue(rootNode, 'templates');
  for (const p of TemplateSet.checkFiles(globs)) {
    const path = `templates[${p.glob}]`;
    if (p.file !== undefined) {
      out.push({ file: p.file, line: p.line, column: p.column, path, message: p.message });
      continue;
    }
    const item = isSeq(listNode) ? (listNode.items[p.glob] as Node | undefined) : undefined;
    const before = top.ctx.problems.length;
    top.key('templates', listNode).index(p.glob, item).fail(p.message);
    out.push(...top.ctx.problems.splice(before));
  }
  return out;
}

// ------------------------------------------------------------------ cross-object rules (config.go)

type Tree = Record<string, unknown>;

function crossChecks(tree: Tree, rootNode: Node, top: At, acceptUnsupported: boolean): void {
  const receivers = (tree.receivers as Tree[] | undefined) ?? [];
  const recvNode = pairValue(rootNode, 'receivers');
  const names = new Set<string>();
  receivers.forEach((r, i) => {
    const name = r.name as string | undefined;
    if (!name) return;
    if (names.has(name)) {
      const item = isSeq(recvNode) ? (recvNode.items[i] as Node) : undefined;
      const nat = top.key('receivers', recvNode).index(i, item);
      nat.key('name', pairValue(item, 'name')).fail(`notification config name "${name}" is not unique`, 'receiver names must be unique');
    }
    names.add(name);
  });
  // integrations without a notifier yet (integrations.ts): refuse them here rather than drop them at send time
  receivers.forEach((r, i) => {
    for (const type of acceptUnsupported ? [] : UNSUPPORTED_INTEGRATIONS) {
      const list = r[`${type}_configs`];
      if (!Array.isArray(list) || list.length === 0) continue;
      const item = isSeq(recvNode) ? (recvNode.items[i] as Node) : undefined;
      const key = `${type}_configs`;
      top
        .key('receivers', recvNode)
        .index(i, item)
        .key(key, pairValue(item, key), pairKey(item, key))
        .fail(`integration "${type}" is not supported yet by Tocsin (receiver "${String(r.name ?? '')}")`, `remove ${key} from this receiver or route its alerts to a supported integration`);
    }
  });

  const route = tree.route as Tree | undefined;
  const routeNode = pairValue(rootNode, 'route');
  const rat = top.key('route', routeNode, pairKey(rootNode, 'route'));
  const routeKey = pairKey(rootNode, 'route');
  if (routeKey && (!routeNode || (isScalar(routeNode) && routeNode.value === null))) {
    // `route:` without a value: upstream's Config.Route stays nil
    rat.fail('no route provided in config', undefined, routeKey);
  } else if (!route) {
    if (!routeKey) top.fail('no routes provided', 'add a root route: route: {receiver: <name>}');
  } else {
    const recvNode = pairValue(routeNode, 'receiver');
    const recvWritten = recvNode !== undefined && !(isScalar(recvNode) && (recvNode.value === null || recvNode.value === ''));
    // a receiver that is written but failed to decode already has its own problem
    if (!route.receiver && !(recvWritten && route.receiver === undefined)) rat.fail('root route must specify a default receiver');
    const hasMatchers = (k: string) => route[k] !== undefined && (Array.isArray(route[k]) ? (route[k] as unknown[]).length > 0 : Object.keys(route[k] as object).length > 0);
    for (const k of ['match', 'match_re', 'matchers']) {
      if (hasMatchers(k)) rat.key(k, pairValue(routeNode, k), pairKey(routeNode, k)).fail('root route must not have any matchers', 'the root route matches every alert; put matchers on a child route');
    }
    if (route.continue === true) rat.key('continue', pairValue(routeNode, 'continue')).fail('cannot have continue in root route');
    if (hasMatchers('mute_time_intervals')) rat.key('mute_time_intervals', pairValue(routeNode, 'mute_time_intervals')).fail('root route must not have any mute time intervals');
    if (hasMatchers('active_time_intervals')) rat.key('active_time_intervals', pairValue(routeNode, 'active_time_intervals')).fail('root route must not have any active time intervals');
  }

  // time interval names: one namespace for both lists
  const tiNames = new Set<string>();
  for (const [key, label] of [
    ['mute_time_intervals', 'mute time interval'],
    ['time_intervals', 'time interval'],
  ] as const) {
    const listNode = pairValue(rootNode, key);
    ((tree[key] as Tree[] | undefined) ?? []).forEach((ti, i) => {
      const name = ti.name as string | undefined;
      if (!name) return;
      if (tiNames.has(name)) {
        const item = isSeq(listNode) ? (listNode.items[i] as Node) : undefined;
        top.key(key, listNode).index(i, item).key('name', pairValue(item, 'name')).fail(`${label} "${name}" is not unique`);
      }
      tiNames.add(name);
    });
  }

  if (route) walkRoutes(route, routeNode, rat, names, tiNames);
}

function walkRoutes(route: Tree, node: Node | undefined, at: At, receivers: Set<string>, intervals: Set<string>): void {
  const recv = route.receiver as string | undefined;
  if (recv && !receivers.has(recv)) {
    const known = [...receivers];
    const near = known.find((k) => k.toLowerCase() === recv.toLowerCase());
    at.key('receiver', pairValue(node, 'receiver')).fail(
      `undefined receiver "${recv}" used in route`,
      near ? `did you mean "${near}"?` : known.length > 0 ? `defined receivers: ${known.map((k) => `"${k}"`).join(', ')}` : 'no receivers are defined',
    );
  }
  for (const key of ['mute_time_intervals', 'active_time_intervals']) {
    const listNode = pairValue(node, key);
    ((route[key] as string[] | undefined) ?? []).forEach((name, i) => {
      if (!intervals.has(name)) {
        const item = isSeq(listNode) ? (listNode.items[i] as Node) : undefined;
        at.key(key, listNode).index(i, item).fail(`undefined time interval "${name}" used in route`, intervals.size > 0 ? `defined time intervals: ${[...intervals].map((k) => `"${k}"`).join(', ')}` : 'define it under the top-level time_intervals key');
      }
    });
  }
  const childNodes = pairValue(node, 'routes');
  ((route.routes as Tree[] | undefined) ?? []).forEach((child, i) => {
    const cn = isSeq(childNodes) ? (childNodes.items[i] as Node | undefined) : undefined;
    walkRoutes(child, cn, at.key('routes', childNodes).index(i, cn), receivers, intervals);
  });
}

// ------------------------------------------------------------------ conversion

function toConfig(tree: Tree): Config {
  return {
    global: tree.global as unknown as GlobalConfig,
    route: toRouteConfig(tree.route as Tree, true),
    inhibit_rules: ((tree.inhibit_rules as Tree[] | undefined) ?? []).map(toInhibitRuleConfig),
    receivers: ((tree.receivers as Tree[] | undefined) ?? []).map(toReceiverConfig),
    templates: tree.templates as string[],
    time_intervals: ((tree.time_intervals as Tree[] | undefined) ?? []).map(toTimeIntervalConfig),
    mute_time_intervals: ((tree.mute_time_intervals as Tree[] | undefined) ?? []).map(toTimeIntervalConfig),
    ...(tree.tracing != null ? { tracing: tree.tracing } : {}),
    ...(tree.event_recorder != null ? { event_recorder: tree.event_recorder as EventRecorderConfig } : {}),
  };
}

/** Upstream logs these after load (cmd/alertmanager): repeat_interval shorter than group_interval. */
function routeWarnings(config: Config, warnings: string[]): void {
  const walk = (r: Config['route'], gi: number, ri: number, path: string): void => {
    const g = r.group_interval ?? gi;
    const rep = r.repeat_interval ?? ri;
    if (rep < g) {
      warnings.push(`${path}: repeat_interval is less than group_interval. Notifications will not repeat until the next group_interval.`);
    }
    r.routes.forEach((c, i) => {
      walk(c, g, rep, `${path}.routes[${i}]`);
    });
  };
  walk(config.route, ROOT_DEFAULTS.group_interval, ROOT_DEFAULTS.repeat_interval, 'route');
}
