#!/usr/bin/env node
// npx selu-bench: see bench/cli.js, or run with --help.
'use strict';
require('../bench/cli').main(process.argv.slice(2)).then(
  (code) => { process.exitCode = code; },
  (error) => {
    process.stderr.write(`selu-bench: ${error.stack || error.message}\n`);
    process.exitCode = 1;
  },
);
