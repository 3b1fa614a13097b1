/**
 * Parser for Go text/template syntax, producing trees close to Go's text/template/parse nodes
 * (their String() forms appear in Go's error messages, so they are reproduced here).
 */
import { goQuote } from '../types/labels';
import { lex, type Token } from './lexer';

/** The text a tree was parsed from (the file, or the inline template); errors locate positions in it. */
export interface Source {
  /** Go's ParseName: file base name, or the template name for inline text */
  readonly name: string;
  readonly text: string;
}

interface NodeBase {
  readonly pos: number;
}

export interface TextNode extends NodeBase {
  readonly type: 'text';
  readonly text: string;
}
export interface ActionNode extends NodeBase {
  readonly type: 'action';
  readonly pipe: PipeNode;
}
export interface PipeNode extends NodeBase {
  readonly type: 'pipe';
  isAssign: boolean;
  readonly decl: VariableNode[];
  readonly cmds: CommandNode[];
}
export interface CommandNode extends NodeBase {
  readonly type: 'command';
  readonly args: ArgNode[];
}
export interface FieldNode extends NodeBase {
  readonly type: 'field';
  readonly ident: string[];
}
export interface VariableNode extends NodeBase {
  readonly type: 'variable';
  readonly ident: string[];
}
export interface ChainNode extends NodeBase {
  readonly type: 'chain';
  readonly node: ArgNode;
  readonly field: string[];
}
export interface IdentifierNode extends NodeBase {
  readonly type: 'identifier';
  readonly ident: string;
}
export interface DotNode extends NodeBase {
  readonly type: 'dot';
}
export interface NilNode extends NodeBase {
  readonly type: 'nil';
}
export interface BoolNode extends NodeBase {
  readonly type: 'bool';
  readonly value: boolean;
}
export interface NumberNode extends NodeBase {
  readonly type: 'number';
  readonly text: string;
  readonly isInt: boolean;
  readonly isFloat: boolean;
  /** the value as int when isInt, else as float */
  readonly intValue: number;
  readonly floatValue: number;
  /** Go's idealConstant: float when the literal looks like a float */
  readonly ideal: 'int' | 'float';
}
export interface StringNode extends NodeBase {
  readonly type: 'string';
  readonly quoted: string;
  readonly text: string;
}
export type ArgNode =
  | FieldNode
  | VariableNode
  | ChainNode
  | IdentifierNode
  | DotNode
  | NilNode
  | BoolNode
  | NumberNode
  | StringNode
  | PipeNode;

export interface ListNode extends NodeBase {
  readonly type: 'list';
  readonly nodes: Node[];
}
export interface BranchNode extends NodeBase {
  readonly type: 'if' | 'range' | 'with';
  readonly pipe: PipeNode;
  readonly list: ListNode;
  readonly elseList: ListNode | null;
}
export interface TemplateNode extends NodeBase {
  readonly type: 'template';
  readonly name: string;
  readonly pipe: PipeNode | null;
}
export interface BreakNode extends NodeBase {
  readonly type: 'break' | 'continue';
}
interface EndNode extends NodeBase {
  readonly type: 'end' | 'else';
}
export type Node = TextNode | ActionNode | ListNode | BranchNode | TemplateNode | BreakNode;

/** A parsed template: its body and where it came from. */
export interface Tree {
  readonly name: string;
  readonly root: ListNode;
  readonly src: Source;
  /** a template of another engine (Handlebars): renders itself instead of `root` */
  readonly native?: (data: unknown, html: boolean) => string;
}

export class ParseError extends Error {
  /** UTF-16 offset in the source of the token the error is about, when known (for line:column in config errors) */
  pos?: number;
}

// ---------- String() forms (Go's parse/node.go) ----------

