/**
 * @module go/json-scan
 * Go-compatible JSON body scanning for the API: finds the end of the first JSON value (Go's json.Decoder reads
 * one value and ignores what follows) and reports syntax errors with encoding/json's messages
 * (e.g. `invalid character 'x' looking for beginning of value`), so 400 answers read as upstream's do.
 */

export type ScanResult = { ok: true; end: number; empty: boolean } | { ok: false; message: string };

/** Go's quoteChar (encoding/json/scanner.go). */
function quoteChar(c: string): string {
  if (c === "'") return `'\\''`;
  if (c === '"') return `'"'`;
  const q = JSON.stringify(c);
  return `'${q.slice(1, -1)}'`;
}

class ScanError extends Error {}

const EOF = 'unexpected EOF';

export function scanGoJson(text: string): ScanResult {
  let i = 0;
  const n = text.length;
  const isWs = (c: string) => c === ' ' || c === '\t' || c === '\n' || c === '\r';
  const ws = () => {
    while (i < n && isWs(text[i]!)) i++;
  };
  const fail = (msg: string): never => {
    throw new ScanError(msg);
  };
  const bad = (ctx: string): never => {
    if (i >= n) fail(EOF);
    return fail(`invalid character ${quoteChar(text[i]!)} ${ctx}`);
  };

  const literal = (word: string) => {
    // first char already checked
    for (let k = 1; k < word.length; k++) {
      i++;
      if (i >= n) fail(EOF);
      if (text[i] !== word[k]) fail(`invalid character ${quoteChar(text[i]!)} in literal ${word} (expecting ${quoteChar(word[k]!)})`);
    }
    i++;
  };

  const isDigit = (c: string | undefined) => c !== undefined && c >= '0' && c <= '9';
  const isHex = (c: string | undefined) => c !== undefined && /^[0-9a-fA-F]$/.test(c);

  const number = () => {
    if (text[i] === '-') {
      i++;
      if (i >= n) fail(EOF);
      if (!isDigit(text[i])) bad('in numeric literal');
    }
    if (text[i] === '0') i++;
    else while (isDigit(text[i])) i++;
    if (text[i] === '.') {
      i++;
      if (i >= n) fail(EOF);
      if (!isDigit(text[i])) bad('after decimal point in numeric literal');
      while (isDigit(text[i])) i++;
    }
    if (text[i] === 'e' || text[i] === 'E') {
      i++;
      if (text[i] === '+' || text[i] === '-') i++;
      if (i >= n) fail(EOF);
      if (!isDigit(text[i])) bad('in exponent of numeric literal');
      while (isDigit(text[i])) i++;
    }
  };

  const string = () => {
    i++; // opening quote
    for (;;) {
      if (i >= n) fail(EOF);
      const c = text[i]!;
      if (c === '"') {
        i++;
        return;
      }
      if (c === '\\') {
        i++;
        if (i >= n) fail(EOF);
        const e = text[i]!;
        if (e === 'u') {
          for (let k = 0; k < 4; k++) {
            i++;
            if (i >= n) fail(EOF);
            if (!isHex(text[i])) bad('in \\u hexadecimal character escape');
          }
        } else if (!'"\\/bfnrt'.includes(e)) {
          bad('in string escape code');
        }
        i++;
        continue;
      }
      if (c < ' ') bad('in string literal');
      i++;
    }
  };

  const value = (depth: number): void => {
    if (depth > 10000) fail('exceeded max depth');
    ws();
    if (i >= n) fail(EOF);
    const c = text[i]!;
    if (c === '{') {
      i++;
      ws();
      if (text[i] === '}') {
        i++;
        return;
      }
      for (;;) {
        ws();
        if (text[i] !== '"') bad('looking for beginning of object key string');
        string();
        ws();
        if (text[i] !== ':') bad('after object key');
        i++;
        value(depth + 1);
        ws();
        if (text[i] === ',') {
          i++;
          continue;
        }
        if (text[i] === '}') {
          i++;
          return;
        }
        bad('after object key:value pair');
      }
    }
    if (c === '[') {
      i++;
      ws();
      if (text[i] === ']') {
        i++;
        return;
      }
      for (;;) {
        value(depth + 1);
        ws();
        if (text[i] === ',') {
          i++;
          continue;
        }
        if (text[i] === ']') {
          i++;
          return;
        }
        bad('after array element');
      }
    }
    if (c === '"') string();
    else if (c === '-' || isDigit(c)) number();
    else if (c === 't') literal('true');
    else if (c === 'f') literal('false');
    else if (c === 'n') literal('null');
    else bad('looking for beginning of value');
  };

  ws();
  if (i >= n) return { ok: true, end: i, empty: true };
  try {
    value(0);
  } catch (e) {
    if (e instanceof ScanError) return { ok: false, message: e.message };
    throw e;
  }
  return { ok: true, end: i, empty: false };
}

/** Go's name for a JSON value's kind in UnmarshalTypeError messages. */
export function goJsonKind(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'boolean') return 'bool';
  if (typeof v === 'object') return 'object';
  return typeof v; // number | string
}
