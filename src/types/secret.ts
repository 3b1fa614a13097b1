import { readFileSync } from 'node:fs';

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
    if (this.#value !== undefined) return this.#value;
    if (this.file === undefined) return '';
    return readFileSync(this.file, 'utf8').replace(/\r?\n$/, '');
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