export function nodeString(n: ArgNode | CommandNode | Node): string {
  switch (n.type) {
    case 'text':
      return JSON.stringify(n.text);
    case 'action':
      return `{{${nodeString(n.pipe)}}}`;
    case 'pipe': {
      let s = '';
      if (n.decl.length > 0) {
        s = n.decl.map((d) => nodeString(d)).join(', ') + (n.isAssign ? ' = ' : ' := ');
      }
      return s + n.cmds.map((c) => nodeString(c)).join(' | ');
    }
    case 'command':
      return n.args.map((a) => (a.type === 'pipe' ? `(${nodeString(a)})` : nodeString(a))).join(' ');
    case 'field':
      return n.ident.map((i) => '.' + i).join('');
    case 'variable':
      return n.ident.join('.');
    case 'chain': {
      const base = n.node.type === 'pipe' ? `(${nodeString(n.node)})` : nodeString(n.node);
      return base + n.field.map((f) => '.' + f).join('');
    }
    case 'identifier':
      return n.ident;
    case 'dot':
      return '.';
    case 'nil':
      return 'nil';
    case 'bool':
      return n.value ? 'true' : 'false';
    case 'number':
      return n.text;
    case 'string':
      return n.quoted;
    case 'list':
      return n.nodes.map((x) => nodeString(x)).join('');
    case 'if':
    case 'range':
    case 'with': {
      const e = n.elseList ? `{{else}}${nodeString(n.elseList)}` : '';
      return `{{${n.type} ${nodeString(n.pipe)}}}${nodeString(n.list)}${e}{{end}}`;
    }
    case 'template':
      return n.pipe ? `{{template ${goQuote(n.name)} ${nodeString(n.pipe)}}}` : `{{template ${goQuote(n.name)}}}`;
    case 'break':
      return '{{break}}';
    case 'continue':
      return '{{continue}}';
  }
}

// ---------- literals ----------

function unquoteString(tok: Token): string {
  if (tok.kind === 'rawstring') return tok.val.slice(1, -1).replace(/\r/g, '');
  return unquoteInterpreted(tok.val.slice(1, -1), '"');
}

function unquoteInterpreted(s: string, quote: string): string {
  let out = '';
  let bytes: number[] | null = null;
  const flushBytes = (): void => {
    if (bytes) {
      out += Buffer.from(bytes).toString('utf8');
      bytes = null;
    }
  };
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (c !== '\\') {
      flushBytes();
      if (c === quote) throw new ParseError('invalid syntax');
      out += c;
      continue;
    }
    const e = s[++i];
    const simple: Record<string, string> = {
      a: '\x07',
      b: '\b',
      f: '\f',
      n: '\n',
      r: '\r',
      t: '\t',
      v: '\v',
      '\\': '\\',
      "'": "'",
      '"': '"',
    };
    if (e !== undefined && e in simple) {
      if ((e === "'" && quote === '"') || (e === '"' && quote === "'")) throw new ParseError('invalid syntax');
      flushBytes();
      out += simple[e];
      continue;
    }
    if (e === 'x' || (e !== undefined && e >= '0' && e <= '7')) {
      const hex = e === 'x';
      const len = hex ? 2 : 3;
      const digits = hex ? s.slice(i + 1, i + 1 + len) : s.slice(i, i + len);
      if (digits.length !== len || !(hex ? /^[0-9a-fA-F]+$/ : /^[0-7]+$/).test(digits)) {
        throw new ParseError('invalid syntax');
      }
      const v = Number.parseInt(digits, hex ? 16 : 8);
      if (v > 255) throw new ParseError('invalid syntax');
      i += hex ? len : len - 1;
      bytes ??= [];
      bytes.push(v);
      continue;
    }
    if (e === 'u' || e === 'U') {
      const len = e === 'u' ? 4 : 8;
      const digits = s.slice(i + 1, i + 1 + len);
      if (digits.length !== len || !/^[0-9a-fA-F]+$/.test(digits)) throw new ParseError('invalid syntax');
      const v = Number.parseInt(digits, 16);
      if (v > 0x10ffff || (v >= 0xd800 && v < 0xe000)) throw new ParseError('invalid syntax');
      flushBytes();
      out += String.fromCodePoint(v);
      i += len;
      continue;
    }
    throw new ParseError('invalid syntax');
  }
  flushBytes();
  return out;
}

