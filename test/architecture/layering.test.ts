/**
 * @module test/architecture/layering
 * Dependencies in src/ point one way (docs/CONTRIBUTING.md "Layers"): every non-test file imports only its own
 * folder's layer and the layers below it, never a test file or a file outside src/, and no import cycle exists
 * between folders or between files. Type-only imports count. Test files (`*.test.ts`) and test kits (files in a
 * `testing/` folder, notifiers/contract.ts, config/test-helpers.ts) may import any layer (a test assembles real parts from wherever they live), but no other
 * file may import them.
 */
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type ImportEdge, type LayerRules, layeringViolations, readImports } from './import-graph';

/** The layer order of src/, bottom first (a folder, or a file at src/'s root). */
const LAYERS: readonly (readonly string[])[] = [
  ['types', 'wire'], // wire = the API v2 JSON objects (shared by api, cli and the ui bundle). types = domain types: Alert, LabelSet, Prometheus Duration, Clock, Logger, errors
  ['go', 'yaml'], // yaml = limits on parsed YAML documents (alias expansion, depth). go = Go's encodings: encoding/json, time layouts and zones, time.Duration, url.QueryEscape, strfmt.DateTime
  ['matchers', 'timeinterval', 'templates', 'web'], // pure parsers and engines; web = the --web.config.file kit
  ['schema'], // the config schema kit (h4-integrations moves it here from src/config; empty until then)
  ['history'], // the history's event model, recorder and retention (its SQLite table is src/store/history.ts)
  ['provider', 'nflog'], // the alert store interface, the notification log
  ['silence', 'inhibit', 'ack'], // the two Muters; acknowledgements and escalation state
  ['pipeline'], // stages and the small interfaces the upper layers satisfy
  ['notifiers'], // one folder per integration
  ['config'], // alertmanager.yml -> Config, composed from the integrations' schemas
  ['routing'], // route tree, dispatcher, aggregation groups
  ['store'], // SQLite adapters
  ['api', 'cli', 'ui'], // HTTP API, tocsinctl, the web UI (its own bundle)
  ['app'], // the composition root
  ['main.ts'], // the binary
];

const UNITS = LAYERS.flat();

const RULES: LayerRules = {
  layers: LAYERS,
  forbidden: {
    // the dispatcher reaches integrations only through the pipeline's Stage; src/app wires them
    routing: ['notifiers'],
    // the browser bundle talks to the server over HTTP only, with the shared wire types
    ui: UNITS.filter((u) => u !== 'ui' && u !== 'wire'),
  },
  exceptions: [],
  isExempt: isTestCode,
};

/** Test kits outside a `testing/` folder (not compiled into dist/ either: tsconfig.build.json). */
const TEST_KITS = new Set(['notifiers/contract.ts', 'config/test-helpers.ts']);

/** Tests and test kits (a `testing/` folder, e.g. src/notifiers/testing, or TEST_KITS): they may import any layer. */
function isTestCode(file: string): boolean {
  return file.endsWith('.test.ts') || file.split('/').includes('testing') || TEST_KITS.has(file);
}


describe('src/ layering', () => {
  it('has no upward import, no forbidden import and no import cycle', () => {
    const { files, edges } = readImports(path.resolve(__dirname, '../../src'));
    expect(files.length).toBeGreaterThan(100);
    expect(layeringViolations(files, edges, RULES)).toEqual([]);
  });
});

