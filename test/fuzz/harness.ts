/**
 * The oracle: one call of an entry on materialized arguments, and what its outcome must satisfy.
 *
 * - It returns (resolves) a plausible result (Entry.check), or throws (rejects) one of the library's
 *   documented errors: name TypeError or RangeError, `code` an ErrorCode value, `argument` a non-empty
 *   string (GPU entries may also give plain Errors with a GPU code). The one foreign error allowed is
 *   the fuzzer's own UserCodeError, thrown by its getters and proxy traps, and only when the call ran
 *   such user code.
 * - After an error, every array passed in (inputs and outputs, reached through the options too) is
 *   byte-for-byte unchanged.
 * - An array argument detached before the call makes it fail.
 * - Async entries return a promise (they never throw) that settles within HANG_MS; without user code
 *   in the arguments, their outcome equals the sync form's on fresh copies of the same arguments
 *   (the same bytes, or the same error name, code and argument).
 * A crash kills the jest worker, which fails the run.
 */
import fc from 'fast-check';
import { ErrorCode } from '../../lib';
import { countOutcome, params, tally } from './config';
import type { Entry } from './registry';
import { Materialized, type Spec, isUserCodeError, snapshot } from './values';

const HANG_MS = 10_000;
const CODES = new Set<string>(Object.values(ErrorCode));
const GPU_CODES = new Set<string>([ErrorCode.CUDA_UNAVAILABLE, ErrorCode.CUDA_OOM, ErrorCode.CUDA_ERROR, ErrorCode.DISPOSED, ErrorCode.DEVICE_MISMATCH]);

type Outcome = { ok: true; value: unknown } | { ok: false; error: unknown };

function describeError(e: unknown): string {
  if (typeof e !== 'object' || e === null) return `a thrown ${typeof e} ${String(e)}`;
  const { name, code, argument, message } = e as Record<string, unknown>;
  return `${String(name)} code=${String(code)} argument=${String(argument)}: ${String(message)}`;
}

/** Throws unless `e` is one of the library's documented errors (or the fuzzer's own, when allowed). */
export function checkError(entry: Entry, m: Materialized, e: unknown): void {
  if (isUserCodeError(e)) {
    if (!m.impure) throw new Error(`${entry.name}: a UserCodeError escaped although no user code was passed`);
    countOutcome({ kind: 'user' });
    return;
  }
  const err = e as { name?: unknown; code?: unknown; argument?: unknown };
  const gpuError = entry.gpu === true && err?.name === 'Error' && GPU_CODES.has(err.code as string);
  const documented = typeof e === 'object' && e !== null && CODES.has(err.code as string) &&
    (err.name === 'TypeError' || err.name === 'RangeError' || gpuError) &&
    (gpuError || entry.noArgumentName === true || (typeof err.argument === 'string' && err.argument.length > 0));
  if (!documented) throw new Error(`${entry.name}: undocumented error: ${describeError(e)}`);
  countOutcome({ kind: 'error', code: err.code as string });
}

