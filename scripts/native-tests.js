// Builds the kernels and the native test programs with plain CMake (no Node headers) and runs them
// with ctest: the exhaustive and 1e8-sample accuracy tests live there, not in jest.
'use strict';
const { execFileSync } = require('node:child_process');
const os = require('node:os');
const path = require('node:path');

const root = path.join(__dirname, '..');
const build = path.join(root, 'build-native');
const jobs = String(Math.max(1, os.availableParallelism ? os.availableParallelism() : os.cpus().length));
const run = (cmd, args) => execFileSync(cmd, args, { cwd: root, stdio: 'inherit' });

run('cmake', ['-S', root, '-B', build, '-DCMAKE_BUILD_TYPE=Release']);
run('cmake', ['--build', build, '-j', jobs]);
run('ctest', ['--test-dir', build, '--output-on-failure', '-j', jobs, ...process.argv.slice(2)]);
