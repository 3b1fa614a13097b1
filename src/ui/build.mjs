// Builds the web UI bundle into src/ui/dist (served by src/api/ui.ts).
// Usage: node src/ui/build.mjs [--dev] [--no-check]
// Type-checks src/ui/web (its own tsconfig: DOM, bundler resolution), then esbuild bundles src/ui/web/main.ts.
// No network.
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, gzipSync } from 'node:zlib';
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { build } from 'esbuild';

const here = dirname(fileURLToPath(import.meta.url));
const web = join(here, 'web');
const out = join(here, 'dist');
const dev = process.argv.includes('--dev');

if (!process.argv.includes('--no-check')) {
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  try {
    execFileSync(process.execPath, [tsc, '-p', join(web, 'tsconfig.json')], { stdio: 'inherit' });
  } catch {
    console.error('ui: type errors in src/ui/web (see above)');
    process.exit(1);
  }
}

const result = await build({
  entryPoints: [join(web, 'main.ts')],
  bundle: true,
  minify: !dev,
  format: 'iife',
  target: ['es2020', 'chrome100', 'firefox100', 'safari15'],
  write: false,
  legalComments: 'none',
  logLevel: 'warning',
});
const js = result.outputFiles[0].contents;
// uPlot's own style sheet (the History chart's legend and cursor) goes first, so style.css can adjust it
const require = createRequire(import.meta.url);
const css = Buffer.concat([readFileSync(require.resolve('uplot/dist/uPlot.min.css')), Buffer.from('\n'), readFileSync(join(web, 'style.css'))]);
const hash = (b) => createHash('sha256').update(b).digest('hex').slice(0, 10);
const jsName = `app-${hash(js)}.js`;
const cssName = `style-${hash(css)}.css`;

rmSync(out, { recursive: true, force: true });
mkdirSync(join(out, 'assets'), { recursive: true });
for (const [name, data] of [[jsName, js], [cssName, css]]) {
  // pre-compressed variants, served by src/api/ui.ts according to Accept-Encoding (as upstream ui/web.go does)
  writeFileSync(join(out, 'assets', name), data);
  writeFileSync(join(out, 'assets', `${name}.gz`), gzipSync(data, { level: 9 }));
  writeFileSync(join(out, 'assets', `${name}.br`), brotliCompressSync(data));
}
writeFileSync(join(out, 'favicon.ico'), readFileSync(join(web, 'favicon.ico')));
const html = readFileSync(join(web, 'index.html'), 'utf8')
  .replace('%STYLE%', `assets/${cssName}`)
  .replace('%SCRIPT%', `assets/${jsName}`);
writeFileSync(join(out, 'index.html'), html);
console.log(`ui: built ${jsName} (${js.length} bytes), ${cssName}`);
