import { runStorageContract } from '../storage-contract';
import { redactPgUrl } from './connect';
import { PgStorage } from './pg-storage';
import { createTestDatabase, type TestDatabase } from './testing/database';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(() => db.drop());

runStorageContract('PostgreSQL', async () => {
  const s = await PgStorage.open({ url: db.url, replica: 'r1', max: 3 });
  await s.pool.query('TRUNCATE alerts, silences, nflog');
  return s;
});

test('PgStorage.open() names a bad URL without its password, and an unreachable server', async () => {
  await expect(PgStorage.open({ url: 'mysql://u:pw@h/db', replica: 'r' })).rejects.toThrow(
    'invalid PostgreSQL URL "mysql://u:<secret>@h/db": the scheme must be postgres:// or postgresql://',
  );
  // port 1 on loopback: nothing listens there
  await expect(PgStorage.open({ url: 'postgres://postgres:pw@127.0.0.1:1/x', replica: 'r', connectTimeout: 2000 })).rejects.toThrow(/ECONNREFUSED/);
});

test('redactPgUrl() hides the password in the userinfo and in the query', () => {
  expect(redactPgUrl('postgres://tocsin:s3cr%40t@db:5432/tocsin?sslmode=require&password=x2')).toBe(
    'postgres://tocsin:<secret>@db:5432/tocsin?sslmode=require&password=<secret>',
  );
  expect(redactPgUrl('postgres://tocsin@db/tocsin')).toBe('postgres://tocsin@db/tocsin');
});
