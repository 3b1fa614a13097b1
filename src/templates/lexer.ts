/**
 * Lexer for Go text/template syntax. Produces the whole token list at once; a lexing error becomes
 * an 'error' token at the point where Go's lexer would stop, so the parser reports it in order.
 */

export type TokKind =
  | 'text'
  | 'left'
  | 'right'
  | 'eof'
  | 'error'
  | 'space'
  | 'field'
  | 'variable'
  | 'identifier'
  | 'keyword'
  | 'bool'
  | 'number'
  | 'charconst'
  | 'string'
  | 'rawstring'
  | 'pipe'
  | 'lparen'
  | 'rparen'
  | 'declare'
  | 'assign'
  | 'char'
  | 'dot'
  | 'nil';

export interface Token {
  readonly kind: TokKind;
  /** UTF-16 offset into the source */
  readonly pos: number;
  readonly val: string;
  readonly line: number;
}

const KEYWORDS = new Set(['block', 'break', 'continue', 'define', 'else', 'end', 'if', 'range', 'template', 'with']);

function isSpace(c: string | undefined): boolean {
  return c === ' ' || c === '\t' || c === '\r' || c === '\n';
}

function isAlnum(c: string | undefined): boolean {
  if (c === undefined) return false;
  return c === '_' || /[\p{L}\p{Nd}]/u.test(c);
}

function countNewlines(s: string, from: number, to: number): number {
  let n = 0;
  for (let i = from; i < to; i++) if (s.charCodeAt(i) === 10) n++;
  return n;
}

export function lex(input: string): Token[] {
  const toks: Token[] = [];
  let pos = 0;
  let line = 1;
  const n = input.length;

  const emit = (kind: TokKind, start: number, end: number, startLine: number, val?: string): void => {
    toks.push({ kind, pos: start, val: val ?? input.slice(start, end), line: startLine });
  };
  const fail = (start: number, startLine: number, msg: string): Token[] => {
    toks.push({ kind: 'error', pos: start, val: msg, line: startLine });
    return toks;
  };

  let trimNextText = false;
  for (;;) {
    // text
    let textStart = pos;
    if (trimNextText) {
      while (textStart < n && isSpace(input[textStart])) textStart++;
      line += countNewlines(input, pos, textStart);
      pos = textStart;
      trimNextText = false;
    }
    const ld = input.indexOf('{{', pos);
    const textEnd = ld < 0 ? n : ld;
    let trimmedEnd = textEnd;
    const leftTrim = ld >= 0 && input[ld + 2] === '-' && isSpace(input[ld + 3]);
    if (leftTrim) while (trimmedEnd > textStart && isSpace(input[trimmedEnd - 1])) trimmedEnd--;
    if (trimmedEnd > textStart) emit('text', textStart, trimmedEnd, line);
    line += countNewlines(input, textStart, textEnd);
    if (ld < 0) {
      emit('eof', n, n, line, '');
      return toks;
    }
    // left delimiter
    pos = ld;
    const afterDelim = ld + 2 + (leftTrim ? 2 : 0);
    // comment
    if (input.startsWith('/*', afterDelim)) {
      const startLine = line;
      const end = input.indexOf('*/', afterDelim + 2);
      if (end < 0) return fail(ld, startLine, 'unclosed comment');
      line += countNewlines(input, afterDelim, end + 2);
      let p = end + 2;
      let rightTrim = false;
      if (isSpace(input[p]) && input[p + 1] === '-' && input.startsWith('}}', p + 2)) {
        rightTrim = true;
        p += 2;
      }
      if (!input.startsWith('}}', p)) return fail(ld, startLine, 'comment ends before closing delimiter');
      pos = p + 2;
      trimNextText = rightTrim;
      continue;
    }
    emit('left', ld, ld + 2, line, '{{');
    pos = afterDelim;
    // inside action
    let parenDepth = 0;
    for (;;) {
      // right delimiter?
      if (isSpace(input[pos]) && input[pos + 1] === '-' && input.startsWith('}}', pos + 2)) {
        if (parenDepth > 0) return fail(pos, line, 'unclosed left paren');
        emit('right', pos, pos + 4, line, '}}');
        pos += 4;
        trimNextText = true;
        break;
      }
      if (input.startsWith('}}', pos)) {
        if (parenDepth > 0) return fail(pos, line, 'unclosed left paren');
        emit('right', pos, pos + 2, line, '}}');
        pos += 2;
        break;
      }
      if (pos >= n) return fail(pos, line, 'unclosed action');
      const start = pos;
      const startLine = line;
      const c = input[pos]!;
      if (isSpace(c)) {
        while (pos < n && isSpace(input[pos])) {
          // a space directly before "-}}" belongs to the delimiter
          if (input[pos + 1] === '-' && input.startsWith('}}', pos + 2)) break;
          if (input[pos] === '\n') line++;
          pos++;
        }
        if (pos === start) {
          // lone space before -}} handled by delimiter check on next loop
          continue;
        }
        emit('space', start, pos, startLine);
        continue;
      }
      if (c === '=') {
        pos++;
        emit('assign', start, pos, line);
        continue;
      }
      if (c === ':') {
        if (input[pos + 1] !== '=') return fail(start, line, 'expected :=');
        pos += 2;
        emit('declare', start, pos, line);
        continue;
      }
      if (c === '|') {
        pos++;
        emit('pipe', start, pos, line);
        continue;
      }
      if (c === '"') {
        pos++;
        for (;;) {
          const d = input[pos];
          if (d === '\\') {
            pos++;
            if (input[pos] === undefined || input[pos] === '\n') return fail(start, line, 'unterminated quoted string');
            pos++;
            continue;
          }
          if (d === undefined || d === '\n') return fail(start, line, 'unterminated quoted string');
          pos++;
          if (d === '"') break;
        }
        emit('string', start, pos, line);
        continue;
      }
      if (c === '`') {
        const end = input.indexOf('`', pos + 1);
        if (end < 0) return fail(start, line, 'unterminated raw quoted string');
        pos = end + 1;
        emit('rawstring', start, pos, line);
        line += countNewlines(input, start, pos);
        continue;
      }
      if (c === '$') {
        pos++;
        while (isAlnum(input[pos])) pos++;
        emit('variable', start, pos, line);
        continue;
      }
      if (c === "'") {
        pos++;
        for (;;) {
          const d = input[pos];
          if (d === '\\') {
            pos += 2;
            continue;
          }
          if (d === undefined || d === '\n') return fail(start, line, 'unterminated character constant');
          pos++;
          if (d === "'") break;
        }
        emit('charconst', start, pos, line);
        continue;
      }
      if (c === '.') {
        const d = input[pos + 1];
        if (d !== undefined && d >= '0' && d <= '9') {
          const r = lexNumber(input, pos);
          if (r.bad) return fail(start, line, `bad number syntax: "${input.slice(start, r.end)}"`);
          pos = r.end;
          emit('number', start, pos, line);
          continue;
        }
        pos++;
        if (!isAlnum(input[pos])) {
          emit('dot', start, pos, line);
          continue;
        }
        while (isAlnum(input[pos])) pos++;
        if (!atTerminator(input, pos)) return fail(start, line, badChar(input, pos));
        emit('field', start, pos, line);
        continue;
      }
      if (c === '+' || c === '-' || (c >= '0' && c <= '9')) {
        const r = lexNumber(input, pos);
        if (r.bad) return fail(start, line, `bad number syntax: "${input.slice(start, r.end)}"`);
        pos = r.end;
        emit('number', start, pos, line);
        continue;
      }
      if (isAlnum(c)) {
        while (isAlnum(input[pos])) pos++;
        const word = input.slice(start, pos);
        if (!atTerminator(input, pos)) return fail(start, line, badChar(input, pos));
        if (KEYWORDS.has(word)) emit('keyword', start, pos, line);
        else if (word === 'true' || word === 'false') emit('bool', start, pos, line);
        else if (word === 'nil') emit('nil', start, pos, line);
        else emit('identifier', start, pos, line);
        continue;
      }
      if (c === '(') {
        parenDepth++;
        pos++;
        emit('lparen', start, pos, line);
        continue;
      }
      if (c === ')') {
        parenDepth--;
        if (parenDepth < 0) return fail(start, line, 'unexpected right paren');
        pos++;
        emit('rparen', start, pos, line);
        continue;
      }
      const cp = input.codePointAt(pos)!;
      if (cp < 0x7f && cp >= 0x20) {
        pos++;
        emit('char', start, pos, line);
        continue;
      }
      return fail(start, line, `unrecognized character in action: ${fmtRune(cp)}`);
    }
  }
}

