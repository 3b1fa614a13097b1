import bcrypt from 'bcryptjs';
import { BcryptPool } from './bcrypt-pool';

describe('BcryptPool', () => {
  test('compares on worker threads ($2y$ too); a malformed hash is a mismatch', async () => {
    const pool = new BcryptPool({ size: 1 });
    try {
      const hash = bcrypt.hashSync('pw', 4).replace(/^\$2b\$/, '$2y$');
      expect(await Promise.all([pool.compare('pw', hash), pool.compare('nope', hash), pool.compare('pw', 'not a hash')])).toEqual([true, false, false]);
    } finally {
      await pool.close();
    }
  });

  test("beyond maxQueue waiting comparisons it answers 'busy' at once; close() rejects what still waits", async () => {
    const pool = new BcryptPool({ size: 1, maxQueue: 2 });
    const hash = bcrypt.hashSync('pw', 8);
    const first = pool.compare('a', hash); // on the worker
    const waiting = [pool.compare('b', hash), pool.compare('c', hash)];
    expect(pool.queued).toBe(2);
    expect(await pool.compare('d', hash)).toBe('busy');
    await first;
    await Promise.all(waiting);
    const queued = [pool.compare('e', hash), pool.compare('f', hash)];
    const settled = Promise.allSettled(queued);
    await pool.close();
    expect((await settled).some((r) => r.status === 'rejected')).toBe(true);
    await expect(pool.compare('g', hash)).rejects.toThrow('bcrypt pool closed');
  });
});
