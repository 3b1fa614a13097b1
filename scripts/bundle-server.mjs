// Bundles the compiled server (dist/main.js and what it requires) into one file, dist/bundle/main.js, which
// bin/tocsin runs while it is at least as new as dist/main.js (a later `tsc` alone makes it stale: bin/tocsin
// then runs dist/main.js). One file instead of ~480 modules: about 30 % less CPU time to start (module
// resolution and reading). Packages needed only later stay outside (loaded from node_modules on first use,
// their source not held in memory before; V8 keeps a script's whole source for as long as it runs): the native
// SQLite binding, the HTTP client, nodemailer, handlebars, bcryptjs (its path goes to a worker), the RE2 regexp
// engine (regexp matchers), the silence schedules' rrule/cron/Temporal, iconv-lite (only its encoding tables,
// ~0.5 MB of source, are not needed for UTF-8 bodies). Express, needed by some requests only, is a second bundle,
// dist/bundle/express.js, that the main one requires on first use (see lazyExpress). The bundle is written
// already wrapped as a CommonJS module function (BUNDLE_WRAPPER), so bin/tocsin compiles the file's text as it
// is: wrapping it at each start held a second copy of the whole source (2.7 MB) until the first full garbage
// collection.
// Run by `npm run build` after tsc. Usage: node scripts/bundle-server.mjs
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { build } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
// the first line of the bundle; bin/tocsin checks for it (a bundle without it is wrapped as usual)
const BUNDLE_WRAPPER = '(function (exports, require, module, __filename, __dirname) {';

/**
 * prom-client requires @opentelemetry/api at load for one use: exemplars (trace ids) on the CPU counter, which
 * Tocsin does not enable. In the bundle it gets a stand-in that requires the real package (from node_modules)
 * on first use of its `trace` or `context`: ~0.4 MB of heap not built at every start.
 */
const lazyOtel = {
  name: 'lazy-opentelemetry-api',
  setup(b) {
    b.onResolve({ filter: /^@opentelemetry\/api$/ }, (args) =>
      args.namespace === 'lazy-otel' ? { path: args.path, external: true } : { path: args.path, namespace: 'lazy-otel' },
    );
    b.onLoad({ filter: /.*/, namespace: 'lazy-otel' }, () => ({
      contents: `let api;
const real = () => (api ??= require('@opentelemetry/api'));
module.exports = { get trace() { return real().trace; }, get context() { return real().context; } };`,
      loader: 'js',
    }));
  },
};
/**
 * prom-client's index requires its Pushgateway client at load, and with it node:https (TLS) and node:zlib (with
 * src/api's lazy loads of them, ~0.4 MiB of an idle server's memory); Tocsin never pushes. In the bundle the
 * module is a stand-in that initialises the real one (bundled as before) on first use.
 */
const lazyPushgateway = {
  name: 'lazy-prom-client-pushgateway',
  setup(b) {
    b.onResolve({ filter: /^\.\/lib\/pushgateway$/ }, (args) =>
      /[\\/]prom-client[\\/]index\.js$/.test(args.importer) ? { path: join(dirname(args.importer), 'lib', 'pushgateway.js'), namespace: 'lazy-pushgateway' } : undefined,
    );
    b.onLoad({ filter: /.*/, namespace: 'lazy-pushgateway' }, (args) => ({
      // the real module, bundled as before, initialised on the first new Pushgateway()
      contents: `let real;
module.exports = function Pushgateway(...args) { real ??= require(${JSON.stringify(args.path)}); return new real(...args); };`,
      loader: 'js',
      resolveDir: root,
    }));
  },
};
/**
 * Express is needed only when a request is not one of the lean routes (src/api/server.ts builds the Express app
 * on the first such request), so it is a bundle of its own, dist/bundle/express.js (Express and its dependencies,
 * ~0.4 MB): the modules that import it get a stand-in that requires that file on the first call of it or read of
 * one of its exports. An idle server then holds none of Express's code and objects (its dependencies include
 * mime-db: about 7 MiB), nor its source (V8 keeps a script's whole source while it runs: ~0.4 MiB).
 */
