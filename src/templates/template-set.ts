/**
 * A set of named templates (defaults + user files) with text and HTML rendering, like upstream's
 * template.Template (template/template.go): missingkey=zero, "" renders to "", per-render parse of the
 * inline text (cached), user definitions override defaults.
 */
import { TemplateError } from '../types/errors';
import { TemplateData } from './data';
import { DEFAULT_TEMPLATE_FILES } from './default-templates';
import { ExecError, execute, type FuncEntry, type TemplateLookup } from './exec';
import { alertmanagerFuncs, builtinFuncs } from './functions';
import { lineColumn, readTemplateFiles, type TemplateFileProblem } from './files';
import type { HbsEngine } from './handlebars';
import { HtmlEscaper } from './html-escape';
import { ParseError, parseTemplates, type Tree } from './parse';
import { GoCallError, type GoFunc } from './values';

/** The Handlebars engine (and the handlebars package) is loaded only for a config with `.hbs` templates. */
function loadHandlebars(): typeof HbsEngine {
  return (require('./handlebars') as typeof import('./handlebars')).HbsEngine;
}

export interface TemplateSetOptions {
  /** user template file globs (config `templates:`) */
  readonly globs?: readonly string[];
  /** load Tocsin's default templates first (default true) */
  readonly includeDefaults?: boolean;
  /** clock for `now` / `since` (epoch ms) */
  readonly now?: () => number;
}

const INLINE_CACHE_MAX = 2000;

function toTemplateError(e: unknown): never {
  if (e instanceof ParseError || e instanceof ExecError || e instanceof GoCallError) {
    throw new TemplateError(e.message, { cause: e });
  }
  if (e instanceof RangeError) throw new TemplateError(`template: ${e.message}`, { cause: e });
  throw e;
}

export class TemplateSet {
  private readonly trees: Map<string, Tree>;
  private readonly funcs: Map<string, FuncEntry>;
  private readonly inline = new Map<string, Map<string, Tree>>();
  /** memo for the HTML context scanner over literal template text */
  private readonly htmlTextCache = new Map<string, Map<string, { out: string; end: string }>>();

  private constructor(trees: Map<string, Tree>, funcs: Map<string, FuncEntry>) {
    this.trees = trees;
    this.funcs = funcs;
  }

  /** Parses sources given as text (in order; later definitions override earlier ones). Throws TemplateError. */
  static fromSources(
    sources: readonly { name: string; text: string }[],
    opts: Pick<TemplateSetOptions, 'includeDefaults' | 'now'> = {},
  ): TemplateSet {
    const funcs = allFuncs(opts.now ?? Date.now);
    const trees = new Map<string, Tree>();
    const all = opts.includeDefaults === false ? sources : [...DEFAULT_TEMPLATE_FILES, ...sources];
    const hasFunction = (n: string): boolean => funcs.has(n);
    let hbs: HbsEngine | undefined;
    for (const s of all) {
      if (s.name.endsWith('.hbs')) {
        hbs ??= new (loadHandlebars())(funcs);
        let t: ReturnType<HbsEngine['compile']>;
        try {
          t = hbs.compile(s.name, s.text);
        } catch (e) {
          return toTemplateError(e);
        }
        const src = { name: s.name, text: s.text };
        trees.set(t.name, { name: t.name, root: { type: 'list', pos: 0, nodes: [] }, src, native: t.render });
        continue;
      }
      let parsed: Map<string, Tree>;
      try {
        parsed = parseTemplates({ name: s.name, text: s.text }, s.name, { hasFunction });
      } catch (e) {
        return toTemplateError(e);
      }
      addTrees(trees, parsed);
    }
    return new TemplateSet(trees, funcs);
  }

  /** Loads defaults and the files matching `globs` (each file named by its base name, as Go's ParseGlob). */
  static async load(opts: TemplateSetOptions = {}): Promise<TemplateSet> {
    return TemplateSet.loadSync(opts);
  }

  static loadSync(opts: TemplateSetOptions = {}): TemplateSet {
    const { files, problems } = readTemplateFiles(opts.globs ?? []);
    if (problems.length > 0) throw new TemplateError(problems[0]!.message);
    return TemplateSet.fromSources(files, opts);
  }

  /**
   * Every problem of the template files the globs name: unreadable files and matches (a folder: `read d: is a
   * directory`), and each file's parse error located at its line and column. Empty when they load.
   */
  static checkFiles(globs: readonly string[]): TemplateFileProblem[] {
    const { files, problems } = readTemplateFiles(globs);
    const hasFunction = functionNames();
    for (const f of files) {
      try {
        if (f.name.endsWith('.hbs')) new (loadHandlebars())(new Map()).compile(f.name, f.text);
        else parseTemplates({ name: f.name, text: f.text }, f.name, { hasFunction });
      } catch (e) {
        const msg = (e as Error).message;
        const at =
          e instanceof ParseError && e.pos !== undefined
            ? lineColumn(f.text, e.pos)
            : { line: Number(/ on line (\d+)/.exec(msg)?.[1] ?? /^template: [^:]*:(\d+):/.exec(msg)?.[1] ?? 0), column: 1 };
        problems.push({ glob: f.glob, file: f.file, line: at.line, column: at.line > 0 ? at.column : 0, message: msg });
      }
    }
    return problems.sort((a, b) => a.glob - b.glob);
  }

