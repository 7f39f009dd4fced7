// Alpha-dropout (forward, backward, fused with SELU, the mask) for `npm run bench`: selu-bench with the
// dropout family's preset, against the roofline and the JS loops (Math.random() per element).
// Usage: node bench/dropout.bench.js [--quick] [--json FILE] [any other selu-bench option, which wins]
'use strict';
const PRESET = ['--ops', 'dropout', '--dtype', 'float32,float64', '--sizes', '1,1e5,1e7', '--threads', '1,default'];

if (require.main === module) {
  require('./cli').main([...PRESET, ...process.argv.slice(2)]).then((code) => { process.exitCode = code; });
}
module.exports = { PRESET };
