/**
 * An independent JavaScript model of the dropout stream (docs/ALPHA-DROPOUT.md): Philox4x32-10 with 32-bit
 * integer arithmetic, the counter layout and the keep rule. The tests compare the addon with it, so
 * a mistake shared by the C++ header and its SIMD versions would still be caught.
 */

const M0 = 0xd2511f53;
const M1 = 0xcd9e8d57;
const W0 = 0x9e3779b9;
const W1 = 0xbb67ae85;

/** [hi, lo] of the 64-bit product of two uint32 (Hacker's Delight mulhu, 16-bit halves). */
function mulhilo(a: number, b: number): [number, number] {
  const lo = Math.imul(a, b) >>> 0;
  const u0 = a & 0xffff;
  const u1 = a >>> 16;
  const v0 = b & 0xffff;
  const v1 = b >>> 16;
  const t = u1 * v0 + ((u0 * v0) >>> 16);
  const w1 = u0 * v1 + (t & 0xffff);
  const hi = u1 * v1 + Math.floor(t / 65536) + Math.floor(w1 / 65536);
  return [hi >>> 0, lo];
}

/** Philox4x32 with 10 rounds, as Random123's philox4x32_R(10, ctr, key). */
export function philox4x32(ctr: readonly number[], key: readonly number[]): [number, number, number, number] {
  let [c0, c1, c2, c3] = ctr.map((v) => v >>> 0);
  let [k0, k1] = key.map((v) => v >>> 0);
  for (let round = 0; round < 10; round++) {
    const [hi0, lo0] = mulhilo(M0, c0);
    const [hi1, lo1] = mulhilo(M1, c2);
    [c0, c1, c2, c3] = [(hi1 ^ c1 ^ k0) >>> 0, lo1, (hi0 ^ c3 ^ k1) >>> 0, lo0];
    k0 = (k0 + W0) >>> 0;
    k1 = (k1 + W1) >>> 0;
  }
  return [c0, c1, c2, c3];
}

const MASK32 = 0xffffffffn;

/** The keep decisions of stream positions offset .. offset + n − 1 (1 = kept). */
export function referenceMask(n: number, rate: number, seed: bigint, offset: bigint): Uint8Array {
  const threshold = Math.floor((1 - rate) * 2 ** 32); // ≤ 2^32, exact in a double
  const key = [Number(seed & MASK32), Number(seed >> 32n)];
  const out = new Uint8Array(n);
  let block = -1n;
  let words: number[] = [];
  for (let i = 0; i < n; i++) {
    const g = offset + BigInt(i);
    if (g >> 2n !== block) {
      block = g >> 2n;
      words = philox4x32([Number(block & MASK32), Number(block >> 32n), 0, 0], key);
    }
    out[i] = words[Number(g & 3n)] < threshold ? 1 : 0;
  }
  return out;
}
