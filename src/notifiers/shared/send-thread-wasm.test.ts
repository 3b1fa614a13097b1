import { execFileSync } from 'node:child_process';
import path from 'node:path';

/**
 * The send thread keeps WebAssembly (undici's llhttp) on V8's baseline compiler, Liftoff. V8's flags are the
 * process's, so a fresh node (where V8's natives tell how a function is compiled) runs a probe: a WebAssembly
 * function, (func (param i32) (result i32)) counting its argument (10) down to 0 in a loop, called until it runs
 * optimized (TurboFan) code or `calls` times; once before the send thread made a request (the control: V8
 * optimizes it, in the background, after ~7k calls) and once after.
 */
const script = `
  const fs = require('node:fs');
  const Module = require('node:module');
  const file = process.argv[1];
  const { code } = require('@swc/core').transformSync(fs.readFileSync(file, 'utf8'), {
    filename: file, jsc: { target: 'es2022', parser: { syntax: 'typescript' } }, module: { type: 'commonjs' },
  });
  const m = new Module(file, module);
  m.filename = file;
  m.paths = Module._nodeModulePaths(require('node:path').dirname(file));
  m._compile(code, file);
  const { SendThread } = m.exports;
  // the step (i32.const) differs between the two probes: V8 reuses the compiled module of identical bytes
  const bytes = (step) => new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0, 1, 6, 1, 96, 1, 127, 1, 127, 3, 2, 1, 0, 7, 5, 1, 1,
    102, 0, 0, 10, 18, 1, 16, 0, 3, 64, 32, 0, 65, step, 107, 34, 0, 13, 0, 11, 32, 0, 11]);
  const probe = (step, calls) => {
    const f = new WebAssembly.Instance(new WebAssembly.Module(bytes(step))).exports.f;
    for (let i = 0; i < calls && !%IsTurboFanFunction(f); i++) f(10);
    return { liftoff: %IsLiftoffFunction(f), turbofan: %IsTurboFanFunction(f) };
  };
  const before = probe(1, 1e9);
  const server = require('node:http').createServer((req, res) => res.end('ok'));
  server.listen(0, '127.0.0.1', async () => {
    const t = new SendThread();
    const pool = t.register({ connect: {}, follow_redirects: false, http2: false, maxConnections: 1 });
    const origin = 'http://127.0.0.1:' + server.address().port;
    const res = await t.exchange({ pool, direct: false, origin, path: '/', method: 'POST', headers: {}, body: '{}' }, new AbortController().signal);
    await t.closePool(pool);
    server.close();
    process.stdout.write(JSON.stringify({ status: res.status, before, after: probe(2, 200000) }));
  });
`;

describe('SendThread', () => {
  test('WebAssembly stays on the baseline compiler (Liftoff) once the thread runs', () => {
    const file = path.join(__dirname, 'send-thread.ts');
    const out = execFileSync(process.execPath, ['--allow-natives-syntax', '-e', script, '--', file], { encoding: 'utf8', cwd: path.resolve(__dirname, '../../..') });
    expect(JSON.parse(out)).toEqual({ status: 200, before: { liftoff: false, turbofan: true }, after: { liftoff: true, turbofan: false } });
  });
});
