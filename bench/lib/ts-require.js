'use strict';
// Lets the plain-JS harness require the TypeScript bench modules of other areas (bench/templates.ts,
// which imports src/**/*.ts) by transpiling them on the fly with @swc/core (a dev dependency).
const fs = require('node:fs');
const Module = require('node:module');

let registered = false;

function registerTs() {
  if (registered) return;
  const swc = require('@swc/core'); // throws if dev dependencies are not installed
  Module._extensions['.ts'] = (module, filename) => {
    const source = fs.readFileSync(filename, 'utf8');
    const { code } = swc.transformSync(source, {
      filename,
      sourceMaps: 'inline',
      jsc: { target: 'es2022', parser: { syntax: 'typescript' } },
      module: { type: 'commonjs' },
    });
    module._compile(code, filename);
  };
  registered = true;
}

/** require() a .ts file (and the .ts files it imports). */
function requireTs(file) {
  registerTs();
  return require(file);
}

module.exports = { requireTs };
