import { cachedDateTimeFormat, LruCache } from './lru';

describe('LruCache', () => {
  it('drops the least recently used key over its cap', () => {
    const c = new LruCache<string, number>(2);
    c.set('a', 1);
    c.set('b', 2);
    expect(c.get('a')).toBe(1); // a is now the most recent
    c.set('c', 3);
    expect(c.size).toBe(2);
    expect(c.get('b')).toBeUndefined();
    expect(c.get('a')).toBe(1);
    expect(c.get('c')).toBe(3);
  });

  it('getOrCreate makes once per key', () => {
    const c = new LruCache<string, object>(4);
    let made = 0;
    const make = (): object => ({ n: ++made });
    const first = c.getOrCreate('k', make);
    expect(c.getOrCreate('k', make)).toBe(first);
    expect(made).toBe(1);
  });

  it('rejects a cap below 1', () => {
    expect(() => new LruCache(0)).toThrow(RangeError);
  });
});

describe('cachedDateTimeFormat', () => {
  it('returns the same formatter for the same kind, locale and zone, another for another zone', () => {
    const opts: Intl.DateTimeFormatOptions = { hour: 'numeric', hourCycle: 'h23' };
    const a = cachedDateTimeFormat('t', 'en-US', 'Europe/Paris', opts);
    expect(cachedDateTimeFormat('t', 'en-US', 'Europe/Paris', opts)).toBe(a);
    const b = cachedDateTimeFormat('t', 'en-US', 'Asia/Tokyo', opts);
    expect(b).not.toBe(a);
    expect(b.resolvedOptions().timeZone).toBe('Asia/Tokyo');
  });
});
