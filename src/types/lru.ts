/**
 * @module types/lru
 * A small least-recently-used cache with a size cap (Map insertion order: a hit moves the key to the end,
 * an insert over the cap drops the first key). For memo caches keyed by user input (zones, layouts), so
 * that they cannot grow without bound.
 */
export class LruCache<K, V> {
  readonly #max: number;
  readonly #map = new Map<K, V>();

  constructor(max: number) {
    if (!(max >= 1)) throw new RangeError('LruCache size must be at least 1');
    this.#max = max;
  }

  get size(): number {
    return this.#map.size;
  }

  get(key: K): V | undefined {
    const v = this.#map.get(key);
    if (v !== undefined) {
      this.#map.delete(key);
      this.#map.set(key, v);
    }
    return v;
  }

  set(key: K, value: V): void {
    this.#map.delete(key);
    this.#map.set(key, value);
    if (this.#map.size > this.#max) this.#map.delete(this.#map.keys().next().value as K);
  }

  /** The cached value, or make() cached. */
  getOrCreate(key: K, make: () => V): V {
    let v = this.get(key);
    if (v === undefined) {
      v = make();
      this.set(key, v);
    }
    return v;
  }
}

/**
 * One process-wide, bounded cache of Intl.DateTimeFormat objects (creating one costs ~50 µs), shared by
 * go-time and timeinterval. `kind` names the option set the caller always passes with it, so that equal
 * (locale, zone, kind) keys mean equal formatters.
 */
const dateTimeFormats = new LruCache<string, Intl.DateTimeFormat>(256);

export function cachedDateTimeFormat(
  kind: string,
  locale: string,
  zone: string | undefined,
  options: Intl.DateTimeFormatOptions,
): Intl.DateTimeFormat {
  return dateTimeFormats.getOrCreate(`${kind}|${locale}|${zone ?? ''}`, () => new Intl.DateTimeFormat(locale, { ...options, timeZone: zone }));
}
