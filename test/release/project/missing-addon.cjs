'use strict';
// Run in a project installed with --omit=optional (no platform package): requiring selu-kernels must
// throw ERR_SELU_ADDON_NOT_LOADED naming the platform package and the command that installs it.
const assert = require('node:assert/strict');

const version = require('selu-kernels/package.json').version;
assert.throws(() => require('selu-kernels'), (error) => {
  assert.equal(error.code, 'ERR_SELU_ADDON_NOT_LOADED');
  assert.match(error.message, new RegExp(`expected the package @selu-kernels/linux-x64-gnu@${version.replace(/\./g, '\\.')}`));
  assert.match(error.message, /Cause: @selu-kernels\/linux-x64-gnu is not installed: optional dependencies were skipped/);
  assert.match(error.message, new RegExp(`Fix: \`npm install @selu-kernels/linux-x64-gnu@${version.replace(/\./g, '\\.')}\``));
  assert.doesNotMatch(error.message, /MODULE_NOT_FOUND/);
  return true;
});
console.log(JSON.stringify({ how: 'missing', code: 'ERR_SELU_ADDON_NOT_LOADED' }));
