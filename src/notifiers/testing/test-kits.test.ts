/**
 * Test kits (the notifier contract suite, fake receivers, fixtures, config test helpers) are not compiled into
 * dist/ (tsconfig.build.json excludes them), so nothing that is compiled may import them, and a file that uses
 * jest's globals must be one of them.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

const ROOT = resolve(__dirname, '../../..');
const SRC = join(ROOT, 'src');
const build = JSON.parse(readFileSync(join(ROOT, 'tsconfig.build.json'), 'utf8')) as { exclude: string[] };

/** tsconfig's glob subset: `**` any folders, `*` within one path segment */
function globRe(glob: string): RegExp {
  const re = glob
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*\*\//g, '\u0000')
    .replace(/\*\*/g, '.*')
    .replace(/\*/g, '[^/]*')
    .replace(/\u0000/g, '(?:.*/)?');
  return new RegExp(`^${re}(?:/.*)?$`);
}
const excluded = build.exclude.map(globRe);
const isExcluded = (file: string) => excluded.some((re) => re.test(relative(ROOT, file).split('\\').join('/')));

function tsFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    if (e.isDirectory()) return tsFiles(p);
    return e.name.endsWith('.ts') ? [p] : [];
  });
}

function resolveImport(from: string, spec: string): string | undefined {
  if (!spec.startsWith('.')) return undefined;
  const base = resolve(dirname(from), spec);
  const files = new Set(tsFiles(dirname(base)).map((f) => f));
  for (const c of [`${base}.ts`, join(base, 'index.ts')]) if (files.has(c)) return c;
  return undefined;
}

const IMPORT = /(?:^|\n)\s*(?:import|export)\s[^'"]*?from\s+'([^']+)'|import\(\s*'([^']+)'\s*\)/g;
const JEST_GLOBAL = /^\s*(?:describe|test|it|beforeAll|beforeEach|afterAll|afterEach)\(|\bexpect\([^)]*\)\.(?:to|not|resolves|rejects)/m;

describe('test kits stay out of dist/', () => {
  const compiled = tsFiles(SRC).filter((f) => !isExcluded(f));

  test('the exclusions cover the known kits', () => {
    for (const kit of ['src/notifiers/contract.ts', 'src/notifiers/testing/fake-receiver.ts', 'src/notifiers/testing/fixtures.ts', 'src/config/test-helpers.ts', 'src/notifiers/webhook/webhook.test.ts']) {
      expect([kit, isExcluded(join(ROOT, kit))]).toEqual([kit, true]);
    }
    expect(isExcluded(join(ROOT, 'src/notifiers/webhook/notifier.ts'))).toBe(false);
  });

  test('no compiled file imports an excluded one', () => {
    const bad: string[] = [];
    for (const f of compiled) {
      for (const m of readFileSync(f, 'utf8').matchAll(IMPORT)) {
        const target = resolveImport(f, m[1] ?? m[2] ?? '');
        if (target && isExcluded(target)) bad.push(`${relative(ROOT, f)} -> ${relative(ROOT, target)}`);
      }
    }
    expect(bad).toEqual([]);
  });

  test('a file using jest globals is excluded (a test or a test kit)', () => {
    expect(compiled.filter((f) => JEST_GLOBAL.test(readFileSync(f, 'utf8'))).map((f) => relative(ROOT, f))).toEqual([]);
  });
});