function parseNumber(tok: Token): NumberNode {
  const text = tok.val;
  if (tok.kind === 'charconst') {
    const inner = unquoteInterpreted(text.slice(1, -1), "'");
    const cps = [...inner];
    if (cps.length !== 1) throw new ParseError(`malformed character constant: ${text}`);
    const v = cps[0]!.codePointAt(0)!;
    return {
      type: 'number',
      pos: tok.pos,
      text,
      isInt: true,
      isFloat: true,
      intValue: v,
      floatValue: v,
      ideal: 'int',
    };
  }
  if (text.endsWith('i')) throw new ParseError(`complex numbers are not supported: ${text}`);
  const clean = text.replace(/_/g, '');
  let isInt = false;
  let intValue = 0;
  const m = /^([+-]?)(0[xX][0-9a-fA-F]+|0[oO][0-7]+|0[bB][01]+|0[0-7]*|[1-9][0-9]*)$/.exec(clean);
  if (m) {
    const sign = m[1] === '-' ? -1 : 1;
    const body = m[2]!;
    let v: number;
    if (/^0[xX]/.test(body)) v = Number.parseInt(body.slice(2), 16);
    else if (/^0[oO]/.test(body)) v = Number.parseInt(body.slice(2), 8);
    else if (/^0[bB]/.test(body)) v = Number.parseInt(body.slice(2), 2);
    else if (body.length > 1 && body.startsWith('0')) v = Number.parseInt(body.slice(1), 8);
    else v = Number(body);
    isInt = true;
    intValue = sign * v;
  }
  let isFloat = false;
  let floatValue = 0;
  if (!isInt || /[.eEpP]/.test(clean)) {
    const f = /^[+-]?0[xX]/.test(clean) ? Number.NaN : Number(clean);
    if (!Number.isNaN(f) && clean !== '') {
      isFloat = true;
      floatValue = f;
      if (!isInt && Number.isInteger(f) && Math.abs(f) <= Number.MAX_SAFE_INTEGER) {
        isInt = true;
        intValue = f;
      }
    }
  } else {
    isFloat = true;
    floatValue = intValue;
  }
  if (!isInt && !isFloat) throw new ParseError(`illegal number syntax: "${text}"`);
  const looksFloat = isFloat && /[.eEpP]/.test(clean) && !/^[+-]?0[xX]/.test(clean);
  return {
    type: 'number',
    pos: tok.pos,
    text,
    isInt,
    isFloat,
    intValue,
    floatValue,
    ideal: looksFloat || !isInt ? 'float' : 'int',
  };
}

// ---------- parser ----------

function tokString(t: Token): string {
  if (t.kind === 'eof') return 'EOF';
  if (t.kind === 'error') return t.val;
  if (t.kind === 'keyword') return `<${t.val}>`;
  if ([...t.val].length > 10) return goQuote([...t.val].slice(0, 10).join('')) + '...';
  return goQuote(t.val);
}

export interface ParseOptions {
  /** names of callable functions (builtins + function map) */
  readonly hasFunction: (name: string) => boolean;
}

/**
 * Parses `src.text`. Returns the trees it defines: the top-level one under `topName`, then one per
 * {{define}}/{{block}}. Throws ParseError with Go's message (`template: NAME:LINE: ...`).
 */
export function parseTemplates(src: Source, topName: string, opts: ParseOptions): Map<string, Tree> {
  return new Parser(src, opts).parseAll(topName);
}

class Parser {
  private readonly toks: Token[];
  private i = 0;
  private vars: string[] = ['$'];
  private rangeDepth = 0;
  private actionLine = 0;
  private readonly trees = new Map<string, Tree>();

  constructor(
    private readonly src: Source,
    private readonly opts: ParseOptions,
  ) {
    this.toks = lex(src.text);
  }

  /** Throws Go's `template: NAME:LINE: msg`, about token `at` (default: the last one read). */
  private errorf(msg: string, at?: Token): never {
    const tok = at ?? this.toks[Math.max(0, this.i - 1)];
    const err = new ParseError(`template: ${this.src.name}:${tok?.line ?? 1}: ${msg}`);
    if (tok) err.pos = tok.pos;
    throw err;
  }

  private next(): Token {
    const t = this.toks[this.i]!;
    if (this.i < this.toks.length - 1) this.i++;
    else this.i = this.toks.length; // stay on the last token
    return t;
  }
  private backup(): void {
    this.i--;
  }
  private peek(): Token {
    return this.toks[Math.min(this.i, this.toks.length - 1)]!;
  }
  private nextNonSpace(): Token {
    let t = this.next();
    while (t.kind === 'space') t = this.next();
    return t;
  }
  private peekNonSpace(): Token {
    const t = this.nextNonSpace();
    this.backup();
    return t;
  }

