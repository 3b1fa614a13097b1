/**
 * The UTF-8 matchers parser (upstream matcher/parse: lexer.go, parse.go, token.go), default since 0.27.
 * Our own implementation of the same grammar and error texts: errors carry `<startCol>:<endCol>:` prefixes in
 * 0-based rune columns.
 */
import { ValidationError } from '../types/errors';
import { createMatcher, GO_SPACE_CLASS, isReservedChar } from './matcher';
import type { Matcher, MatchType } from './types';

const EOF = -1;
const SPACE_RE = new RegExp(`^[${GO_SPACE_CLASS}]$`);

type Kind = 'eof' | '{' | '}' | ',' | '=' | '!=' | '=~' | '!~' | 'quoted' | 'unquoted';

interface Position {
  offsetStart: number;
  offsetEnd: number;
  columnStart: number;
  columnEnd: number;
}

interface Token extends Position {
  kind: Kind;
  value: string;
}

/** A parse failure; `message` is the full upstream error text. */
class ParseFailure extends Error {}

/** The "end of input" sentinel (errEOF); callers test for it like errors.Is. */
class EofFailure extends ParseFailure {
  constructor() {
    super('end of input');
  }
}

const isSpace = (cp: number): boolean => SPACE_RE.test(String.fromCodePoint(cp));
const isReserved = (cp: number): boolean => isReservedChar(String.fromCodePoint(cp));

class Lexer {
  readonly input: string;
  err: ParseFailure | undefined;
  start = 0;
  pos = 0;
  width = 0;
  column = 0;
  cols = 0;

  constructor(input: string) {
    this.input = input;
  }

  scan(): Token {
    if (this.err) throw this.err;
    for (let r = this.next(); r !== EOF; r = this.next()) {
      try {
        if (r === 0x7b) return this.emit('{');
        if (r === 0x7d) return this.emit('}');
        if (r === 0x2c) return this.emit(',');
        if (r === 0x3d || r === 0x21) {
          this.rewind();
          return this.scanOperator();
        }
        if (r === 0x22) {
          this.rewind();
          return this.scanQuoted();
        }
        if (!isReserved(r)) {
          this.rewind();
          return this.scanUnquoted();
        }
        if (isSpace(r)) {
          this.skip();
          continue;
        }
        throw new ParseFailure(`${this.column}:${this.cols}: ${this.input.slice(this.start, this.pos)}: invalid input`);
      } catch (e) {
        this.err = e as ParseFailure;
        throw e;
      }
    }
    return { kind: 'eof', value: '', ...this.position() };
  }

  peek(): Token {
    const { start, pos, width, column, cols } = this;
    try {
      return this.scan();
    } finally {
      this.start = start;
      this.pos = pos;
      this.width = width;
      this.column = column;
      this.cols = cols;
    }
  }

  private scanOperator(): Token {
    if (this.accept('!')) {
      if (this.accept('=')) return this.emit('!=');
      if (this.accept('~')) return this.emit('!~');
      throw this.expectedError('=~');
    }
    if (this.accept('=')) {
      if (this.accept('~')) return this.emit('=~');
      return this.emit('=');
    }
    throw this.expectedError('!=');
  }

  private scanQuoted(): Token {
    this.expect('"');
    let escaped = false;
    for (let r = this.next(); r !== EOF; r = this.next()) {
      if (escaped) escaped = false;
      else if (r === 0x5c) escaped = true;
      else if (r === 0x22) {
        this.rewind();
        break;
      }
    }
    try {
      this.expect('"');
    } catch {
      const p = this.position();
      throw new ParseFailure(`${p.columnStart}:${p.columnEnd}: ${this.input.slice(p.offsetStart, p.offsetEnd)}: missing end "`);
    }
    return this.emit('quoted');
  }

  private scanUnquoted(): Token {
    for (let r = this.next(); r !== EOF; r = this.next()) {
      if (isReserved(r)) {
        this.rewind();
        break;
      }
    }
    return this.emit('unquoted');
  }

  position(): Position {
    return { offsetStart: this.start, offsetEnd: this.pos, columnStart: this.column, columnEnd: this.cols };
  }

  private expectedError(expected: string): ParseFailure {
    const p = this.position();
    if (p.offsetEnd >= this.input.length) {
      return new ParseFailure(`${p.columnStart}:${p.columnEnd}: unexpected end of input, expected one of '${expected}'`);
    }
    return new ParseFailure(
      `${p.columnStart}:${p.columnEnd}: ${this.input.slice(p.offsetStart, p.offsetEnd)}: expected one of '${expected}'`,
    );
  }

  private accept(valid: string): boolean {
    const r = this.next();
    if (r !== EOF && valid.includes(String.fromCodePoint(r))) return true;
    this.rewind();
    return false;
  }

