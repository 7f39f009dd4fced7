// `npm run bench`: every bench/*.bench.js in turn, each in its own process (a clean heap and pool).
'use strict';
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const files = fs.readdirSync(__dirname).filter((f) => f.endsWith('.bench.js')).sort();
for (const f of files) {
  execFileSync(process.execPath, [path.join(__dirname, f), ...process.argv.slice(2)], { stdio: 'inherit' });
  console.log();
}
