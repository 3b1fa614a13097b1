/**
 * An integration is one folder plus one line in src/notifiers/index.ts: every list the rest of Tocsin uses is
 * derived from the definitions, and this checks that they agree (config keys, factories, metric series, global
 * keys, default template names), that notifiers do not import the config loader, and that tocsinctl's static
 * startup path does not load the definitions.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { Registry } from 'prom-client';
import { globalSchema } from '../config/global';
import { loadConfigFile } from '../config/loader';
import { receiverSchema } from '../config/receiver';
import { notifyMetrics } from '../pipeline/metrics';
import { TemplateSet } from '../templates/template-set';
import { silentLogger } from '../types/logger';
import { definitions, integrationTypes } from './index';
import { createNotifier, notifierFactories } from './registry';

const ROOT = resolve(__dirname, '../..');
const TEMPLATE_NAME = /\{\{-?\s*template\s+"([^"]+)"/g;

describe('integration definitions', () => {
  test('one definition per type; its folder, schema name and YAML key follow the type', () => {
    const types = definitions.map((d) => d.type);
    expect(new Set(types).size).toBe(types.length);
    expect(integrationTypes).toEqual(types);
    for (const d of definitions) {
      expect(d.schema.name).toBe(`${d.type}_config`);
      expect(readdirSync(join(__dirname, d.type))).toContain('index.ts');
    }
    // every integration folder is listed (shared/ and testing/ are not integrations)
    const folders = readdirSync(__dirname, { withFileTypes: true })
      .filter((e) => e.isDirectory() && e.name !== 'shared' && e.name !== 'testing')
      .map((e) => e.name);
    expect([...folders].sort()).toEqual([...types].sort());
  });

  test('the receiver schema has exactly one <type>_configs list per definition, in build order', () => {
    const keys = Object.keys(receiverSchema.fields).filter((k) => k.endsWith('_configs'));
    expect(keys).toEqual(definitions.map((d) => `${d.type}_configs`));
  });

  test('the registry has each definition’s factory, and nothing else', () => {
    expect(Object.keys(notifierFactories).sort()).toEqual([...integrationTypes].sort());
    for (const d of definitions) expect(notifierFactories[d.type]).toBe(d.create);
  });

  test('every integration’s metric series start at zero', async () => {
    const reg = new Registry();
    notifyMetrics(reg, { integrations: integrationTypes });
    const text = await reg.metrics();
    for (const t of integrationTypes) {
      expect(text).toContain(`alertmanager_notifications_total{integration="${t}"} 0`);
      expect(text).toContain(`alertmanager_notifications_failed_total{integration="${t}",reason="serverError"} 0`);
    }
  });

  test('the global block has each definition’s global keys, once', () => {
    const seen = new Set<string>();
    for (const d of definitions) {
      for (const k of Object.keys(d.globals?.fields ?? {})) {
        expect([d.type, k, seen.has(k)]).toEqual([d.type, k, false]);
        seen.add(k);
        expect(globalSchema.fields[k]).toBeDefined();
      }
    }
    expect(Object.keys(globalSchema.fields).filter((k) => !seen.has(k))).toEqual(['resolve_timeout', 'http_config']);
  });

  test('the default templates a definition names exist in the default templates', () => {
    const defined = new Set(TemplateSet.fromSources([]).names());
    const missing: string[] = [];
    for (const d of definitions) {
      const texts = Object.values(d.schema.fields).flatMap((f) => {
        const v = f.default?.();
        return typeof v === 'string' ? [v] : v && typeof v === 'object' ? Object.values(v).filter((x): x is string => typeof x === 'string') : [];
      });
      for (const t of texts) for (const m of t.matchAll(TEMPLATE_NAME)) if (!defined.has(m[1]!)) missing.push(`${d.type}: ${m[1]}`);
    }
    expect(missing).toEqual([]);
  });

  test('every definition loads from a config and builds its notifier', async () => {
    const loaded = await loadConfigFile(join(ROOT, 'test/fixtures/config/conf.kitchen-sink.yml'));
    const all = loaded.config.receivers.flatMap((r) => r.integrations);
    expect(new Set(all.map((i) => i.type))).toEqual(new Set(integrationTypes));
    for (const ic of all) {
      const n = createNotifier(ic, { externalURL: 'http://am', userAgent: 'Alertmanager/test', logger: silentLogger() });
      expect(typeof n.notify).toBe('function');
      await n.close?.();
    }
  });
});

// ------------------------------------------------------------------ import layering

function tsFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    if (e.isDirectory()) return tsFiles(p);
    return e.name.endsWith('.ts') ? [p] : [];
  });
}
const ALL = new Set(tsFiles(join(ROOT, 'src')));
const STATIC_IMPORT = /(?:^|\n)\s*(?:import|export)\s(?!type\b)[^'"]*?from\s+'([^']+)'/g;

function staticImports(file: string): string[] {
  const out: string[] = [];
  for (const m of readFileSync(file, 'utf8').matchAll(STATIC_IMPORT)) {
    const spec = m[1]!;
    if (!spec.startsWith('.')) continue;
    const base = resolve(dirname(file), spec);
    const hit = [`${base}.ts`, join(base, 'index.ts')].find((c) => ALL.has(c));
    if (hit) out.push(hit);
  }
  return out;
}

describe('layering', () => {
  test('notifiers (outside tests and test kits) import nothing from src/config', () => {
    const kit = (f: string) => f.endsWith('.test.ts') || f.includes('/testing/') || f.endsWith('/contract.ts');
    const bad = tsFiles(__dirname)
      .filter((f) => !kit(f))
      .flatMap((f) => staticImports(f).filter((t) => t.startsWith(join(ROOT, 'src/config/'))).map((t) => `${relative(ROOT, f)} -> ${relative(ROOT, t)}`));
    expect(bad).toEqual([]);
  });

  test('tocsinctl’s static import graph (--version, alert query, ...) does not reach the notifier definitions', () => {
    const seen = new Set<string>();
    const todo = [join(ROOT, 'src/cli/main.ts')];
    while (todo.length > 0) {
      const f = todo.pop()!;
      if (seen.has(f)) continue;
      seen.add(f);
      todo.push(...staticImports(f));
    }
    expect(seen.size).toBeGreaterThan(5);
    expect([...seen].filter((f) => f.startsWith(join(ROOT, 'src/notifiers/')) || f.startsWith(join(ROOT, 'src/config/'))).map((f) => relative(ROOT, f))).toEqual([]);
  });
});
