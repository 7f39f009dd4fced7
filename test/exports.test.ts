/**
 * The package's exports object (dist/index.js) holds plain data properties and stays in V8's fast
 * mode, so that `lib.selu(…)` costs an inline-cached property load, not a dictionary lookup and a
 * getter call (lib/index.ts); the ESM entry exports the same functions.
 */
import { execFileSync } from 'node:child_process';
import * as path from 'node:path';

const root = path.join(__dirname, '..');
const run = (args: string[], script: string) => execFileSync(process.execPath, [...args, '-e', script], { encoding: 'utf8' }).trim();

test('every value export is a data property, not a getter', () => {
  const out = run([], `
    const lib = require(${JSON.stringify(root)});
    const names = Object.keys(lib);
    const getters = names.filter((k) => Object.getOwnPropertyDescriptor(lib, k).get !== undefined);
    console.log(JSON.stringify({ count: names.length, getters, selu: typeof lib.selu, DeviceArray: typeof lib.DeviceArray }));`);
  const r = JSON.parse(out) as { count: number; getters: string[]; selu: string; DeviceArray: string };
  expect(r.count).toBeGreaterThanOrEqual(29);
  expect(r.getters).toEqual([]);
  expect(r.selu).toBe('function');
  expect(r.DeviceArray).toBe('function');
});

test('every compiled module\'s exports object is fast, with no getters (internal modules are read on every call too)', () => {
  const out = run(['--allow-natives-syntax'], `
    const fs = require('node:fs'), path = require('node:path');
    const walk = (d) => fs.readdirSync(d, { withFileTypes: true })
      .flatMap((e) => e.isDirectory() ? walk(path.join(d, e.name)) : e.name.endsWith('.js') ? [path.join(d, e.name)] : []);
    const files = walk(${JSON.stringify(path.join(root, 'dist'))});
    const slow = files.filter((f) => {
      const m = require(f);
      return !%HasFastProperties(m) || Object.keys(m).some((k) => Object.getOwnPropertyDescriptor(m, k).get !== undefined);
    }).map((f) => path.relative(${JSON.stringify(root)}, f));
    console.log(JSON.stringify({ files: files.length, slow }));`);
  const r = JSON.parse(out) as { files: number; slow: string[] };
  expect(r.files).toBeGreaterThan(30);
  expect(r.slow).toEqual([]);
});

test('the ESM entry exports the same names and the same functions', () => {
  const out = run(['--input-type=module'], `
    import * as esm from ${JSON.stringify(path.join(root, 'dist', 'index.mjs'))};
    import { createRequire } from 'node:module';
    const cjs = createRequire(import.meta.url)(${JSON.stringify(root)});
    const names = Object.keys(esm).filter((k) => k !== 'default').sort();
    console.log(JSON.stringify({ same: JSON.stringify(names) === JSON.stringify(Object.keys(cjs).sort()), identical: names.every((k) => esm[k] === cjs[k]) }));`);
  expect(JSON.parse(out)).toEqual({ same: true, identical: true });
});