  private unexpected(t: Token, context: string): never {
    if (t.kind === 'error') {
      let extra = '';
      if (this.actionLine !== 0 && this.actionLine !== t.line) {
        extra = ` in action started at ${this.src.name}:${this.actionLine}`;
        if (t.val.endsWith(' action')) extra = extra.slice(' in action'.length);
      }
      this.errorf(`${t.val}${extra}`, t);
    }
    this.errorf(`unexpected ${tokString(t)} in ${context}`, t);
  }

  private expect(kind: Token['kind'], context: string): Token {
    const t = this.nextNonSpace();
    if (t.kind !== kind) this.unexpected(t, context);
    return t;
  }

  private isKeyword(t: Token, word: string): boolean {
    return t.kind === 'keyword' && t.val === word;
  }

  parseAll(topName: string): Map<string, Tree> {
    const root: ListNode = { type: 'list', pos: 0, nodes: [] };
    while (this.peek().kind !== 'eof') {
      if (this.peek().kind === 'left') {
        const mark = this.i;
        this.next();
        const t = this.nextNonSpace();
        if (this.isKeyword(t, 'define')) {
          this.actionLine = t.line;
          this.parseDefinition();
          this.actionLine = 0;
          continue;
        }
        this.i = mark;
      }
      const n = this.textOrAction();
      if (n.type === 'end' || n.type === 'else') return this.errorf(`unexpected {{${n.type}}}`);
      root.nodes.push(n as Node);
    }
    if (this.peek().kind === 'error') this.unexpected(this.peek(), 'input');
    this.add({ name: topName, root, src: this.src });
    return this.trees;
  }

  private add(tree: Tree): void {
    const existing = this.trees.get(tree.name);
    if (existing && !isEmptyTree(existing.root)) {
      if (!isEmptyTree(tree.root)) this.errorf(`template: multiple definition of template ${goQuote(tree.name)}`);
      return;
    }
    this.trees.set(tree.name, tree);
  }

  private templateName(t: Token, context: string): string {
    if (t.kind !== 'string' && t.kind !== 'rawstring') this.unexpected(t, context);
    try {
      return unquoteString(t);
    } catch (e) {
      return this.errorf((e as Error).message);
    }
  }

  private parseDefinition(): void {
    const context = 'define clause';
    const nameTok = this.nextNonSpace();
    const name = this.templateName(nameTok, context);
    this.expect('right', context);
    const saved = this.vars;
    this.vars = ['$'];
    const [list, end] = this.itemList();
    this.vars = saved;
    if (end.type !== 'end') this.errorf(`unexpected {{${end.type}}} in ${context}`);
    this.add({ name, root: list, src: this.src });
  }

  private itemList(): [ListNode, EndNode] {
    const list: ListNode = { type: 'list', pos: this.peekNonSpace().pos, nodes: [] };
    while (this.peekNonSpace().kind !== 'eof') {
      const n = this.textOrAction();
      if (n.type === 'end' || n.type === 'else') return [list, n as EndNode];
      list.nodes.push(n as Node);
    }
    if (this.peek().kind === 'error') this.unexpected(this.peek(), 'input');
    return this.errorf('unexpected EOF');
  }

  private textOrAction(): Node | EndNode {
    const t = this.nextNonSpace();
    switch (t.kind) {
      case 'text':
        return { type: 'text', pos: t.pos, text: t.val };
      case 'left': {
        const saved = this.actionLine;
        this.actionLine = t.line;
        const n = this.action();
        this.actionLine = saved;
        return n;
      }
      default:
        return this.unexpected(t, 'input');
    }
  }

  private action(): Node | EndNode {
    const t = this.nextNonSpace();
    if (t.kind === 'keyword') {
      switch (t.val) {
        case 'block':
          return this.blockControl();
        case 'break':
        case 'continue':
          return this.breakControl(t);
        case 'else':
          return this.elseControl();
        case 'end':
          return { type: 'end', pos: this.expect('right', 'end').pos };
        case 'if':
          return this.branchControl('if');
        case 'range':
          return this.branchControl('range');
        case 'template':
          return this.templateControl();
        case 'with':
          return this.branchControl('with');
      }
    }
    this.backup();
    const pos = this.peek().pos;
    return { type: 'action', pos, pipe: this.pipeline('command', 'right') };
  }

