/**
 * Which C and C++ runtime the prebuilt addons need: the newest GLIBC_ and GLIBCXX_/CXXABI_ symbol
 * version each imports (objdump -T). Target: glibc 2.28 (RHEL 8, Debian 10, Ubuntu 20.04) and no
 * libstdc++ newer than the Node binary running the test needs (the addons link libstdc++ statically:
 * binding.gyp, CMakeLists.txt, cpp/glibc-compat/). Reads the binaries `npm ci` built, which are the ones
 * `npm run release` strips and packs.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { compareVersions, PREBUILT_TARGETS } from '../../lib/platform-package';

const root = path.join(__dirname, '..', '..');
const CPU = path.join(root, 'build', 'Release', 'selu_kernels.node');
const CUDA = path.join(root, 'build-cuda', 'Release', 'selu_kernels_cuda.node');

/** The imported symbols of an ELF file by version family: GLIBC -> [{ version, symbol }]. */
function importedVersions(file: string): Record<string, { version: string; symbol: string }[]> {
  const r = spawnSync('objdump', ['-T', file], { encoding: 'utf8', maxBuffer: 64 << 20 });
  if (r.status !== 0) throw new Error(`objdump -T ${file} failed: ${r.stderr}`);
  const found: Record<string, { version: string; symbol: string }[]> = {};
  for (const line of r.stdout.split('\n')) {
    const m = /\*UND\*\s+\S+\s+\(?(GLIBC|GLIBCXX|CXXABI)_([\d.]+)\)?\s+(\S+)/.exec(line);
    if (m) (found[m[1]] ??= []).push({ version: m[2], symbol: m[3] });
  }
  return found;
}

function newest(entries: { version: string; symbol: string }[] | undefined): { version: string; symbols: string[] } | null {
  if (!entries || entries.length === 0) return null;
  const version = entries.map((e) => e.version).reduce((a, b) => (compareVersions(a, b) >= 0 ? a : b));
  return { version, symbols: entries.filter((e) => e.version === version).map((e) => e.symbol) };
}

const node = importedVersions(process.execPath);
const nodeGlibcxx = newest(node.GLIBCXX);
const minGlibc = PREBUILT_TARGETS['linux-x64-gnu'].minGlibc;

describe.each([
  ['the CPU addon', CPU],
  ['the CUDA addon', CUDA],
])('%s', (_name, file) => {
  const built = fs.existsSync(file);
  const maybe = built ? test : test.skip;  // the CUDA addon exists only where nvcc is

  maybe(`needs glibc ${minGlibc} or older (the prebuilt package's minimum)`, () => {
    const glibc = newest(importedVersions(file).GLIBC);
    console.log(`${path.relative(root, file)}: newest GLIBC_ needed ${glibc?.version} (${glibc?.symbols.join(', ')})`);
    expect(glibc).not.toBeNull();
    expect({ version: glibc!.version, newerThanTarget: compareVersions(glibc!.version, minGlibc) > 0 ? glibc!.symbols : [] })
      .toEqual({ version: glibc!.version, newerThanTarget: [] });
  });

  maybe(`needs no libstdc++ newer than this Node's (GLIBCXX_${nodeGlibcxx?.version})`, () => {
    const versions = importedVersions(file);
    const cxx = newest(versions.GLIBCXX);
    console.log(`${path.relative(root, file)}: newest GLIBCXX_ needed ${cxx ? cxx.version : 'none (libstdc++ is linked statically)'}`);
    expect(nodeGlibcxx).not.toBeNull();
    if (cxx !== null) expect(compareVersions(cxx.version, nodeGlibcxx!.version)).toBeLessThanOrEqual(0);
  });
});
