/**
 * bin/tocsin runs dist/bundle/main.js (made by `npm run build`) only while it is at least as new as
 * dist/main.js: after a tsc-only rebuild (the tests' ensureBuilt) it runs dist/main.js, never a stale bundle.
 * The bundle's code cache is used only when newer than the bundle. Checked on a copy of bin/tocsin beside
 * stand-in dist files that say which one ran.
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ROOT } from '../helpers/build';

// the name is in the top-level code (compiled eagerly, so its bytecode is what a code cache holds)
const stand = (name: string) => `const name = ${JSON.stringify(name)};\nexports.main = async (argv) => { process.stdout.write(name + ' ' + argv.join(' ')); };\n`;

describe('bin/tocsin entry choice', () => {
  let dir: string;
  const at = (file: string, seconds: number) => utimesSync(path.join(dir, file), seconds, seconds);
  const run = () => execFileSync(process.execPath, [path.join(dir, 'bin', 'tocsin'), '--x'], { encoding: 'utf8' });

  beforeAll(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'tocsin-bin-'));
    mkdirSync(path.join(dir, 'bin'));
    mkdirSync(path.join(dir, 'dist', 'bundle'), { recursive: true });
    copyFileSync(path.join(ROOT, 'bin', 'tocsin'), path.join(dir, 'bin', 'tocsin'));
    writeFileSync(path.join(dir, 'dist', 'main.js'), stand('dist'));
    writeFileSync(path.join(dir, 'dist', 'bundle', 'main.js'), stand('bundle'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('runs the bundle when it is as new as dist/main.js, else dist/main.js', () => {
    at('dist/main.js', 1000);
    at('dist/bundle/main.js', 2000);
    expect(run()).toBe('bundle --x');
    at('dist/main.js', 3000); // tsc ran after the bundle was made
    expect(run()).toBe('dist --x');
  });

  it('ignores a code cache older than the bundle: V8 would run the code it was made from', () => {
    // a cache made from another bundle of the same length: V8 checks only the length, and runs the cached code
    // (made by a plain node process under the V8 flag bin/tocsin starts with, as scripts/bundle-server.mjs makes
    // it: V8 refuses a cache made with other flags, such as jest's)
    const bundle = path.join(dir, 'dist', 'bundle', 'main.js');
    const make = `require('node:v8').setFlagsFromString('--no-turbofan --semi-space-growth-factor=1');
      const vm = require('node:vm'), Module = require('node:module'), fs = require('node:fs');
      const script = new vm.Script(Module.wrap(${JSON.stringify(stand('BUNDLE'))}), { filename: ${JSON.stringify(bundle)} });
      script.runInThisContext();
      fs.writeFileSync(${JSON.stringify(`${bundle}.cache`)}, script.createCachedData());`;
    execFileSync(process.execPath, ['-e', make]);
    at('dist/main.js', 1000);
    at('dist/bundle/main.js.cache', 1500);
    at('dist/bundle/main.js', 2000);
    expect(run()).toBe('bundle --x');
    at('dist/bundle/main.js.cache', 2500); // as if made after the bundle: V8 takes it and runs the other code
    expect(run()).toBe('BUNDLE --x');
  });

  it('runs a bundle written already wrapped as a module function (as npm run build writes it) as it is', () => {
    const bundle = path.join(dir, 'dist', 'bundle', 'main.js');
    writeFileSync(bundle, `(function (exports, require, module, __filename, __dirname) {\n${stand('wrapped')}\n})`);
    rmSync(`${bundle}.cache`, { force: true });
    at('dist/main.js', 1000);
    at('dist/bundle/main.js', 2000);
    expect(run()).toBe('wrapped --x');
    writeFileSync(bundle, stand('bundle'));
  });

  it('runs the bundle when its code cache is not one V8 accepts', () => {
    writeFileSync(path.join(dir, 'dist', 'bundle', 'main.js.cache'), 'not a V8 code cache');
    at('dist/main.js', 1000);
    at('dist/bundle/main.js', 2000);
    at('dist/bundle/main.js.cache', 2500);
    expect(run()).toBe('bundle --x');
  });
});