  private breakControl(t: Token): BreakNode {
    const kind = t.val as 'break' | 'continue';
    const r = this.nextNonSpace();
    if (r.kind !== 'right') this.unexpected(r, `{{${kind}}}`);
    if (this.rangeDepth === 0) this.errorf(`{{${kind}}} outside {{range}}`);
    return { type: kind, pos: t.pos };
  }

  private elseControl(): EndNode {
    const p = this.peekNonSpace();
    if (this.isKeyword(p, 'if') || this.isKeyword(p, 'with')) return { type: 'else', pos: p.pos };
    const t = this.expect('right', 'else');
    return { type: 'else', pos: t.pos };
  }

  private branchControl(context: 'if' | 'range' | 'with'): BranchNode {
    const mark = this.vars.length;
    const pipe = this.pipeline(context, 'right');
    if (context === 'range') this.rangeDepth++;
    const [list, next] = this.itemList();
    if (context === 'range') this.rangeDepth--;
    let elseList: ListNode | null = null;
    if (next.type === 'else') {
      const p = this.peekNonSpace();
      if ((context === 'if' && this.isKeyword(p, 'if')) || (context === 'with' && this.isKeyword(p, 'with'))) {
        this.nextNonSpace();
        elseList = { type: 'list', pos: next.pos, nodes: [this.branchControl(context)] };
      } else {
        const [l, end] = this.itemList();
        if (end.type !== 'end') this.errorf(`expected end; found {{${end.type}}}`);
        elseList = l;
      }
    }
    this.vars.length = mark;
    return { type: context, pos: pipe.pos, pipe, list, elseList };
  }

  private templateControl(): TemplateNode {
    const context = 'template clause';
    const t = this.nextNonSpace();
    const name = this.templateName(t, context);
    let pipe: PipeNode | null = null;
    if (this.nextNonSpace().kind !== 'right') {
      this.backup();
      pipe = this.pipeline(context, 'right');
    }
    return { type: 'template', pos: t.pos, name, pipe };
  }

  private blockControl(): TemplateNode {
    const context = 'block clause';
    const t = this.nextNonSpace();
    const name = this.templateName(t, context);
    const pipe = this.pipeline(context, 'right');
    const saved = this.vars;
    const savedDepth = this.rangeDepth;
    this.vars = ['$'];
    this.rangeDepth = 0;
    const [list, end] = this.itemList();
    this.vars = saved;
    this.rangeDepth = savedDepth;
    if (end.type !== 'end') this.errorf(`unexpected {{${end.type}}} in ${context}`);
    this.add({ name, root: list, src: this.src });
    return { type: 'template', pos: t.pos, name, pipe };
  }

  private pipeline(context: string, end: 'right' | 'rparen'): PipeNode {
    const first = this.peekNonSpace();
    const pipe: PipeNode = { type: 'pipe', pos: first.pos, isAssign: false, decl: [], cmds: [] };
    // declarations
    for (;;) {
      const v = this.peekNonSpace();
      if (v.kind !== 'variable') break;
      this.nextNonSpace();
      const afterVar = this.peek();
      const nxt = this.peekNonSpace();
      if (nxt.kind === 'assign' || nxt.kind === 'declare') {
        pipe.isAssign = nxt.kind === 'assign';
        this.nextNonSpace();
        pipe.decl.push({ type: 'variable', pos: v.pos, ident: [v.val] });
        this.vars.push(v.val);
        break;
      }
      if (nxt.kind === 'char' && nxt.val === ',') {
        this.nextNonSpace();
        pipe.decl.push({ type: 'variable', pos: v.pos, ident: [v.val] });
        this.vars.push(v.val);
        if (context === 'range' && pipe.decl.length < 2) {
          const k = this.peekNonSpace().kind;
          if (k === 'variable' || k === 'right' || k === 'rparen') continue;
          this.errorf('range can only initialize variables');
        }
        this.errorf(`too many declarations in ${context}`);
      }
      // not a declaration: put the variable back
      this.i = this.toks.indexOf(v);
      void afterVar;
      break;
    }
    for (;;) {
      const t = this.nextNonSpace();
      if (t.kind === end) {
        this.checkPipeline(pipe, context);
        return pipe;
      }
      switch (t.kind) {
        case 'bool':
        case 'charconst':
        case 'dot':
        case 'field':
        case 'identifier':
        case 'number':
        case 'nil':
        case 'rawstring':
        case 'string':
        case 'variable':
        case 'lparen':
          this.backup();
          pipe.cmds.push(this.command());
          break;
        default:
          this.unexpected(t, context);
      }
    }
  }

