import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from './db';
import { SqliteStorage } from './sqlite-storage';
import { runStorageContract } from './storage-contract';

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

runStorageContract('SQLite', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'tocsin-storage-'));
  dirs.push(dir);
  return new SqliteStorage(openDatabase(dir));
});
