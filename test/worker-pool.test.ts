/**
 * A pool of worker_threads, each loading the library and running every CPU op sync and async at the
 * same time as the others and as the main thread, all sharing the addon's process-wide thread pool
 * and libuv's. Over several cycles some workers are terminated while their async calls are in flight,
 * one is terminated while it is still loading the addon, and replacements load the addon again and
 * must compute correctly. Every result is checked bit for bit against the main thread's sync result.
 */
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import * as lib from '../lib';
import { describeCase, makeCases, run, sameBytes } from './helpers/op-cases';

// Workers load the compiled library (npm test builds dist/ before jest runs), as users' workers would.
const libPath = path.join(__dirname, '..', 'dist', 'index.js');
const workerFile = path.join(__dirname, 'helpers', 'pool-worker.js');

const POOL_SIZE = 4;
const CYCLES = 5;

// 108 cases: every op × dtype × output mode twice, 10 % of them above 4096 elements (up to 200 000).
const { cases } = makeCases({ count: 108, seed: 11, maxLength: 200_000, largeShare: 0.1 });
const expected = cases.map((c) => run(lib, c, true));

interface Report {
  type: 'loaded' | 'burst' | 'round' | 'done';
  addon?: string;
  round?: number;
  checks?: number;
  mismatches?: string[];
}

/** A worker with what it has reported, its errors and its exit code. */
class PoolWorker {
  readonly worker: Worker;
  readonly errors: unknown[] = [];
  readonly exited: Promise<number>;
  last: Report | undefined;
  loaded: Report | undefined;
  private waiters: Array<{ match: (r: Report) => boolean; resolve: (r: Report) => void; reject: (e: Error) => void }> = [];

  constructor(readonly name: string) {
    // env: this process's, so the workers load the addon SELU_KERNELS_ADDON names, as the main thread does.
    this.worker = new Worker(workerFile, { workerData: { libPath, cases, expected, stride: 5 }, env: process.env });
    this.worker.on('message', (r: Report) => {
      if (r.type === 'loaded') this.loaded = r;
      if (r.type === 'round' || r.type === 'done') this.last = r;
      for (const w of this.waiters.filter((x) => x.match(r))) {
        this.waiters.splice(this.waiters.indexOf(w), 1);
        w.resolve(r);
      }
    });
    this.worker.on('error', (e) => this.errors.push(e));
    this.exited = new Promise((resolve) => {
      this.worker.once('exit', (code) => {
        for (const w of this.waiters) w.reject(new Error(`${name} exited (${code}) before reporting; errors: ${String(this.errors)}`));
        resolve(code);
      });
    });
  }

  /** The next report that `match` accepts. */
  next(match: (r: Report) => boolean): Promise<Report> {
    return new Promise((resolve, reject) => this.waiters.push({ match, resolve, reject }));
  }

  mismatches(): string[] {
    return this.last?.mismatches ?? [];
  }
}

/** The main thread's share of the load: rounds of every case, async and sync mixed, until `stop()`. */
function mainThreadLoad(): { stop: () => Promise<{ checks: number; mismatches: string[] }> } {
  let stopping = false;
  let checks = 0;
  const mismatches: string[] = [];
  const check = (i: number, bytes: Uint8Array): void => {
    checks++;
    if (!sameBytes(bytes, expected[i])) mismatches.push(describeCase(cases[i]));
  };
  const loop = (async () => {
    for (let r = 0; !stopping; r++) {
      const pending: Array<Promise<void>> = [];
      for (let i = 0; i < cases.length; i++) {
        const c = cases[(i * 7 + r) % cases.length];
        if (i % 3 === 0) check(c.id, run(lib, c, true));
        else pending.push(run(lib, c, false).then((bytes) => check(c.id, bytes)));
      }
      await Promise.all(pending);
    }
  })();
  return {
    stop: async () => {
      stopping = true;
      await loop;
      return { checks, mismatches };
    },
  };
}

test('a worker pool with workers terminated mid-work and restarted computes every op correctly', async () => {
  const mainLoad = mainThreadLoad();
  const pool: PoolWorker[] = Array.from({ length: POOL_SIZE }, (_, i) => new PoolWorker(`worker ${i}`));
  const retired: PoolWorker[] = [];
  let started = POOL_SIZE;

  for (let cycle = 0; cycle < CYCLES; cycle++) {
    // Every worker of the pool has finished a round before anything is terminated.
    await Promise.all(pool.map((w) => w.next((r) => r.type === 'round')));

    // Two workers are terminated with async calls in flight: each launches a burst of the largest case;
    // one then blocks its thread, so that not one of those calls can have settled when terminate() comes,
    // the other keeps running its rounds (its event loop turning) until terminate() stops it.
    for (const [slot, block] of [[cycle % POOL_SIZE, true], [(cycle + 2) % POOL_SIZE, false]] as const) {
      const victim = pool[slot];
      const launched = victim.next((r) => r.type === 'burst');
      victim.worker.postMessage({ type: 'burst', calls: 32, block });
      await launched;
      await victim.worker.terminate();
      retired.push(victim);
      pool[slot] = new PoolWorker(`worker ${started++}`);
    }

    // One is terminated as soon as its thread is up, while it loads the library and the addon.
    const early = new PoolWorker(`worker ${started++} (terminated while loading)`);
    await new Promise((resolve) => early.worker.once('online', resolve));
    await early.worker.terminate();
    retired.push(early);

    // The replacements loaded the addon again and compute correctly (checked again at the end).
    await Promise.all(pool.map((w) => w.next((r) => r.type === 'round' && (r.round ?? 0) >= 2)));
  }

  // Stop the pool: each worker finishes its round, reports and exits by itself (exit code 0).
  const done = pool.map((w) => w.next((r) => r.type === 'done'));
  for (const w of pool) w.worker.postMessage('stop');
  const reports = await Promise.all(done);
  const exitCodes = await Promise.all(pool.map((w) => w.exited));
  const main = await mainLoad.stop();

  expect(exitCodes).toEqual(pool.map(() => 0));
  for (const [i, r] of reports.entries()) {
    expect({ worker: pool[i].name, mismatches: r.mismatches }).toEqual({ worker: pool[i].name, mismatches: [] });
    expect(r.checks).toBeGreaterThanOrEqual(2 * cases.length);
  }
  // Workers terminated mid-work were correct up to their last complete round, and none raised an error.
  for (const w of [...pool, ...retired]) {
    expect({ worker: w.name, errors: w.errors, mismatches: w.mismatches() }).toEqual({ worker: w.name, errors: [], mismatches: [] });
  }
  // Every worker that got to load the library saw the same SELU_KERNELS_ADDON as the main thread.
  for (const w of [...pool, ...retired].filter((x) => x.loaded !== undefined)) expect(w.loaded?.addon).toBe(process.env.SELU_KERNELS_ADDON);
  expect(retired.filter((w) => w.last !== undefined).length).toBeGreaterThanOrEqual(2 * CYCLES); // killed mid-work, not before
  expect(main.mismatches).toEqual([]);
  expect(main.checks).toBeGreaterThan(0);

  // The process is healthy after it all: a sync and an async call on the main thread are still right.
  for (const c of cases) expect(sameBytes(run(lib, c, true), expected[c.id])).toBe(true);
  const again = await Promise.all(cases.map((c) => run(lib, c, false)));
  expect(again.every((bytes, i) => sameBytes(bytes, expected[cases[i].id]))).toBe(true);
});
