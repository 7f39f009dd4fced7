/**
 * How much the fuzz properties run, and the tally they keep.
 *
 * The bounded run in `npx jest test/fuzz` uses a fixed seed (deterministic: a failure reproduces) and
 * small run counts. `npm run fuzz` (scripts/fuzz.js) runs the same properties with FUZZ_RUNS scaled up,
 * a time limit per property (FUZZ_SECONDS) and FUZZ_STATS naming a file where each test file appends
 * its tally, which the script sums.
 */
import * as fs from 'node:fs';

/** fast-check seed: FUZZ_SEED, else a fixed one. */
export const SEED = process.env.FUZZ_SEED === undefined ? 20261127 : Number(process.env.FUZZ_SEED);

/** Multiplier on every property's run count (1 in `npm test`; scripts/fuzz.js raises it). */
const SCALE = process.env.FUZZ_RUNS === undefined ? 1 : Math.max(1, Number(process.env.FUZZ_RUNS));

/** Wall-clock limit for one property in the long run (ms), undefined in the bounded run. */
const LIMIT_MS = process.env.FUZZ_SECONDS === undefined ? undefined : Number(process.env.FUZZ_SECONDS) * 1000;

/** fast-check parameters for a property with `runs` runs in the bounded run. */
export function params(runs: number): { seed: number; numRuns: number; interruptAfterTimeLimit?: number; markInterruptAsFailure: false; } {
  return {
    seed: SEED,
    numRuns: Math.round(runs * SCALE),
    ...(LIMIT_MS === undefined ? {} : { interruptAfterTimeLimit: LIMIT_MS }),
    markInterruptAsFailure: false,
  };
}

/** Jest timeout for a property: generous in the long run, where FUZZ_SECONDS bounds each property. */
export function timeout(ms: number): number {
  return LIMIT_MS === undefined ? ms : LIMIT_MS + 120_000;
}

/** What the properties saw: calls made, and how each ended. */
export interface Tally {
  properties: number;
  calls: number;
  ok: number;
  userErrors: number;
  byCode: Record<string, number>;
}

export const tally: Tally = { properties: 0, calls: 0, ok: 0, userErrors: 0, byCode: {} };

export function countOutcome(outcome: { kind: 'ok' } | { kind: 'user' } | { kind: 'error'; code: string }): void {
  tally.calls++;
  if (outcome.kind === 'ok') tally.ok++;
  else if (outcome.kind === 'user') tally.userErrors++;
  else tally.byCode[outcome.code] = (tally.byCode[outcome.code] ?? 0) + 1;
}

/** Appends this file's tally to FUZZ_STATS (one JSON line) when set; call from afterAll. */
export function writeTally(file: string): void {
  const target = process.env.FUZZ_STATS;
  if (target === undefined) return;
  fs.appendFileSync(target, `${JSON.stringify({ file, ...tally })}\n`);
}
