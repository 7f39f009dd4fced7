// Writes dist/index.mjs and dist/index.d.mts: the ES module entry re-exports the CommonJS build, so
// `import` and `require` share one instance of the addon and its state.
'use strict';
const fs = require('node:fs');
const path = require('node:path');

const dist = path.join(__dirname, '..', 'dist');
const names = Object.keys(require(path.join(dist, 'index.js'))).filter((n) => n !== '__esModule').sort();
const mjs = [
  "import cjs from './index.js';",
  '',
  `export const { ${names.join(', ')} } = cjs;`,
  'export default cjs;',
  '',
].join('\n');
fs.writeFileSync(path.join(dist, 'index.mjs'), mjs);
fs.writeFileSync(path.join(dist, 'index.d.mts'), "export * from './index.js';\nimport * as all from './index.js';\nexport default all;\n");
