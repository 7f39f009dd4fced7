// Writes dist/index.mjs and dist/index.d.mts (and the same for the dist/tfjs entry): each ES module
// entry re-exports its CommonJS build, so `import` and `require` share one instance of the addon and
// its state.
'use strict';
const fs = require('node:fs');
const path = require('node:path');

const dist = path.join(__dirname, '..', 'dist');
for (const dir of [dist, path.join(dist, 'tfjs')]) {
  const names = Object.keys(require(path.join(dir, 'index.js'))).filter((n) => n !== '__esModule').sort();
  const mjs = [
    "import cjs from './index.js';",
    '',
    `export const { ${names.join(', ')} } = cjs;`,
    'export default cjs;',
    '',
  ].join('\n');
  fs.writeFileSync(path.join(dir, 'index.mjs'), mjs);
  fs.writeFileSync(path.join(dir, 'index.d.mts'), "export * from './index.js';\nimport * as all from './index.js';\nexport default all;\n");
}