  /** Names of all defined templates. */
  names(): string[] {
    return [...this.trees.keys()];
  }

  /** Syntax check for a template config field. Throws TemplateError. */
  parseCheck(text: string): void {
    this.parseInline(text);
  }

  renderText(text: string, data: unknown): string {
    if (text === '') return '';
    return this.run(this.parseInline(text), '', data, false);
  }

  renderHtml(text: string, data: unknown): string {
    if (text === '') return '';
    return this.run(this.parseInline(text), '', data, true);
  }

  /** Executes a defined template by name (text mode). */
  executeTemplate(name: string, data: unknown): string {
    return this.run(null, name, data, false);
  }

  /** Executes a defined template by name (HTML mode). */
  executeHtmlTemplate(name: string, data: unknown): string {
    return this.run(null, name, data, true);
  }

  private parseInline(text: string): Map<string, Tree> {
    let t = this.inline.get(text);
    if (t) return t;
    try {
      t = parseTemplates({ name: '', text }, '', { hasFunction: (n) => this.funcs.has(n) });
    } catch (e) {
      return toTemplateError(e);
    }
    if (this.inline.size >= INLINE_CACHE_MAX) this.inline.clear();
    this.inline.set(text, t);
    return t;
  }

  private run(local: Map<string, Tree> | null, name: string, data: unknown, html: boolean): string {
    const base = this.trees;
    const lookup: TemplateLookup = local
      ? {
          lookup: (n) => {
            const l = local.get(n);
            if (l && (!isEmpty(l) || !base.has(n))) return l;
            return base.get(n) ?? l;
          },
        }
      : { lookup: (n) => base.get(n) };
    const tree = lookup.lookup(name);
    if (!tree) {
      throw new TemplateError(`template: no template ${JSON.stringify(name)} associated with template ""`);
    }
    const funcs = this.funcsFor(data, html);
    try {
      if (!html) return execute(tree, data, { funcs, templates: lookup });
      const escaper = new HtmlEscaper(this.htmlTextCache);
      const out = execute(tree, data, { funcs, templates: lookup, escaper });
      checkEndContext(escaper, name);
      return out;
    } catch (e) {
      return toTemplateError(e);
    }
  }

  /** Binds `routeLabels` to this render's data (memoised, cycle-checked), as upstream's resolver. */
  private funcsFor(data: unknown, html: boolean): Map<string, FuncEntry> {
    if (!(data instanceof TemplateData) || data.RouteLabels.size === 0) return this.funcs;
    const raw = data.RouteLabels;
    const memo = new Map<string, string>();
    const stack: string[] = [];
    const funcs = new Map(this.funcs);
    const resolve: GoFunc = {
      params: ['string'],
      fn: (n) => {
        const name = n as string;
        if (!raw.has(name)) return '';
        const value = raw.get(name) as string;
        if (data.routeLabelsRendered) return value;
        const m = memo.get(name);
        if (m !== undefined) return m;
        if (stack.includes(name)) {
          throw new GoCallError(`route label cycle detected: ${[...stack, name].join(' -> ')}`);
        }
        stack.push(name);
        try {
          const local = this.parseInline(value);
          const tree = local.get('')!;
          const escaper = html ? new HtmlEscaper() : undefined;
          const out = execute(tree, data, {
            funcs,
            templates: { lookup: (x) => local.get(x) ?? this.trees.get(x) },
            ...(escaper ? { escaper } : {}),
          });
          if (escaper) checkEndContext(escaper, '');
          memo.set(name, out);
          return out;
        } catch (e) {
          if (e instanceof ExecError || e instanceof TemplateError) throw new GoCallError(e.message);
          throw e;
        } finally {
          stack.pop();
        }
      },
    };
    funcs.set('routeLabels', resolve);
    return funcs;
  }
}

/**
 * html/template refuses a template that ends inside a tag, attribute, comment, or script/style/title/textarea
 * body (escape.go ErrEndContext), with Go's text. Go finds this before executing, over every branch; here it is
 * the context where the rendered output ends (README, "templates: HTML").
 */
function checkEndContext(escaper: HtmlEscaper, name: string): void {
  const ctx = escaper.nonTextContext();
  if (ctx !== undefined) throw new TemplateError(`html/template${name === '' ? '' : `:${name}`}: ends in a non-text context: ${ctx}`);
}

/** Go's builtins and Alertmanager's functions (template.New's function map). */
function allFuncs(now: () => number): Map<string, FuncEntry> {
  const funcs = builtinFuncs();
  for (const [k, v] of alertmanagerFuncs({ now })) funcs.set(k, v);
  return funcs;
}

/** The names a template may call (for parse checks). */
function functionNames(): (name: string) => boolean {
  const funcs = allFuncs(Date.now);
  return (n) => funcs.has(n);
}

function isEmpty(t: Tree): boolean {
  if (t.native) return false;
  return t.root.nodes.every((x) => x.type === 'text' && x.text.trim() === '');
}

/** text/template AddParseTree: a later definition replaces an earlier one unless it is empty. */
function addTrees(into: Map<string, Tree>, parsed: Map<string, Tree>): void {
  for (const [name, tree] of parsed) {
    const existing = into.get(name);
    if (existing && isEmpty(tree) && !isEmpty(existing)) continue;
    into.set(name, tree);
  }
}
