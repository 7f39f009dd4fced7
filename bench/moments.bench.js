// Moments and SELU + moments for `npm run bench`: selu-bench with the moments family's preset, against
// the read-only roofline (moments) or the copy (seluMoments) and the two-pass JS loops.
// Usage: node bench/moments.bench.js [--quick] [--json FILE] [any other selu-bench option, which wins]
'use strict';
const PRESET = ['--ops', 'moments', '--dtype', 'float32,float64', '--sizes', '1,1e5,1e7', '--threads', '1,default'];

if (require.main === module) {
  require('./cli').main([...PRESET, ...process.argv.slice(2)]).then((code) => { process.exitCode = code; });
}
module.exports = { PRESET };