function fmtRune(cp: number): string {
  const hex = cp.toString(16).toUpperCase().padStart(4, '0');
  const printable = cp >= 0x20 && cp !== 0x7f && !(cp >= 0x80 && cp < 0xa0);
  return printable ? `U+${hex} '${String.fromCodePoint(cp)}'` : `U+${hex}`;
}

function badChar(input: string, pos: number): string {
  return `bad character ${fmtRune(input.codePointAt(pos)!)}`;
}

function atTerminator(input: string, pos: number): boolean {
  const c = input[pos];
  if (c === undefined || isSpace(c)) return true;
  if (c === '.' || c === ',' || c === '|' || c === ':' || c === ')' || c === '(') return true;
  return input.startsWith('}}', pos) || (c === '-' && input.startsWith('}}', pos + 1));
}

function lexNumber(input: string, start: number): { end: number; bad: boolean } {
  let p = start;
  if (input[p] === '+' || input[p] === '-') p++;
  let digits = '0123456789_';
  let exp = 'eE';
  if (input[p] === '0' && /[xXoObB]/.test(input[p + 1] ?? '')) {
    const k = input[p + 1]!.toLowerCase();
    p += 2;
    if (k === 'x') {
      digits = '0123456789abcdefABCDEF_';
      exp = 'pP';
    } else if (k === 'o') digits = '01234567_';
    else digits = '01_';
  }
  while (p < input.length && digits.includes(input[p]!)) p++;
  if (input[p] === '.') {
    p++;
    while (p < input.length && digits.includes(input[p]!)) p++;
  }
  if (input[p] !== undefined && exp.includes(input[p]!)) {
    p++;
    if (input[p] === '+' || input[p] === '-') p++;
    while (p < input.length && '0123456789_'.includes(input[p]!)) p++;
  }
  if (input[p] === 'i') p++;
  if (isAlnum(input[p]) || input[p] === '.') {
    p++;
    return { end: p, bad: true };
  }
  return { end: p, bad: p === start || (p === start + 1 && (input[start] === '+' || input[start] === '-')) };
}
