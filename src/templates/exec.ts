/**
 * Executes parsed templates with Go text/template semantics (text/template/exec.go behaviour:
 * field and method lookup, pipelines, variables, range/with/if, argument type checks, error forms).
 */
import { sprint } from './fmt';
import { GoTime } from './time-values';
import {
  type ArgNode,
  type BranchNode,
  type CommandNode,
  type FieldNode,
  type ListNode,
  type Node,
  nodeString,
  type PipeNode,
  type Source,
  type TemplateNode,
  type Tree,
} from './parse';
import {
  GoCallError,
  GoFloat,
  type GoFunc,
  GoMap,
  GoSlice,
  GoStruct,
  isInt,
  isNil,
  isPlainObject,
  mapGet,
  mapKeys,
  type ParamType,
  SafeHTML,
  SafeURL,
  StringSlice,
  sliceItems,
  truth,
  typeName,
  utf8Length,
} from './values';

/** A template execution error, message in Go's `template: NAME:LINE:COL: executing ...` form. */
export class ExecError extends Error {}

/** Special builtins that need the unevaluated argument nodes. */
export type LazyBuiltin = 'and' | 'or';

export type FuncEntry = GoFunc | LazyBuiltin;

/** Looks up templates by name, and knows where a tree came from. */
export interface TemplateLookup {
  lookup(name: string): Tree | undefined;
}

/** Hooks for html/template-style output escaping (see html-escape.ts). */
export interface OutputEscaper {
  /** literal template text about to be written; returns what to write (comments removed) */
  text(s: string): string;
  /** escape the value of an action for the current context; `predefined` names a trailing html/urlquery */
  value(v: unknown, predefined?: 'html' | 'urlquery'): string;
}

const MAX_DEPTH = 100000;
const BREAK = Symbol('break');
const CONTINUE = Symbol('continue');
/** marks an absent final (pipeline) argument */
const MISSING = Symbol('missing');

interface Var {
  name: string;
  value: unknown;
}

function locate(src: Source, pos: number): string {
  const text = src.text.slice(0, pos);
  const nl = text.lastIndexOf('\n');
  let line = 1;
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) line++;
  const col = nl < 0 ? utf8Length(text) : utf8Length(text.slice(nl + 1));
  return `${src.name}:${line}:${col}`;
}

const PARAM_GO: Record<ParamType, string> = {
  any: 'interface {}',
  reflect: 'reflect.Value',
  string: 'string',
  bool: 'bool',
  int: 'int',
  float: 'float64',
  strings: '[]string',
  anys: '[]interface {}',
  time: 'time.Time',
  kv: 'template.KV',
};

export interface ExecOptions {
  readonly funcs: ReadonlyMap<string, FuncEntry>;
  readonly templates: TemplateLookup;
  readonly escaper?: OutputEscaper;
}

/** Executes `tree` with `data` and returns the output; throws ExecError (never partial output). */
export function execute(tree: Tree, data: unknown, opts: ExecOptions): string {
  if (tree.native) return tree.native(data, opts.escaper !== undefined);
  const st = new State(opts, tree);
  st.vars.push({ name: '$', value: data });
  st.walk(data, tree.root);
  return st.out.join('');
}

class State {
  readonly out: string[] = [];
  vars: Var[] = [];
  depth = 0;
  private node: ArgNode | CommandNode | Node | PipeNode | null = null;

  constructor(
    private readonly opts: ExecOptions,
    private tree: Tree,
  ) {}

  // ---------- errors ----------

  at(n: ArgNode | CommandNode | Node | PipeNode): void {
    this.node = n;
  }

  errorf(msg: string): never {
    const name = this.tree.name;
    if (!this.node) throw new ExecError(`template: ${name}: ${msg}`);
    const loc = locate(this.tree.src, this.node.pos);
    throw new ExecError(`template: ${loc}: executing ${JSON.stringify(name)} at <${nodeString(this.node)}>: ${msg}`);
  }

  // ---------- variables ----------

