/**
 * @module config/tocsin/loader
 * tocsin.yml text → {@link LoadedTocsinConfig}, or a ConfigError listing every problem (file:line:column). The
 * receiver names it uses (as keys and in escalation steps) must be receivers of alertmanager.yml: pass their
 * names to check them; without them (alertmanager.yml failed to load) only the file itself is checked.
 *
 * @example
 * const t = loadTocsinConfigString(text, 'tocsin.yml', new Set(['team-pager']));
 * t.config.receivers['team-pager']?.resolved_after_mute; // true
 */
import { createHash } from 'node:crypto';
import { dirname, resolve } from 'node:path';
import { isMap, isScalar, isSeq, LineCounter, type Node, parseDocument, stringify, type YAMLMap } from 'yaml';
import { At, decodeObject, encodeObject, expandAliases, nearestKey, type WalkContext } from '../../schema/schema';
import { ConfigError, type ConfigProblem } from '../../types/errors';
import type { TocsinConfig } from '../../types/tocsin-config';
import { aliasTargets, yamlLimitProblem } from '../../yaml/limits';
import { readConfigText } from '../loader';
import type { LoadedTocsinConfig } from '../types';
import { tocsinConfigSchema } from './schema';

function entries(node: Node | null | undefined): { key: Node; value: Node | null }[] {
  if (!node || !isMap(node)) return [];
  return (node as YAMLMap).items.map((p) => ({ key: p.key as Node, value: (p.value as Node | null) ?? null }));
}

function valueAt(node: Node | null | undefined, key: string): Node | null | undefined {
  return entries(node).find((e) => isScalar(e.key) && String(e.key.value) === key)?.value;
}

function near(name: string, known: ReadonlySet<string>): string {
  const k = [...known];
  const hit = k.find((x) => x.toLowerCase() === name.toLowerCase()) ?? nearestKey(name, k);
  if (hit) return `did you mean "${hit}"?`;
  return k.length > 0 ? `receivers of alertmanager.yml: ${k.map((x) => `"${x}"`).join(', ')}` : 'alertmanager.yml defines no receivers';
}

/** Every receiver name tocsin.yml uses must be one of alertmanager.yml's. */
function checkReceiverNames(root: Node, top: At, known: ReadonlySet<string>): void {
  const recvNode = valueAt(root, 'receivers');
  const rat = top.key('receivers', recvNode ?? undefined);
  for (const { key, value } of entries(recvNode)) {
    const name = isScalar(key) ? String(key.value) : '';
    const at = rat.key(name, value ?? undefined, key);
    if (!known.has(name)) at.failKey(`receiver "${name}" is not defined in alertmanager.yml`, near(name, known));
    const steps = valueAt(value, 'escalation');
    if (!isSeq(steps)) continue;
    const sat = at.key('escalation', steps);
    steps.items.forEach((item, i) => {
      const rnode = valueAt(item as Node, 'receiver');
      if (!isScalar(rnode) || rnode.value == null) return;
      const target = String(rnode.value);
      const iat = sat.index(i, item as Node).key('receiver', rnode);
      if (!known.has(target)) iat.fail(`escalation receiver "${target}" is not defined in alertmanager.yml`, near(target, known));
      else if (target === name) iat.fail(`receiver "${name}" cannot escalate to itself`);
    });
  }
}

/** Steps must grow: each `after` longer than the one before. */
function checkEscalationOrder(cfg: TocsinConfig, root: Node, top: At): void {
  const recvNode = valueAt(root, 'receivers');
  for (const [name, settings] of Object.entries(cfg.receivers)) {
    const steps = settings.escalation;
    for (let i = 1; i < steps.length; i++) {
      if (steps[i]!.after > steps[i - 1]!.after) continue;
      const list = valueAt(valueAt(recvNode, name), 'escalation');
      const item = isSeq(list) ? (list.items[i] as Node) : undefined;
      top
        .key('receivers', recvNode ?? undefined)
        .key(name, undefined)
        .key('escalation', list ?? undefined)
        .index(i, item)
        .key('after', valueAt(item, 'after') ?? undefined)
        .fail('escalation steps must be in increasing "after" order');
    }
  }
}

function sorted(ps: ConfigProblem[]): ConfigProblem[] {
  return ps.map((p, i) => ({ p, i })).sort((a, b) => a.p.line - b.p.line || a.p.column - b.p.column || a.i - b.i).map((x) => x.p);
}

/**
 * Parses and checks tocsin.yml. `receivers`: the names alertmanager.yml defines (undefined: not checked, because
 * alertmanager.yml itself failed and its problems are reported beside these).
 */
export function loadTocsinConfigString(text: string, file: string, receivers?: ReadonlySet<string>): LoadedTocsinConfig {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, uniqueKeys: false, version: '1.1', prettyErrors: true, merge: false });
  if (doc.errors.length > 0) {
    throw new ConfigError(
      doc.errors.map((e) => ({ file, line: e.linePos?.[0].line ?? 0, column: e.linePos?.[0].col ?? 0, path: '', message: `yaml: ${e.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '')}` })),
    );
  }
  const ctx: WalkContext = { file, baseDir: dirname(resolve(file)), lineCounter, problems: [], warnings: [], matcherMode: 'fallback' };
  const targets = aliasTargets(doc);
  const limit = yamlLimitProblem(doc.contents as Node | null, (a) => targets.get(a), lineCounter);
  if (limit) throw new ConfigError([{ file, line: limit.line, column: limit.column, path: '', message: limit.message, hint: limit.hint }]);
  const root = expandAliases(doc.contents as Node | null, (a) => targets.get(a)) as Node | null;
  const top = new At(ctx, '', root);
  // an empty file is valid: no Tocsin-only settings
  const tree = decodeObject(root, tocsinConfigSchema, top) as unknown as TocsinConfig | undefined;
  if (root && receivers) checkReceiverNames(root, top, receivers);
  if (tree && root) checkEscalationOrder(tree, root, top);
  if (ctx.problems.length > 0 || !tree) throw new ConfigError(sorted(ctx.problems));
  const original = stringify(encodeObject(tree as unknown as Record<string, unknown>, tocsinConfigSchema), { version: '1.1', lineWidth: 0 });
  return { config: tree, file: resolve(file), hash: createHash('sha256').update(text).digest('hex'), original };
}

/** Reads and loads tocsin.yml; an unreadable file is a ConfigError naming it. */
export async function loadTocsinConfigFile(path: string, receivers?: ReadonlySet<string>): Promise<LoadedTocsinConfig> {
  return loadTocsinConfigString(await readConfigText(path), path, receivers);
}