function withTimeout<T>(name: string, p: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const hang = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${name}: did not settle within ${HANG_MS} ms (a hang)`)), HANG_MS);
  });
  return Promise.race([p, hang]).finally(() => clearTimeout(timer));
}

/** Calls the entry (awaiting async ones, after detaching the arrays marked 'during'). */
async function invoke(entry: Entry, m: Materialized, fn: (...a: unknown[]) => unknown, isAsync: boolean): Promise<Outcome> {
  if (!isAsync) {
    let value: unknown;
    try {
      value = fn(...m.args);
    } catch (error) {
      return { ok: false, error };
    } finally {
      entry.after?.();
    }
    // moments() and seluMoments() on a DeviceArray (or an impostor of one) return a promise.
    if (!(value instanceof Promise)) return { ok: true, value };
    return withTimeout(entry.name, value).then((v) => ({ ok: true, value: v }), (error: unknown) => ({ ok: false, error }));
  }
  let pending: unknown;
  try {
    pending = fn(...m.args);
  } catch (error) {
    throw new Error(`${entry.name}: threw synchronously instead of rejecting: ${describeError(error)}`);
  }
  if (!(pending instanceof Promise) && typeof (pending as { then?: unknown })?.then !== 'function') {
    throw new Error(`${entry.name}: did not return a promise`);
  }
  for (const view of m.detachDuring) m.detach(view); // transfer while the work may be running
  return withTimeout(entry.name, Promise.resolve(pending)).then(
    (value) => ({ ok: true, value }),
    (error: unknown) => ({ ok: false, error }),
  );
}

/** Deep equality that compares typed arrays by bytes and numbers with Object.is (NaN equals NaN). */
function sameValue(a: unknown, b: unknown, path: string): void {
  if (ArrayBuffer.isView(a) && ArrayBuffer.isView(b)) {
    if (!snapshot(a).equals(snapshot(b))) throw new Error(`${path}: async and sync results differ`);
  } else if (typeof a === 'object' && a !== null && typeof b === 'object' && b !== null) {
    const keys = Object.keys(a);
    expect(Object.keys(b)).toEqual(keys);
    for (const k of keys) sameValue((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], `${path}.${k}`);
  } else if (!Object.is(a, b)) {
    throw new Error(`${path}: async gave ${String(a)}, sync ${String(b)}`);
  }
}

function sameError(entry: Entry, a: unknown, b: unknown): void {
  const pick = (e: unknown) => {
    const { name, code, argument } = (e ?? {}) as Record<string, unknown>;
    return { name, code, argument };
  };
  if (JSON.stringify(pick(a)) !== JSON.stringify(pick(b))) {
    throw new Error(`${entry.name}: async and sync forms fail differently: ${describeError(a)} / ${describeError(b)}`);
  }
}

/** One call of `entry` on `specs`, checked by the oracle above. */
export async function runOne(entry: Entry, specs: readonly Spec[]): Promise<void> {
  const m = new Materialized(specs);
  const before = m.views.map((v) => [v, snapshot(v)] as const);
  const detachedDuring = entry.async && m.detachDuring.length > 0;
  const outcome = await invoke(entry, m, entry.call, entry.async);

  if (!outcome.ok) {
    checkError(entry, m, outcome.error);
    // The work of an async call whose arrays were detached meanwhile runs to completion on the
    // pinned memory (the detach rule), so its outputs may be written: nothing to compare then.
    if (!detachedDuring) {
      before.forEach(([view, bytes], i) => {
        if (m.detached.has(view.buffer)) return;
        if (!snapshot(view).equals(bytes)) throw new Error(`${entry.name}: array #${i} was modified by a call that failed (${describeError(outcome.error)})`);
      });
    }
  } else {
    countOutcome({ kind: 'ok' });
    const detachedArg = m.detachedBefore.find((path) => entry.arrays?.includes(path));
    if (detachedArg !== undefined) throw new Error(`${entry.name}: succeeded although ${detachedArg} was detached before the call`);
    if (!detachedDuring) entry.check(outcome.value, m);
  }

  // Async = sync on fresh copies of the same arguments (only without user code, which may behave
  // differently on a second run, and without a detach during the call, which the sync form cannot see).
  if (entry.twin !== undefined && !m.impure && !detachedDuring) {
    const fresh = new Materialized(specs);
    const sync = await invoke(entry, fresh, entry.twin, false);
    if (outcome.ok !== sync.ok) {
      throw new Error(`${entry.name}: async ${outcome.ok ? 'succeeded' : 'failed'} where sync ${sync.ok ? 'succeeded' : `failed (${describeError((sync as { error: unknown }).error)})`}`);
    }
    if (outcome.ok && sync.ok) sameValue(outcome.value, sync.value, entry.name);
    else sameError(entry, (outcome as { error: unknown }).error, (sync as { error: unknown }).error);
  }
}

/** The property for one entry: arguments from its arbitraries, sometimes fewer of them (missing = undefined). */
export function entryProperty(entry: Entry): fc.IAsyncProperty<[Spec[], number]> {
  const n = entry.args.length;
  const count = fc.oneof({ arbitrary: fc.constant(n), weight: 6 }, { arbitrary: fc.nat(n), weight: 1 });
  return fc.asyncProperty(fc.tuple(...entry.args), count, (specs, k) => runOne(entry, specs.slice(0, k)));
}

/** Runs an entry's property for `runs` runs (scaled in the long run) and counts it. */
export async function fuzzEntry(entry: Entry, runs: number): Promise<void> {
  tally.properties++;
  await fc.assert(entryProperty(entry), params(runs));
}