  private expect(valid: string): void {
    if (!this.accept(valid)) throw this.expectedError(valid);
  }

  private emit(kind: Kind): Token {
    const t: Token = { kind, value: this.input.slice(this.start, this.pos), ...this.position() };
    this.start = this.pos;
    this.column = this.cols;
    return t;
  }

  private next(): number {
    if (this.pos >= this.input.length) {
      this.width = 0;
      return EOF;
    }
    const r = this.input.codePointAt(this.pos)!;
    this.width = r > 0xffff ? 2 : 1;
    this.pos += this.width;
    this.cols++;
    return r;
  }

  private rewind(): void {
    this.pos -= this.width;
    if (this.width > 0) this.cols--;
  }

  private skip(): void {
    this.start = this.pos;
    this.column = this.cols;
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Go string literal unquoting (strconv.Unquote for double-quoted strings) + UTF-8 validity check.

const utf8Decoder = new TextDecoder('utf-8', { fatal: true });

function pushCodePoint(out: number[], cp: number): void {
  if (cp < 0x80) out.push(cp);
  else if (cp < 0x800) out.push(0xc0 | (cp >> 6), 0x80 | (cp & 0x3f));
  else if (cp < 0x10000) out.push(0xe0 | (cp >> 12), 0x80 | ((cp >> 6) & 0x3f), 0x80 | (cp & 0x3f));
  else out.push(0xf0 | (cp >> 18), 0x80 | ((cp >> 12) & 0x3f), 0x80 | ((cp >> 6) & 0x3f), 0x80 | (cp & 0x3f));
}

const SIMPLE_ESCAPES: Readonly<Record<string, number>> = { a: 7, b: 8, f: 12, n: 10, r: 13, t: 9, v: 11, '\\': 92, '"': 34 };
const HEX_RE = /^[0-9a-fA-F]+$/;

/** strconv.Unquote of a `"..."` literal, then utf8.ValidString; returns undefined on any error. */
export function goUnquote(lit: string): string | undefined {
  if (lit.length < 2 || lit[0] !== '"' || lit[lit.length - 1] !== '"') return undefined;
  const body = lit.slice(1, -1);
  if (body.includes('\n')) return undefined;
  if (!body.includes('\\') && !body.includes('"')) return /\p{Cs}/u.test(body) ? undefined : body;
  const out: number[] = [];
  for (let i = 0; i < body.length; ) {
    const cp = body.codePointAt(i)!;
    if (cp === 0x22) return undefined;
    if (cp !== 0x5c) {
      if (cp >= 0xd800 && cp <= 0xdfff) return undefined;
      pushCodePoint(out, cp);
      i += cp > 0xffff ? 2 : 1;
      continue;
    }
    const c = body[i + 1];
    if (c === undefined) return undefined;
    const simple = SIMPLE_ESCAPES[c];
    if (simple !== undefined) {
      out.push(simple);
      i += 2;
      continue;
    }
    if (c === 'x' || c === 'u' || c === 'U') {
      const n = c === 'x' ? 2 : c === 'u' ? 4 : 8;
      const digits = body.slice(i + 2, i + 2 + n);
      if (digits.length !== n || !HEX_RE.test(digits)) return undefined;
      const v = Number.parseInt(digits, 16);
      if (c === 'x') out.push(v);
      else {
        if (v > 0x10ffff || (v >= 0xd800 && v <= 0xdfff)) return undefined;
        pushCodePoint(out, v);
      }
      i += 2 + n;
      continue;
    }
    if (c >= '0' && c <= '7') {
      const digits = body.slice(i + 1, i + 4);
      if (!/^[0-7]{3}$/.test(digits)) return undefined;
      const v = Number.parseInt(digits, 8);
      if (v > 255) return undefined;
      out.push(v);
      i += 4;
      continue;
    }
    return undefined;
  }
  try {
    return utf8Decoder.decode(Uint8Array.from(out));
  } catch {
    return undefined;
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Parser

const OPERATORS: ReadonlySet<Kind> = new Set(['=', '!=', '=~', '!~']);

class Parser {
  readonly l: Lexer;
  readonly matchers: Matcher[] = [];
  hasOpenBrace = false;

  constructor(input: string) {
    this.l = new Lexer(input);
  }

  parse(): Matcher[] {
    let state: (() => unknown) | undefined = this.parseOpenBrace;
    while (state) state = state.call(this) as (() => unknown) | undefined;
    return this.matchers;
  }

  parseOpenBrace(): (() => unknown) | undefined {
    try {
      this.hasOpenBrace = this.accept('{');
    } catch (e) {
      if (e instanceof EofFailure) return this.parseEOF;
      throw e;
    }
    let hasCloseBrace: boolean;
    try {
      hasCloseBrace = this.acceptPeek('}');
    } catch (e) {
      if (e instanceof EofFailure) return this.parseCloseBrace;
      throw e;
    }
    return hasCloseBrace ? this.parseCloseBrace : this.parseMatcher;
  }

  parseCloseBrace(): (() => unknown) | undefined {
    if (this.hasOpenBrace) {
      try {
        this.expect('}');
      } catch (e) {
        throw new ParseFailure(`0:${this.l.position().columnEnd}: ${(e as Error).message}: expected close brace`);
      }
    } else {
      let found = true;
      try {
        this.expect('}');
      } catch {
        found = false;
      }
      if (found) throw new ParseFailure(`0:${this.l.position().columnEnd}: }: expected opening brace`);
    }
    return this.parseEOF;
  }

  parseMatcher(): (() => unknown) | undefined {
    let t = this.wrap(() => this.expect('quoted', 'unquoted'), 'expected label name');
    const name = this.unquote(t);
    t = this.wrap(() => this.expect('=', '!=', '=~', '!~'), "expected an operator such as '=', '!=', '=~' or '!~'");
    if (!OPERATORS.has(t.kind)) throw new ParseFailure(`bad operator ${t.value}`);
    const type = t.kind as MatchType;
    t = this.wrap(() => this.expect('unquoted', 'quoted'), 'expected label value');
    const value = this.unquote(t);
    try {
      this.matchers.push(createMatcher(type, name, value));
    } catch (e) {
      throw new ParseFailure(`failed to create matcher: ${(e as Error).message}`);
    }
    return this.parseEndOfMatcher;
  }

  parseEndOfMatcher(): (() => unknown) | undefined {
    let t: Token;
    try {
      t = this.expectPeek(',', '}');
    } catch (e) {
      if (e instanceof EofFailure) return this.parseCloseBrace;
      throw new ParseFailure(`${(e as Error).message}: expected a comma or close brace`);
    }
    return t.kind === ',' ? this.parseComma : this.parseCloseBrace;
  }

  parseComma(): (() => unknown) | undefined {
    this.wrap(() => this.expect(','), 'expected a comma');
    let t: Token;
    try {
      t = this.expectPeek('}', 'unquoted', 'quoted');
    } catch (e) {
      if (e instanceof EofFailure) return this.parseCloseBrace;
      throw new ParseFailure(`${(e as Error).message}: expected a matcher or close brace after comma`);
    }
    return t.kind === '}' ? this.parseCloseBrace : this.parseMatcher;
  }

  parseEOF(): undefined {
    let t: Token;
    try {
      t = this.l.scan();
    } catch (e) {
      throw new ParseFailure(`${(e as Error).message}: expected end of input`);
    }
    if (t.kind !== 'eof') throw new ParseFailure(`${t.columnStart}:${t.columnEnd}: ${t.value}: expected end of input`);
    return undefined;
  }

  private wrap(fn: () => Token, what: string): Token {
    try {
      return fn();
    } catch (e) {
      throw new ParseFailure(`${(e as Error).message}: ${what}`);
    }
  }

  private unquote(t: Token): string {
    if (t.kind !== 'quoted') return t.value;
    const s = goUnquote(t.value);
    if (s === undefined) throw new ParseFailure(`${t.columnStart}:${t.columnEnd}: ${t.value}: invalid input`);
    return s;
  }

  private accept(...kinds: Kind[]): boolean {
    const ok = this.acceptPeek(...kinds);
    if (ok) this.l.scan();
    return ok;
  }

  private acceptPeek(...kinds: Kind[]): boolean {
    const t = this.l.peek();
    if (t.kind === 'eof') throw new EofFailure();
    return kinds.includes(t.kind);
  }

  private expect(...kinds: Kind[]): Token {
    const t = this.expectPeek(...kinds);
    this.l.scan();
    return t;
  }

  private expectPeek(...kinds: Kind[]): Token {
    const t = this.l.peek();
    if (t.kind === 'eof') throw new EofFailure();
    if (!kinds.includes(t.kind)) throw new ParseFailure(`${t.columnStart}:${t.columnEnd}: unexpected ${t.value}`);
    return t;
  }
}

/** Parses zero or more matchers with the UTF-8 grammar (matcher/parse.Matchers). */
export function parseMatchersUtf8(input: string): Matcher[] {
  try {
    return new Parser(input).parse();
  } catch (e) {
    if (e instanceof ParseFailure) throw new ValidationError(e.message);
    throw e;
  }
}

/** Exactly one matcher with the UTF-8 grammar (matcher/parse.Matcher). */
export function parseMatcherUtf8(input: string): Matcher {
  const ms = parseMatchersUtf8(input);
  if (ms.length === 1) return ms[0]!;
  if (ms.length === 0) throw new ValidationError('no matchers');
  throw new ValidationError(`expected 1 matcher, found ${ms.length}`);
}