  private varValue(name: string): unknown {
    for (let i = this.vars.length - 1; i >= 0; i--) if (this.vars[i]!.name === name) return this.vars[i]!.value;
    return this.errorf(`undefined variable: ${name}`);
  }
  private setVar(name: string, value: unknown): void {
    for (let i = this.vars.length - 1; i >= 0; i--) {
      if (this.vars[i]!.name === name) {
        this.vars[i]!.value = value;
        return;
      }
    }
    this.errorf(`undefined variable: ${name}`);
  }
  private setTopVar(n: number, value: unknown): void {
    this.vars[this.vars.length - n]!.value = value;
  }

  // ---------- walking ----------

  private write(s: string): void {
    this.out.push(s);
  }

  walk(dot: unknown, node: Node): void {
    switch (node.type) {
      case 'text':
        this.write(this.opts.escaper ? this.opts.escaper.text(node.text) : node.text);
        return;
      case 'list':
        for (const n of node.nodes) this.walk(dot, n);
        return;
      case 'action': {
        const v = this.evalPipeline(dot, node.pipe);
        if (node.pipe.decl.length === 0) this.printValue(node, v);
        return;
      }
      case 'if':
      case 'with':
        this.walkIfOrWith(dot, node);
        return;
      case 'range':
        this.walkRange(dot, node);
        return;
      case 'template':
        this.walkTemplate(dot, node);
        return;
      case 'break':
        throw BREAK;
      case 'continue':
        throw CONTINUE;
    }
  }

  private printValue(n: Node, v: unknown): void {
    this.at(n);
    if (this.opts.escaper) {
      this.write(this.opts.escaper.value(v, predefinedEscaper(n)));
      return;
    }
    if (isNil(v)) {
      this.write('<no value>');
      return;
    }
    if (typeof v === 'string') {
      this.write(v);
      return;
    }
    if (typeof v === 'function') this.errorf(`can't print ${nodeString(n)} of type ${typeName(v)}`);
    this.write(sprint([v]));
  }

  private walkIfOrWith(dot: unknown, node: BranchNode): void {
    const mark = this.vars.length;
    try {
      const val = this.evalPipeline(dot, node.pipe);
      if (truth(val)) {
        this.walk(node.type === 'with' ? val : dot, node.list);
      } else if (node.elseList) {
        this.walk(dot, node.elseList);
      }
    } finally {
      this.vars.length = mark;
    }
  }

  private walkRange(dot: unknown, r: BranchNode): void {
    this.at(r);
    const outer = this.vars.length;
    try {
      const val = this.evalPipeline(dot, r.pipe);
      const mark = this.vars.length;
      const decl = r.pipe.decl;
      const one = (index: unknown, elem: unknown): boolean => {
        if (decl.length > 0) {
          if (r.pipe.isAssign) {
            this.setVar(decl[0]!.ident[0]!, decl.length > 1 ? index : elem);
          } else {
            this.setTopVar(1, elem);
          }
        }
        if (decl.length > 1) {
          if (r.pipe.isAssign) this.setVar(decl[1]!.ident[0]!, elem);
          else this.setTopVar(2, index);
        }
        try {
          this.walk(elem, r.list);
        } catch (e) {
          if (e === BREAK) return false;
          if (e !== CONTINUE) throw e;
        } finally {
          this.vars.length = mark;
        }
        return true;
      };
      const items = sliceItems(val);
      if (items) {
        if (items.length > 0) {
          for (let i = 0; i < items.length; i++) if (!one(i, items[i])) break;
          return;
        }
      } else if (val instanceof GoMap || isPlainObject(val)) {
        const m = val as GoMap | Record<string, unknown>;
        const keys = mapKeys(m);
        if (keys.length > 0) {
          for (const k of keys) if (!one(k, mapGet(m, k).value)) break;
          return;
        }
      } else if (isInt(val)) {
        if (decl.length > 1) this.errorf(`can't use ${val} to iterate over more than one variable`);
        if (val > 0) {
          for (let i = 0; i < val; i++) if (!one(i, i)) break;
          return;
        }
      } else if (!isNil(val)) {
        this.errorf(`range can't iterate over ${sprint([val])}`);
      }
      if (r.elseList) this.walk(dot, r.elseList);
    } finally {
      this.vars.length = outer;
    }
  }

