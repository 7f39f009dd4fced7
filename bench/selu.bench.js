// SELU forward/backward for `npm run bench`: selu-bench with the selu family's preset (float32 and
// float64, per-call overhead at N = 1, in cache at 1e5, memory-bound at 1e7, one thread and the default,
// the "new output" variant), against the roofline, the JS loop and the peers.
// Usage: node bench/selu.bench.js [--quick] [--json FILE] [any other selu-bench option, which wins]
'use strict';
const PRESET = ['--ops', 'selu', '--dtype', 'float32,float64', '--sizes', '1,1e5,1e7', '--threads', '1,default', '--variants', 'all'];

if (require.main === module) {
  require('./cli').main([...PRESET, ...process.argv.slice(2)]).then((code) => { process.exitCode = code; });
}
module.exports = { PRESET };
