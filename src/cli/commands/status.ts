import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Route, buildRouteTree, matchersString } from '../../routing/route';
import type { CommandContext } from '../context';
import { checkConfig, loadConfigFile, loadConfigString } from '../../config';
import { CliError } from '../errors';
import { parseKeyValues } from '../matchers';
import { type TreeNode, renderTree } from '../tree';

/** `cluster show` (upstream cli/cluster.go). */
export async function clusterShow(ctx: CommandContext): Promise<void> {
  const status = await (await ctx.client()).getStatus();
  ctx.io.out(ctx.formatter().cluster(status.cluster));
}

/** `config show` (upstream cli/config.go). */
export async function configShow(ctx: CommandContext): Promise<void> {
  const status = await (await ctx.client()).getStatus();
  ctx.io.out(ctx.formatter().config(status));
}

/** The route tree of --config.file, or of the running server's config (upstream cli/utils.go). */
async function loadRoute(ctx: CommandContext, configFile: string | undefined): Promise<Route> {
  const url = ctx.g['alertmanager.url'];
  if (configFile && url) ctx.io.err('Warning: --config.file flag overrides the --alertmanager.url.\n');
  if (!configFile && !url) throw new CliError('You have to specify one of --config.file or --alertmanager.url flags.');
  try {
    // (amtool's config.LoadFile does not read the templates: a broken one does not hide the routes)
    const opts = { matcherMode: ctx.mode, templateFiles: false };
    if (configFile) return buildRouteTree((await loadConfigFile(configFile, opts)).config.route);
    const status = await (await ctx.client()).getStatus();
    const loaded = loadConfigString(status.config?.original ?? '', 'running config', opts);
    return buildRouteTree(loaded.config.route);
  } catch (err) {
    if (err instanceof CliError) throw err;
    // one line: the first problem (a config that loads in the server normally has none)
    throw new CliError((err as Error).message.split('\n')[0] as string);
  }
}

function slug(r: Route, showContinue: boolean, showReceiver: boolean): string {
  let s = r.matchers.length === 0 ? 'default-route' : matchersString(r.matchers);
  if (showContinue && r.continue) s += '  continue: true';
  if (showReceiver) s += `  receiver: ${r.opts.receiver}`;
  return s;
}

function fullTree(r: Route): TreeNode {
  return { label: slug(r, true, true), children: r.routes.map(fullTree) };
}

/** The branches an alert with these labels walks (upstream getMatchingTree); receivers on leaves. */
function matchingTree(r: Route, labels: Record<string, string>): TreeNode {
  const node: TreeNode = { label: slug(r, false, false), children: [] };
  for (const child of r.routes) {
    if (!child.matchesSelf(labels)) continue;
    node.children.push(matchingTree(child, labels));
    if (!child.continue) break;
  }
  if (node.children.length === 0) node.label = slug(r, false, true);
  return node;
}

/** `config routes show` (upstream cli/routing.go). */
export async function routesShow(ctx: CommandContext, configFile: string | undefined): Promise<void> {
  const root = await loadRoute(ctx, configFile);
  ctx.io.out(`Routing tree:\n${renderTree([fullTree(root)])}\n`);
}

export interface RoutesTestOptions {
  'verify.receivers'?: string;
  tree?: boolean;
}

/** `config routes test` (upstream cli/test_routing.go). Exit 1 when --verify.receivers differs. */
export async function routesTest(
  ctx: CommandContext,
  configFile: string | undefined,
  labelArgs: string[],
  o: RoutesTestOptions,
): Promise<number> {
  const root = await loadRoute(ctx, configFile);
  let labels: Record<string, string>;
  try {
    labels = parseKeyValues(labelArgs, ctx.matchers(), ctx.mode, 'labels');
  } catch (err) {
    const msg = (err as Error).message;
    if (msg === 'labels must be specified as key=value pairs') throw new CliError('Labels must be specified as key=value pairs');
    throw new CliError(`Failed to parse labels: ${msg}`);
  }
  if (o.tree) ctx.io.out(`Matching routes:\n${renderTree([matchingTree(root, labels)])}\n\n`);
  const receivers = root.match(labels).map((r) => r.opts.receiver).join(',');
  ctx.io.out(`${receivers}\n`);
  const expected = o['verify.receivers'];
  if (expected && expected !== receivers) {
    ctx.io.out('WARNING: Expected receivers did not match resolved receivers.\n');
    return 1;
  }
  return 0;
}

/** `check-config` (upstream cli/check_config.go): files, or stdin when none is given and it is not a TTY. */
export async function checkConfigCommand(ctx: CommandContext, files: string[], tocsinFile?: string): Promise<number> {
  let paths = files;
  let tmp: string | undefined;
  if (paths.length === 0) {
    if (ctx.io.stdinIsTTY) throw new CliError('Failed to read from standard input');
    tmp = mkdtempSync(join(tmpdir(), 'tocsinctl-'));
    const p = join(tmp, 'stdin.yml');
    writeFileSync(p, await ctx.io.readStdin(), { mode: 0o600 });
    paths = [p];
  }
  try {
    const { TemplateSet } = await import('../../templates');
    const res = await checkConfig(paths, {
      matcherMode: ctx.mode,
      ...(tocsinFile !== undefined ? { tocsinFile } : {}),
      checkTemplates: async (glob) => {
        try {
          TemplateSet.loadSync({ globs: [glob], includeDefaults: true });
          return undefined;
        } catch (err) {
          return (err as Error).message;
        }
      },
    });
    ctx.io.out(tmp ? res.output.split(paths[0] as string).join('/dev/stdin') : res.output);
    // each failed file has a `Checking 'f'  FAILED` line, each failed template a `  FAILED:` line
    const failed = (res.output.match(/^(Checking '.*' {2}| {2})FAILED/gm) ?? []).length;
    if (!res.ok) throw new CliError(`failed to validate ${Math.max(failed, 1)} file(s)`);
    return 0;
  } finally {
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  }
}

export interface TemplateRenderOptions {
  'template.glob': string[];
  'template.text': string;
  'template.type'?: string;
  'template.data'?: string;
}

/** `template render` (upstream cli/template_render.go). */
export async function templateRender(ctx: CommandContext, o: TemplateRenderOptions): Promise<void> {
  const type = o['template.type'] ?? 'text';
  if (type !== 'text' && type !== 'html') {
    throw new CliError(`enum value must be one of html,text, got '${type}'`);
  }
  let dataJson: string | undefined;
  if (o['template.data'] !== undefined) {
    try {
      dataJson = readFileSync(o['template.data'], 'utf8');
    } catch (err) {
      throw new CliError(`open ${o['template.data']}: ${(err as Error).message}`);
    }
  }
  const { renderTemplateCommand } = await import('../../templates');
  ctx.io.out(renderTemplateCommand({ globs: o['template.glob'], text: o['template.text'], dataJson, type }));
}