  private walkTemplate(dot: unknown, t: TemplateNode): void {
    this.at(t);
    const tree = this.opts.templates.lookup(t.name);
    if (!tree) this.errorf(`template ${JSON.stringify(t.name)} not defined`);
    if (this.depth >= MAX_DEPTH) this.errorf(`exceeded maximum template depth (${MAX_DEPTH})`);
    const newDot = t.pipe ? this.evalPipeline(dot, t.pipe) : null;
    if (tree.native) {
      this.write(tree.native(newDot, this.opts.escaper !== undefined));
      return;
    }
    const savedVars = this.vars;
    const savedTree = this.tree;
    const savedNode = this.node;
    this.vars = [{ name: '$', value: newDot }];
    this.tree = tree;
    this.depth++;
    try {
      this.walk(newDot, tree.root);
    } finally {
      this.depth--;
      this.vars = savedVars;
      this.tree = savedTree;
      this.node = savedNode;
    }
  }

  // ---------- evaluation ----------

  evalPipeline(dot: unknown, pipe: PipeNode): unknown {
    this.at(pipe);
    let value: unknown = MISSING;
    for (const cmd of pipe.cmds) value = this.evalCommand(dot, cmd, value);
    for (const v of pipe.decl) {
      if (pipe.isAssign) this.setVar(v.ident[0]!, value);
      else this.vars.push({ name: v.ident[0]!, value });
    }
    return value;
  }

  private notAFunction(args: readonly ArgNode[], final: unknown): void {
    if (args.length > 1 || final !== MISSING) {
      this.errorf(`can't give argument to non-function ${nodeString(args[0]!)}`);
    }
  }

  private evalCommand(dot: unknown, cmd: CommandNode, final: unknown): unknown {
    const first = cmd.args[0]!;
    switch (first.type) {
      case 'field':
        this.at(first);
        return this.evalFieldChain(dot, dot, first, first.ident, cmd.args, final);
      case 'chain':
        return this.evalChain(dot, first, cmd.args, final);
      case 'identifier':
        return this.evalFunction(dot, first.ident, first, cmd, cmd.args, final);
      case 'pipe':
        this.notAFunction(cmd.args, final);
        return this.evalPipeline(dot, first);
      case 'variable':
        return this.evalVariable(dot, first, cmd.args, final);
      default:
        break;
    }
    this.at(first);
    this.notAFunction(cmd.args, final);
    switch (first.type) {
      case 'bool':
        return first.value;
      case 'dot':
        return dot;
      case 'nil':
        return this.errorf('nil is not a command');
      case 'number':
        return this.idealConstant(first);
      case 'string':
        return first.text;
    }
  }

  private idealConstant(n: ArgNode & { type: 'number' }): unknown {
    if (n.ideal === 'float') return new GoFloat(n.floatValue);
    return n.intValue;
  }

  private evalChain(dot: unknown, chain: ArgNode & { type: 'chain' }, args: readonly ArgNode[], final: unknown): unknown {
    if (chain.node.type === 'nil') this.errorf(`indirection through explicit nil in ${nodeString(chain)}`);
    const recv = this.evalArg(dot, 'any', chain.node);
    return this.evalFieldChain(dot, recv, chain, chain.field, args, final);
  }

  private evalVariable(
    dot: unknown,
    v: ArgNode & { type: 'variable' },
    args: readonly ArgNode[],
    final: unknown,
  ): unknown {
    this.at(v);
    const value = this.varValue(v.ident[0]!);
    if (v.ident.length === 1) {
      this.notAFunction(args, final);
      return value;
    }
    return this.evalFieldChain(dot, value, v, v.ident.slice(1), args, final);
  }

  private evalFieldChain(
    dot: unknown,
    receiver: unknown,
    node: ArgNode,
    ident: readonly string[],
    args: readonly ArgNode[],
    final: unknown,
  ): unknown {
    let iface = false;
    const n = ident.length;
    for (let i = 0; i < n - 1; i++) {
      const r = this.evalField(dot, ident[i]!, node, [], MISSING, receiver, iface);
      receiver = r.value;
      iface = r.iface;
    }
    return this.evalField(dot, ident[n - 1]!, node, args, final, receiver, iface).value;
  }

