import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmdirSync, statSync } from 'node:fs';
import path from 'node:path';

export const ROOT = path.resolve(__dirname, '..', '..');

function newestMtime(dir: string): number {
  let newest = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) {
      if (e.name === 'node_modules' || e.name === 'dist' || e.name === 'web') continue;
      newest = Math.max(newest, newestMtime(p));
    } else if (e.name.endsWith('.ts') && !e.name.endsWith('.test.ts')) {
      newest = Math.max(newest, statSync(p).mtimeMs);
    }
  }
  return newest;
}

/**
 * Makes sure dist/ (what bin/tocsin runs) is at least as new as src/: compiles with tsc when it is stale.
 * Safe when several jest workers call it at once (a directory lock; the others wait).
 */
export function ensureBuilt(): void {
  const main = path.join(ROOT, 'dist', 'main.js');
  const fresh = () => existsSync(main) && statSync(main).mtimeMs >= newestMtime(path.join(ROOT, 'src'));
  const lock = path.join(ROOT, '.build-lock');
  // tsc writes dist/main.js part-way through a build, so a fresh main.js alone does not mean dist/ is complete:
  // while another worker holds the lock, wait for it (checked after main.js, so a build that began after the
  // freshness check cannot have touched main.js yet)
  if (fresh() && !existsSync(lock)) return;
  const deadline = Date.now() + 120_000;
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      if (Date.now() > deadline) throw new Error('ensureBuilt: timed out waiting for another build');
      try {
        // a lock left by a killed run
        if (Date.now() - statSync(lock).mtimeMs > 180_000) rmdirSync(lock);
      } catch {
        // gone meanwhile
      }
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 250);
    }
  }
  try {
    if (!fresh()) {
      execFileSync(process.execPath, [path.join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.build.json'], {
        cwd: ROOT,
        stdio: 'pipe',
      });
    }
  } finally {
    rmdirSync(lock);
  }
}