describe('layeringViolations() on a synthetic graph', () => {
  const rules: LayerRules = {
    layers: [['types'], ['templates', 'matchers'], ['app'], ['main.ts']],
    forbidden: { templates: ['matchers'] },
    exceptions: [['templates/x.ts', 'app/old.ts']],
    isExempt: (f) => f.endsWith('.test.ts'),
  };
  const files = ['types/a.ts', 'templates/t.ts', 'templates/x.ts', 'matchers/m.ts', 'app/app.ts', 'app/old.ts', 'main.ts'];
  const clean: ImportEdge[] = [
    { from: 'templates/t.ts', to: 'types/a.ts' },
    { from: 'app/app.ts', to: 'templates/t.ts' },
    { from: 'main.ts', to: 'app/app.ts' },
    { from: 'templates/x.ts', to: 'app/old.ts' },
    { from: 'types/a.test.ts', to: 'app/app.ts' },
  ];

  it('passes a downward graph; the exception and the test file are allowed', () => {
    expect(layeringViolations(files, clean, rules)).toEqual([]);
  });

  it('fails on an upward import', () => {
    expect(layeringViolations(files, [...clean, { from: 'types/a.ts', to: 'app/app.ts' }], rules)).toEqual([
      'types/a.ts -> app/app.ts: upward import (types is below app)',
    ]);
  });

  it('fails on a forbidden import within the order', () => {
    expect(layeringViolations(files, [...clean, { from: 'templates/t.ts', to: 'matchers/m.ts' }], rules)).toEqual([
      'templates/t.ts -> matchers/m.ts: templates must not import matchers',
    ]);
  });

  it('fails on a cycle between folders of one layer and between files of one folder', () => {
    const v = layeringViolations(
      files,
      [
        ...clean,
        { from: 'matchers/m.ts', to: 'templates/t.ts' },
        { from: 'templates/t.ts', to: 'templates/x.ts' },
        { from: 'templates/x.ts', to: 'matchers/m.ts' },
      ],
      { ...rules, forbidden: {} },
    );
    expect(v).toEqual([
      'import cycle between folders: matchers, templates',
      'import cycle between files: matchers/m.ts, templates/t.ts, templates/x.ts',
    ]);
  });

  it('fails on a stale exception, an import of a test file or of a file outside src, and a file in no layer', () => {
    const v = layeringViolations(
      [...files, 'extra/e.ts'],
      [
        ...clean.filter((e) => e.to !== 'app/old.ts'),
        { from: 'app/app.ts', to: 'types/a.test.ts' },
        { from: 'types/a.ts', to: '../test/helpers/x.ts' },
      ],
      rules,
    );
    expect(v).toEqual([
      'extra/e.ts: extra is in no layer (add it to the layer order)',
      'app/app.ts -> types/a.test.ts: imports a test file',
      'types/a.ts -> ../test/helpers/x.ts: imports a file outside src/',
      'templates/x.ts -> app/old.ts: stale exception (the import is gone or allowed now: delete it from the list)',
    ]);
  });
});

describe('readImports() on files', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'layering-'));
    const write = (p: string, text: string) => {
      mkdirSync(path.dirname(path.join(dir, p)), { recursive: true });
      writeFileSync(path.join(dir, p), text);
    };
    write('types/alert.ts', "import type {\n  App,\n} from '../app/app';\nexport type A = App;\n");
    write('types/labels.ts', "export * from './alert';\n// import { x } from '../app/app';\nconst s = \"import '../app/app'\";\n");
    write('templates/index.ts', "export { type A } from '../types/alert';\n");
    write('app/app.ts', "import { A } from '../templates';\nexport type App = A;\nconst lazy = () => import('../types/labels');\n");
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('finds type-only, multi-line, export-from, index and dynamic imports, not comments or strings', () => {
    const { edges } = readImports(dir);
    expect(edges.map((e) => `${e.from} -> ${e.to}`).sort()).toEqual([
      'app/app.ts -> templates/index.ts',
      'app/app.ts -> types/labels.ts',
      'templates/index.ts -> types/alert.ts',
      'types/alert.ts -> app/app.ts',
      'types/labels.ts -> types/alert.ts',
    ]);
  });

  it('so the layering check fails on the upward type-only import', () => {
    const { files, edges } = readImports(dir);
    expect(layeringViolations(files, edges, { layers: [['types'], ['templates'], ['app']] })).toEqual([
      'types/alert.ts -> app/app.ts: upward import (types is below app)',
    ]);
  });
});
