/**
 * Golden compatibility suite: every case in cases.mjs was rendered by the real Go engine
 * (amtool 0.25 with upstream master's default templates, or Go text/template in WebAssembly) by
 * scripts/gen-template-goldens.mjs. Our engine must produce the same output, or the same error.
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { templateDataFromJson } from '../../../src/templates/data';
import { DEFAULT_TEMPLATE_FILES } from '../../../src/templates/default-templates';
import { execute } from '../../../src/templates/exec';
import { alertmanagerFuncs, builtinFuncs } from '../../../src/templates/functions';
import { parseTemplates } from '../../../src/templates/parse';
import { TemplateSet } from '../../../src/templates/template-set';
import { GoFloat } from '../../../src/templates/values';

interface Golden {
  name: string;
  engine: 'amtool' | 'wasm';
  tmpl: string;
  data: unknown;
  type: 'text' | 'html';
  files?: Record<string, string>;
  output?: string;
  error?: string;
}

const goldens: Golden[] = JSON.parse(readFileSync(path.join(__dirname, 'goldens.json'), 'utf8'));
// Data sets are embedded in cases.mjs; goldens keep only their names, so load them from there.
const dataSets: Record<string, unknown> = JSON.parse(readFileSync(path.join(__dirname, 'datasets.json'), 'utf8'));

/**
 * Known differences between Debian's 0.25 (Go 1.19) and the behaviour we implement (master, modern Go).
 * Each entry names the golden and why it may differ.
 */
const KNOWN_DIFFERENCES: Record<string, string> = {
  'data/commonlabels-values-join': '0.25 returns []string from KV.Values; master returns template.Strings with Join (we follow master)',
};

function fromJson(v: unknown): unknown {
  if (typeof v === 'number') return new GoFloat(v);
  if (Array.isArray(v)) return v.map(fromJson);
  if (v && typeof v === 'object') {
    const o: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) o[k] = fromJson(x);
    return o;
  }
  return v;
}

const set = TemplateSet.fromSources([]);
const funcs = builtinFuncs();
for (const [k, v] of alertmanagerFuncs({ now: () => 0 })) funcs.set(k, v);

function runWasmCase(g: Golden): string {
  const trees = parseTemplates({ name: 'tpl', text: g.tmpl }, 'tpl', { hasFunction: (n) => funcs.has(n) });
  return execute(trees.get('tpl')!, fromJson(g.data), { funcs, templates: { lookup: (n) => trees.get(n) } });
}

function runAmtoolCase(g: Golden): string {
  const data = templateDataFromJson(dataSets[g.data as string]);
  const s = g.files
    ? TemplateSet.fromSources(Object.entries(g.files).sort(([a], [b]) => (a < b ? -1 : 1)).map(([name, text]) => ({ name, text })))
    : set;
  return g.type === 'html' ? s.renderHtml(g.tmpl, data) : s.renderText(g.tmpl, data);
}

describe('template goldens (real Go engine outputs)', () => {
  test('suite size', () => {
    expect(goldens.length).toBeGreaterThanOrEqual(300);
  });
  test('every default template name has amtool goldens for a firing, a mixed and an HTML/unicode data set', () => {
    const names = new Set<string>();
    for (const f of DEFAULT_TEMPLATE_FILES) for (const m of f.text.matchAll(/\{\{ define "([^"]+)" \}\}/g)) names.add(m[1]!);
    const ours = [...names].filter((n) => !n.startsWith('__tocsin_'));
    expect(ours.length).toBeGreaterThanOrEqual(64); // master's default.tmpl + email.tmpl
    const missing: string[] = [];
    for (const n of ours) {
      const sets = new Set(goldens.filter((g) => g.engine === 'amtool' && g.output !== undefined && g.tmpl.includes(`{{ template "${n}" `)).map((g) => g.data));
      for (const d of ['firing', 'mixed', 'html']) if (!sets.has(d)) missing.push(`${n}/${d}`);
    }
    expect(missing).toEqual([]);
  });
  const cases = goldens.filter((g) => !(g.name in KNOWN_DIFFERENCES));
  test.each(cases.map((g) => [g.name, g] as const))('%s', (_name, g) => {
    let out: string | undefined;
    let err: string | undefined;
    try {
      out = g.engine === 'wasm' ? runWasmCase(g) : runAmtoolCase(g);
    } catch (e) {
      err = (e as Error).message;
    }
    if (g.error !== undefined) {
      expect(err).toBe(g.error);
      expect(out).toBeUndefined();
    } else {
      expect(err).toBeUndefined();
      expect(out).toBe(g.output);
    }
  });
});
