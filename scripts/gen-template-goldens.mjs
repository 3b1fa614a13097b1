#!/usr/bin/env node
// Regenerates test/compat/templates/goldens.json by running the real renderers on every case in
// test/compat/templates/cases.mjs:
//  - engine 'amtool': Debian's `amtool template render` (0.25) with --template.glob pointing at upstream
//    master's default.tmpl + email.tmpl (extracted from the upstream mirror into a temp dir), so template
//    names newer than 0.25 render with the real Go engine too;
//  - engine 'wasm': Go's text/template compiled to WebAssembly (@evertdespiegeleer/go-template).
// Usage: node scripts/gen-template-goldens.mjs
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const { default: cases, dataSets } = await import(path.join(root, 'test/compat/templates/cases.mjs'));
const mirror = process.env.AM_MIRROR ?? '/work/.mirror/prometheus+alertmanager/repo';

const dir = mkdtempSync(path.join(tmpdir(), 'tocsin-goldens-'));
try {
  for (const f of ['default.tmpl', 'email.tmpl']) {
    const text = execFileSync('git', ['-C', mirror, 'show', `HEAD:template/${f}`], { encoding: 'utf8' });
    writeFileSync(path.join(dir, f), text);
  }
  const dataFiles = {};
  for (const [k, v] of Object.entries(dataSets)) {
    dataFiles[k] = path.join(dir, `data-${k}.json`);
    writeFileSync(dataFiles[k], JSON.stringify(v));
  }
  const { parse } = await import('@evertdespiegeleer/go-template');
  await parse('', {});
  const render = globalThis.Render;

  const out = [];
  for (const c of cases) {
    let result;
    if (c.engine === 'amtool') {
      const globs = [`--template.glob=${dir}/*.tmpl`];
      if (c.files) {
        const cdir = mkdtempSync(path.join(dir, 'case-'));
        for (const [n, text] of Object.entries(c.files)) writeFileSync(path.join(cdir, n), text);
        globs.push(`--template.glob=${cdir}/*`);
      }
      const r = spawnSync(
        'amtool',
        [
          'template',
          'render',
          ...globs,
          `--template.text=${c.tmpl}`,
          `--template.type=${c.type}`,
          `--template.data=${dataFiles[c.data]}`,
        ],
        { encoding: 'utf8' },
      );
      if (r.status === 0) result = { output: r.stdout };
      else result = { error: r.stderr.replace(/^amtool: error: /, '').replace(/\n+$/, '') };
    } else {
      const s = render(c.tmpl, JSON.stringify(c.data));
      const m = /^Template (?:exec|parse) error: ([\s\S]*)$/.exec(s);
      result = m ? { error: m[1] } : { output: s };
    }
    out.push({ ...c, ...result });
  }
  writeFileSync(path.join(root, 'test/compat/templates/datasets.json'), JSON.stringify(dataSets, null, 1) + '\n');
  const file = path.join(root, 'test/compat/templates/goldens.json');
  writeFileSync(file, JSON.stringify(out, null, 1) + '\n');
  console.log(`wrote ${out.length} goldens to ${path.relative(root, file)}`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