  private checkPipeline(pipe: PipeNode, context: string): void {
    if (pipe.cmds.length === 0) this.errorf(`missing value for ${context}`);
    for (let i = 1; i < pipe.cmds.length; i++) {
      const k = pipe.cmds[i]!.args[0]!.type;
      if (k === 'bool' || k === 'dot' || k === 'nil' || k === 'number' || k === 'string') {
        this.errorf(`non executable command in pipeline stage ${i + 1}`);
      }
    }
  }

  private command(): CommandNode {
    const cmd: CommandNode = { type: 'command', pos: this.peekNonSpace().pos, args: [] };
    for (;;) {
      this.peekNonSpace();
      const op = this.operand();
      if (op) cmd.args.push(op);
      const t = this.next();
      if (t.kind === 'space') continue;
      if (t.kind === 'right' || t.kind === 'rparen') this.backup();
      else if (t.kind !== 'pipe') this.unexpected(t, 'operand');
      break;
    }
    if (cmd.args.length === 0) this.errorf('empty command');
    return cmd;
  }

  private operand(): ArgNode | null {
    const node = this.term();
    if (!node) return null;
    if (this.peek().kind === 'field') {
      const chainPos = this.peek().pos;
      const fields: string[] = [];
      while (this.peek().kind === 'field') fields.push(this.next().val.slice(1));
      switch (node.type) {
        case 'field':
          return { type: 'field', pos: chainPos, ident: [...node.ident, ...fields] };
        case 'variable':
          return { type: 'variable', pos: chainPos, ident: [...node.ident, ...fields] };
        case 'bool':
        case 'string':
        case 'number':
        case 'nil':
        case 'dot':
          this.errorf(`unexpected . after term ${goQuote(nodeString(node))}`);
          break;
        default:
          return { type: 'chain', pos: chainPos, node, field: fields };
      }
    }
    return node;
  }

  private term(): ArgNode | null {
    const t = this.nextNonSpace();
    switch (t.kind) {
      case 'identifier':
        if (!this.opts.hasFunction(t.val)) this.errorf(`function ${goQuote(t.val)} not defined`, t);
        return { type: 'identifier', pos: t.pos, ident: t.val };
      case 'dot':
        return { type: 'dot', pos: t.pos };
      case 'nil':
        return { type: 'nil', pos: t.pos };
      case 'variable':
        if (!this.vars.includes(t.val)) this.errorf(`undefined variable ${goQuote(t.val)}`, t);
        return { type: 'variable', pos: t.pos, ident: [t.val] };
      case 'field':
        return { type: 'field', pos: t.pos, ident: [t.val.slice(1)] };
      case 'bool':
        return { type: 'bool', pos: t.pos, value: t.val === 'true' };
      case 'charconst':
      case 'number':
        try {
          return parseNumber(t);
        } catch (e) {
          return this.errorf((e as Error).message, t);
        }
      case 'lparen':
        return this.pipeline('parenthesized pipeline', 'rparen');
      case 'string':
      case 'rawstring':
        try {
          return { type: 'string', pos: t.pos, quoted: t.val, text: unquoteString(t) };
        } catch (e) {
          return this.errorf((e as Error).message, t);
        }
      default:
        this.backup();
        return null;
    }
  }
}

/** Go's parse.IsEmptyTree: only whitespace text (and comments). */
export function isEmptyTree(n: ListNode): boolean {
  return n.nodes.every((x) => x.type === 'text' && x.text.trim() === '');
}
