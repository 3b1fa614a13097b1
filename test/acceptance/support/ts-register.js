// Minimal require hook so a child process can run the TypeScript sources directly (kill test).
const fs = require('node:fs');
const swc = require('@swc/core');

require.extensions['.ts'] = (m, filename) => {
  const out = swc.transformSync(fs.readFileSync(filename, 'utf8'), {
    filename,
    jsc: { target: 'es2022', parser: { syntax: 'typescript' } },
    module: { type: 'commonjs' },
  });
  m._compile(out.code, filename);
};
