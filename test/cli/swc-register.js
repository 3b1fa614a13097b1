// Lets `node -r ./test/cli/swc-register.js src/cli/main.ts` run the TypeScript sources directly (e2e tests
// spawn tocsinctl this way, so they need no `npm run build`). Compiles each .ts file with @swc/core.
const fs = require('node:fs');
const Module = require('node:module');
const { transformSync } = require('@swc/core');

require.extensions['.ts'] = (module, filename) => {
  const src = fs.readFileSync(filename, 'utf8');
  const { code } = transformSync(src, {
    filename,
    jsc: { target: 'es2022', parser: { syntax: 'typescript' } },
    module: { type: 'commonjs' },
    sourceMaps: 'inline',
  });
  module._compile(code, filename);
};
void Module;
