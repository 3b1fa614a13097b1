/**
 * @module test/architecture/import-graph
 * Reads the imports of every TypeScript file under a folder (import, `import type`, `export … from`, dynamic
 * `import()` and `require()`, found by TypeScript's own pre-processor, so comments and strings do not count) and
 * checks the relative ones against a layer order: the rules the layering test (layering.test.ts) applies to src/.
 * The others (Node's modules, packages) are listed for tests about what src/ may use (no-async-hooks.test.ts).
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

/** One import: both ends are paths relative to the root, with `/` separators. */
export interface ImportEdge {
  from: string;
  to: string;
}

/** The unit a layer holds: a file's top-level folder under the root, or the file's own name at the root. */
export function unitOf(file: string): string {
  const slash = file.indexOf('/');
  return slash < 0 ? file : file.slice(0, slash);
}

function listTsFiles(dir: string, out: string[]): string[] {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) {
      if (e.name !== 'node_modules' && e.name !== 'dist') listTsFiles(p, out);
    } else if (/\.ts$/.test(e.name) && !e.name.endsWith('.d.ts')) out.push(p);
  }
  return out;
}

/** The file a relative specifier names (TypeScript's resolution: `x.ts`, `x/index.ts`, `x.js` written for `x.ts`). */
function resolveSpecifier(fromFile: string, spec: string): string {
  const base = path.resolve(path.dirname(fromFile), spec);
  const candidates = [`${base}.ts`, path.join(base, 'index.ts'), base.replace(/\.js$/, '.ts'), base];
  for (const c of candidates) if (existsSync(c) && statSync(c).isFile()) return c;
  return base;
}

/**
 * Every relative import of every .ts file below `root` (`edges`), and every other import as written, e.g.
 * `node:fs` or `undici` (`packages`, `to` is the specifier).
 */
export function readImports(root: string): { files: string[]; edges: ImportEdge[]; packages: ImportEdge[] } {
  const rel = (p: string) => path.relative(root, p).split(path.sep).join('/');
  const files = listTsFiles(root, []);
  const edges: ImportEdge[] = [];
  const packages: ImportEdge[] = [];
  for (const f of files) {
    const info = ts.preProcessFile(readFileSync(f, 'utf8'), true, true);
    for (const im of info.importedFiles) {
      if (im.fileName.startsWith('.')) edges.push({ from: rel(f), to: rel(resolveSpecifier(f, im.fileName)) });
      else packages.push({ from: rel(f), to: im.fileName });
    }
  }
  return { files: files.map(rel), edges, packages };
}

export interface LayerRules {
  /** units bottom first; a unit may import its own layer and the layers below it */
  layers: readonly (readonly string[])[];
  /** imports the order allows but the architecture does not: unit -> units it must not import */
  forbidden?: Readonly<Record<string, readonly string[]>>;
  /** known violations, as `from file -> to file` pairs; each must still exist (else it is stale) */
  exceptions?: readonly (readonly [string, string])[];
  /** files the rules do not apply to as importers (tests); they still must not be imported by other files */
  isExempt?(file: string): boolean;
}

/** Strongly connected components with more than one member (or a member importing itself): the cycles. */
export function cycles(edges: readonly ImportEdge[]): string[][] {
  const adj = new Map<string, Set<string>>();
  for (const e of edges) {
    if (!adj.has(e.from)) adj.set(e.from, new Set());
    adj.get(e.from)!.add(e.to);
    if (!adj.has(e.to)) adj.set(e.to, new Set());
  }
  // Tarjan's algorithm, iterative (no recursion limit on long chains)
  let counter = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const out: string[][] = [];
  for (const start of adj.keys()) {
    if (index.has(start)) continue;
    const work: { v: string; it: Iterator<string> }[] = [];
    const visit = (v: string) => {
      index.set(v, counter);
      low.set(v, counter++);
      stack.push(v);
      onStack.add(v);
      work.push({ v, it: adj.get(v)![Symbol.iterator]() });
    };
    visit(start);
    while (work.length > 0) {
      const top = work[work.length - 1]!;
      const next = top.it.next();
      if (!next.done) {
        const w = next.value;
        if (!index.has(w)) visit(w);
        else if (onStack.has(w)) low.set(top.v, Math.min(low.get(top.v)!, index.get(w)!));
        continue;
      }
      work.pop();
      if (work.length > 0) {
        const parent = work[work.length - 1]!.v;
        low.set(parent, Math.min(low.get(parent)!, low.get(top.v)!));
      }
      if (low.get(top.v) === index.get(top.v)) {
        const scc: string[] = [];
        let w: string;
        do {
          w = stack.pop()!;
          onStack.delete(w);
          scc.push(w);
        } while (w !== top.v);
        if (scc.length > 1 || adj.get(top.v)!.has(top.v)) out.push(scc.sort());
      }
    }
  }
  return out;
}

/**
 * Every breach of the rules, one readable line each (empty = clean): an import of a higher layer, a forbidden
 * import, an import of a test file or of a file outside the root, a file in no layer, a cycle between units
 * or between files, and a stale exception.
 */
export function layeringViolations(files: readonly string[], edges: readonly ImportEdge[], rules: LayerRules): string[] {
  const exempt = rules.isExempt ?? (() => false);
  const rank = new Map<string, number>();
  rules.layers.forEach((units, i) => {
    for (const u of units) rank.set(u, i);
  });
  const excepted = new Set((rules.exceptions ?? []).map(([a, b]) => `${a} -> ${b}`));
  const usedExceptions = new Set<string>();
  const out: string[] = [];
  for (const f of files) if (!rank.has(unitOf(f))) out.push(`${f}: ${unitOf(f)} is in no layer (add it to the layer order)`);
  const checked: ImportEdge[] = [];
  for (const e of edges) {
    if (exempt(e.from)) continue;
    const pair = `${e.from} -> ${e.to}`;
    if (e.to.startsWith('../')) {
      out.push(`${pair}: imports a file outside src/`);
      continue;
    }
    if (exempt(e.to)) {
      out.push(`${pair}: imports a test file`);
      continue;
    }
    const a = unitOf(e.from);
    const b = unitOf(e.to);
    if (a !== b) {
      const ra = rank.get(a);
      const rb = rank.get(b);
      let why: string | undefined;
      if (ra !== undefined && rb !== undefined && rb > ra) why = `upward import (${a} is below ${b})`;
      else if (rules.forbidden?.[a]?.includes(b)) why = `${a} must not import ${b}`;
      if (why !== undefined) {
        if (excepted.has(pair)) usedExceptions.add(pair);
        else out.push(`${pair}: ${why}`);
        continue;
      }
    }
    checked.push(e);
  }
  const unitEdges = checked.filter((e) => unitOf(e.from) !== unitOf(e.to)).map((e) => ({ from: unitOf(e.from), to: unitOf(e.to) }));
  for (const c of cycles(unitEdges)) out.push(`import cycle between folders: ${c.join(', ')}`);
  for (const c of cycles(checked)) out.push(`import cycle between files: ${c.join(', ')}`);
  for (const x of excepted) if (!usedExceptions.has(x)) out.push(`${x}: stale exception (the import is gone or allowed now: delete it from the list)`);
  return out;
}