  /** `iface`: the receiver's static type is interface {} (it came out of a map[string]interface {}). */
  private evalField(
    dot: unknown,
    name: string,
    node: ArgNode,
    args: readonly ArgNode[],
    final: unknown,
    receiver: unknown,
    iface: boolean,
  ): { value: unknown; iface: boolean } {
    if (isNil(receiver)) {
      if (iface) this.errorf(`nil pointer evaluating interface {}.${name}`);
      return { value: null, iface: false };
    }
    const typ = iface ? 'interface {}' : typeName(receiver);
    if (receiver instanceof GoStruct || receiver instanceof GoMap || receiver instanceof GoSlice) {
      const m = receiver.goMethod(name);
      if (m) return { value: this.evalCall(dot, m, node, name, args, final), iface: false };
    }
    const hasArgs = args.length > 1 || final !== MISSING;
    if (receiver instanceof GoStruct) {
      if (receiver.fieldNames.includes(name)) {
        if (hasArgs) this.errorf(`${name} has arguments but cannot be invoked as function`);
        return { value: receiver.field(name), iface: false };
      }
    } else if (receiver instanceof GoMap) {
      if (hasArgs) this.errorf(`${name} is not a method but has arguments`);
      return { value: receiver.has(name) ? receiver.get(name) : receiver.elemZero, iface: false };
    } else if (isPlainObject(receiver)) {
      if (hasArgs) this.errorf(`${name} is not a method but has arguments`);
      return { value: Object.hasOwn(receiver, name) ? receiver[name] : null, iface: true };
    }
    return this.errorf(`can't evaluate field ${name} in type ${typ}`);
  }

  private evalFunction(
    dot: unknown,
    name: string,
    node: ArgNode,
    cmd: CommandNode | ArgNode,
    args: readonly ArgNode[],
    final: unknown,
  ): unknown {
    this.at(node);
    const f = this.opts.funcs.get(name);
    if (!f) return this.errorf(`${JSON.stringify(name)} is not a defined function`);
    if (f === 'and' || f === 'or') return this.evalAndOr(dot, f, name, args, final);
    return this.evalCall(dot, f, cmd, name, args, final);
  }

  private evalAndOr(dot: unknown, kind: LazyBuiltin, name: string, args: readonly ArgNode[], final: unknown): unknown {
    const rest = args.slice(1);
    const numIn = rest.length + (final !== MISSING ? 1 : 0);
    if (numIn < 1) this.errorf(`wrong number of args for ${name}: want at least 1 got ${rest.length}`);
    let v: unknown = null;
    for (const a of rest) {
      v = this.evalArg(dot, 'reflect', a);
      if (truth(v) === (kind === 'or')) return v;
    }
    if (final !== MISSING) v = final;
    return v;
  }

  private evalCall(
    dot: unknown,
    fn: GoFunc,
    node: ArgNode | CommandNode,
    name: string,
    argNodes: readonly ArgNode[],
    final: unknown,
  ): unknown {
    const args = argNodes.slice(1);
    const numIn = args.length + (final !== MISSING ? 1 : 0);
    const nParams = fn.params.length;
    if (fn.variadic !== undefined) {
      if (numIn < nParams) this.errorf(`wrong number of args for ${name}: want at least ${nParams} got ${args.length}`);
    } else if (numIn !== nParams) {
      this.errorf(`wrong number of args for ${name}: want ${nParams} got ${numIn}`);
    }
    const argv: unknown[] = new Array(numIn);
    let i = 0;
    for (; i < nParams && i < args.length; i++) argv[i] = this.evalArg(dot, fn.params[i]!, args[i]!);
    if (fn.variadic !== undefined) {
      for (; i < args.length; i++) argv[i] = this.evalArg(dot, fn.variadic, args[i]!);
    }
    if (final !== MISSING) {
      const t = i < nParams ? fn.params[i]! : (fn.variadic ?? fn.params[nParams - 1]!);
      argv[i] = this.validateType(final, t);
    }
    try {
      return fn.fn(...argv);
    } catch (e) {
      if (e instanceof GoCallError) {
        this.at(node);
        let msg = e.message;
        // Go passes the callee's node text to the call builtin for this message
        if (name === 'call' && msg.startsWith('non-function of type') && args[0]) {
          msg = `non-function ${nodeString(args[0])}${msg.slice('non-function'.length)}`;
        }
        this.errorf(`error calling ${name}: ${msg}`);
      }
      if (e instanceof ExecError || e === BREAK || e === CONTINUE) throw e;
      if (e instanceof RangeError) this.errorf(`error calling ${name}: ${e.message}`);
      throw e;
    }
  }

