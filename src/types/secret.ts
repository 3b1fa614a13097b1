import { readFileSync } from 'node:fs';

/** values of secrets revealed so far (to send them), so text recorded from a send can have them removed */
const revealed = new Set<string>();
const MIN_REDACTED = 4;
const MAX_REMEMBERED = 10_000;

/** `text` with every secret value revealed so far (e.g. a token in a request body) replaced by `<secret>`. */
export function redactSecrets(text: string): string {
  let out = text;
  for (const v of revealed) if (out.includes(v)) out = out.split(v).join('<secret>');
  return out;
}

/**
 * A secret config value: either inline or read from a file at use time (as upstream reads *_file at send time).
 * It serialises as "<secret>" everywhere (JSON, String(), util.inspect), so it cannot leak into status output or logs.
 */
export class Secret {
  readonly #value: string | undefined;
  readonly file: string | undefined;
  private constructor(value: string | undefined, file: string | undefined) {
    this.#value = value;
    this.file = file;
  }
  static inline(value: string): Secret {
    return new Secret(value, undefined);
  }
  static fromFile(path: string): Secret {
    return new Secret(undefined, path);
  }
  /** The real value. Files are read on every call, trailing newline trimmed like upstream. */
  reveal(): string {
    const v = this.#value !== undefined ? this.#value : this.file === undefined ? '' : readFileSync(this.file, 'utf8').replace(/\r?\n$/, '');
    if (v.length >= MIN_REDACTED && !revealed.has(v)) {
      if (revealed.size >= MAX_REMEMBERED) revealed.delete(revealed.values().next().value as string);
      revealed.add(v);
    }
    return v;
  }
  toJSON(): string {
    return '<secret>';
  }
  toString(): string {
    return '<secret>';
  }
  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return '<secret>';
  }
}
