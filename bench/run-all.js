// `npm run bench`: every bench/*.bench.js in turn (each a selu-bench preset for one op family), each in
// its own process (a clean heap and thread pool). Arguments are passed on: npm run bench -- --quick
'use strict';
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const files = fs.readdirSync(__dirname).filter((f) => f.endsWith('.bench.js')).sort();
let failed = 0;
for (const f of files) {
  try {
    execFileSync(process.execPath, [path.join(__dirname, f), ...process.argv.slice(2)], { stdio: 'inherit' });
  } catch {
    failed += 1;
  }
  console.log();
}
process.exitCode = failed ? 1 : 0;