  /** Checks a value against a parameter type (Go's validateType) and converts typed slices. */
  private validateType(value: unknown, typ: ParamType): unknown {
    if (typ === 'any' || typ === 'reflect') return value === MISSING ? null : value;
    if (isNil(value)) {
      if (typ === 'strings' || typ === 'anys' || typ === 'kv') return null;
      this.errorf(`invalid value; expected ${PARAM_GO[typ]}`);
    }
    let ok: boolean;
    switch (typ) {
      case 'string':
        ok = typeof value === 'string';
        break;
      case 'bool':
        ok = typeof value === 'boolean';
        break;
      case 'int':
        ok = isInt(value);
        break;
      case 'float':
        ok = value instanceof GoFloat || (typeof value === 'number' && !Number.isInteger(value));
        break;
      case 'strings':
        ok = value instanceof StringSlice;
        break;
      case 'anys':
        ok = Array.isArray(value);
        break;
      case 'time':
        ok = value instanceof GoTime;
        break;
      case 'kv':
        ok = value instanceof GoMap && value.goType === 'template.KV';
        break;
    }
    if (!ok) this.errorf(`wrong type for value; expected ${PARAM_GO[typ]}; got ${typeName(value)}`);
    return value;
  }

  private evalArg(dot: unknown, typ: ParamType, n: ArgNode): unknown {
    this.at(n);
    switch (n.type) {
      case 'dot':
        return this.validateType(dot, typ);
      case 'nil':
        if (typ === 'any' || typ === 'reflect' || typ === 'strings' || typ === 'anys' || typ === 'kv') return null;
        return this.errorf(`cannot assign nil to ${PARAM_GO[typ]}`);
      case 'field':
        return this.validateType(this.evalFieldChain(dot, dot, n, n.ident, [n], MISSING), typ);
      case 'variable':
        return this.validateType(this.evalVariable(dot, n, [], MISSING), typ);
      case 'pipe':
        return this.validateType(this.evalPipeline(dot, n), typ);
      case 'identifier':
        return this.validateType(this.evalFunction(dot, n.ident, n, n, [], MISSING), typ);
      case 'chain':
        return this.validateType(this.evalChain(dot, n, [], MISSING), typ);
      default:
        break;
    }
    switch (typ) {
      case 'any':
      case 'reflect':
        switch (n.type) {
          case 'bool':
            return n.value;
          case 'number':
            return this.idealConstant(n);
          case 'string':
            return n.text;
        }
        break;
      case 'bool':
        if (n.type === 'bool') return n.value;
        return this.errorf(`expected bool; found ${nodeString(n)}`);
      case 'string':
        if (n.type === 'string') return n.text;
        return this.errorf(`expected string; found ${nodeString(n)}`);
      case 'int':
        if (n.type === 'number' && n.isInt) return n.intValue;
        return this.errorf(`expected integer; found ${nodeString(n)}`);
      case 'float':
        if (n.type === 'number' && n.isFloat) return new GoFloat(n.floatValue);
        return this.errorf(`expected float; found ${nodeString(n)}`);
      default:
        break;
    }
    return this.errorf(`can't handle ${nodeString(n)} for arg of type ${PARAM_GO[typ]}`);
  }
}

/**
 * html/template keeps a trailing predefined escaper (`| html`, `| urlquery`, `{{ urlquery x }}`) and skips
 * the contextual escapers equivalent to it.
 */
function predefinedEscaper(n: Node): 'html' | 'urlquery' | undefined {
  if (n.type !== 'action' || n.pipe.decl.length > 0) return undefined;
  const last = n.pipe.cmds[n.pipe.cmds.length - 1]!.args[0]!;
  if (last.type === 'identifier' && (last.ident === 'html' || last.ident === 'urlquery')) return last.ident;
  return undefined;
}

/** Exposed for builtins that need stringification like text/template's evalArgs. */
export function evalArgsString(args: readonly unknown[]): string {
  if (args.length === 1 && typeof args[0] === 'string') return args[0];
  return sprint(args.map((a) => (isNil(a) ? '<no value>' : a)));
}

export { SafeHTML, SafeURL };
export type { FieldNode, ListNode };