const requireHere = createRequire(join(root, 'package.json'));
const expressExports = Object.keys(requireHere('express'));
const EXPRESS_BUNDLE = './express.js';
const lazyExpress = {
  name: 'lazy-express',
  setup(b) {
    b.onResolve({ filter: /^express$/ }, (args) =>
      args.namespace === 'lazy-express' ? undefined : { path: args.path, namespace: 'lazy-express' },
    );
    b.onResolve({ filter: /^\.\/express\.js$/ }, (args) => (args.namespace === 'lazy-express' ? { path: args.path, external: true } : undefined));
    b.onLoad({ filter: /.*/, namespace: 'lazy-express' }, () => ({
      contents: `let real;
const load = () => (real ??= require(${JSON.stringify(EXPRESS_BUNDLE)}));
function express(...args) { return load()(...args); }
for (const k of ${JSON.stringify(expressExports)}) Object.defineProperty(express, k, { enumerable: true, get: () => load()[k] });
module.exports = express;`,
      loader: 'js',
      resolveDir: root,
    }));
  },
};
/** Packages loaded from node_modules on first use (see the top of this file). */
const LAZY_PACKAGES = [
  'better-sqlite3',
  'undici',
  'nodemailer',
  'handlebars',
  'bcryptjs',
  'pg',
  'xxhash-wasm',
  're2js',
  'rrule-temporal',
  'croner',
  '@js-temporal/polyfill',
  'iconv-lite',
];
/** What both bundles are built with. */
const BUNDLE_OPTIONS = {
  bundle: true,
  external: LAZY_PACKAGES,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  // smaller source held in memory. Identifiers are not minified, so functions and classes keep their names (stack
  // traces, an error's class in logs) without esbuild's keepNames, which wraps every function and class in a
  // __name() call (~2,600, closures created in hot paths too): 0.6 MiB of an idle server's memory. Bundling
  // renames only a top-level name two modules share (today locals of path-to-regexp, qs and pino); a renamed
  // class would show in logs, so the check below fails the build on one.
  minifyWhitespace: true,
  minifySyntax: true,
  logLevel: 'warning',
};
await build({
  ...BUNDLE_OPTIONS,
  entryPoints: [join(root, 'dist', 'main.js')],
  // dist/bundle/ sits one level below dist/ as dist/api/ does: paths built from __dirname (UI assets,
  // package.json) resolve the same from the bundle
  outfile: join(root, 'dist', 'bundle', 'main.js'),
  plugins: [lazyOtel, lazyPushgateway, lazyExpress],
  banner: { js: BUNDLE_WRAPPER },
  footer: { js: '\n})' },
});
// Express and its dependencies, required by the main bundle's stand-in on the first request that needs Express
await build({ ...BUNDLE_OPTIONS, entryPoints: [requireHere.resolve('express')], outfile: join(root, 'dist', 'bundle', 'express.js') });
for (const file of ['main.js', 'express.js']) {
  const bundled = readFileSync(join(root, 'dist', 'bundle', file), 'utf8');
  const classNames = new Set(Array.from(bundled.matchAll(/\bclass ([A-Za-z_$][\w$]*)/g), (m) => m[1]));
  const renamed = [...classNames].filter((n) => /\d$/.test(n) && classNames.has(n.replace(/\d+$/, '')));
  if (renamed.length > 0) {
    throw new Error(`bundling renamed the classes ${renamed.join(', ')} in ${file} (two modules declare the same name): rename one`);
  }
}

// V8's code cache for the bundle, made in a child process by compiling the bundle, initialising it (its modules'
// top-level code) and then starting the server as bin/tocsin does (empty storage in a temporary directory, a free
// port) until /-/ready answers: the cache then also holds the code a start compiles (config, templates and
// migrations code, the first requests' routes), so bin/tocsin hands V8 that code already compiled: 10-20 ms (5-12 %)
// less CPU time to start than a cache of the modules' initialisation alone, for the same idle memory. If the server cannot start here, the cache holds the initialisation only. bin/tocsin
// uses it only when it is newer than the bundle; V8 itself refuses one made by another Node version or under other
// flags, so the start flags are set again before it is written (src/main.ts restores V8's defaults once started).
const bundle = join(root, 'dist', 'bundle', 'main.js');
const makeCache = `
const START_FLAGS = '--no-turbofan --semi-space-growth-factor=1'; // as bin/tocsin starts
const v8 = require('node:v8');
v8.setFlagsFromString(START_FLAGS);
const fs = require('node:fs'), vm = require('node:vm'), path = require('node:path'), Module = require('node:module');
const os = require('node:os'), http = require('node:http'), net = require('node:net');
const file = ${JSON.stringify(bundle)};
const script = new vm.Script(fs.readFileSync(file, 'utf8'), { filename: file });
const m = new Module(file, module);
m.filename = file;
m.paths = Module._nodeModulePaths(path.dirname(file));
script.runInThisContext().call(m.exports, m.exports, Module.createRequire(file), m, file, path.dirname(file));
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tocsin-code-cache-'));
const write = () => {
  v8.setFlagsFromString(START_FLAGS);
  fs.writeFileSync(file + '.cache', script.createCachedData());
  fs.rmSync(dir, { recursive: true, force: true });
  process.exit(0);
};
setTimeout(write, 20000).unref(); // a start that never gets ready: the modules' initialisation is in the cache
fs.writeFileSync(path.join(dir, 'alertmanager.yml'), 'route:\\n  receiver: r\\nreceivers:\\n  - name: r\\n');
const probe = net.createServer().listen(0, '127.0.0.1', () => {
  const port = probe.address().port;
  probe.close(() => {
    const args = ['--config.file=' + path.join(dir, 'alertmanager.yml'), '--storage.path=' + dir, '--web.listen-address=127.0.0.1:' + port, '--cluster.listen-address=', '--log.level=error'];
    m.exports.main(args).catch(write);
    const poll = () => http.get('http://127.0.0.1:' + port + '/-/ready', (r) => {
      r.resume();
      if (r.statusCode === 200) write();
      else setTimeout(poll, 10);
    }).on('error', () => setTimeout(poll, 10));
    poll();
  });
});
`;
try {
  execFileSync(process.execPath, ['-e', makeCache], { stdio: 'inherit' });
} catch (err) {
  // the start failed outright (main() exits the process, for example on a port taken between the probe and the
  // listen): a cache of the modules' initialisation alone, as a start that never gets ready, rather than no build
  console.warn(`bundle: the code cache's server start failed (${err.message}); caching the modules' initialisation only`);
  execFileSync(process.execPath, ['-e', makeCache.replace('const probe =', 'write(); const probe =')], { stdio: 'inherit' });
}
