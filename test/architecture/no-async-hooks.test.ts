/**
 * @module test/architecture/no-async-hooks
 * src/ does not import node:async_hooks (AsyncLocalStorage, createHook). On Node 20 the first
 * AsyncLocalStorage.run() turns on promise hooks for the whole process, and they stay on: every promise created
 * afterwards (ingest, API, flushes) pays for them, about 5% of the main thread's CPU in a profile of 1000 flushes.
 * What a call needs to carry along (a notification attempt's captures, for instance) is passed explicitly, on the
 * context object it already receives (pipeline/types.ts NotifyContext).
 */
import path from 'node:path';
import { readImports } from './import-graph';

const ASYNC_HOOKS = new Set(['async_hooks', 'node:async_hooks']);

describe('src/ and async_hooks', () => {
  it('no file imports node:async_hooks', () => {
    const { files, packages } = readImports(path.resolve(__dirname, '../../src'));
    expect(files.length).toBeGreaterThan(100);
    expect(packages.some((p) => p.to === 'node:fs')).toBe(true);
    expect(packages.filter((p) => ASYNC_HOOKS.has(p.to)).map((p) => `${p.from} -> ${p.to}`)).toEqual([]);
  });
});
