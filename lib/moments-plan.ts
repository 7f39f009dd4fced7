/**
 * The checks and the shape of a moments call: shape, axis and correction (as the options snapshot
 * holds them) against x's length, shared by the CPU and GPU paths of lib/ops/moments.ts so that both
 * reject the same options with the same errors.
 */
import { ErrorCode, describe, rangeError, typeError } from './errors';
import { integerInRange } from './options';

export interface MomentsShapeOptions {
  shape?: readonly [rows: number, cols: number];
  axis?: 0 | 1;
  correction?: 0 | 1;
}

export interface MomentsPlan {
  rows: number;
  cols: number;
  /** -1: all values; 0: per column; 1: per row. */
  axis: -1 | 0 | 1;
  correction: 0 | 1;
  /** Values per group. */
  count: number;
  /** Number of groups (results). */
  groups: number;
}

/** The plan for `length` values of x with options `o` (already checked for unknown keys). */
export function momentsPlan(fn: string, length: number, o: Partial<MomentsShapeOptions>): MomentsPlan {
  if (length === 0) throw rangeError(fn, ErrorCode.OUT_OF_RANGE, 'x', 'x must not be empty (the mean of no values is undefined)');
  let rows = 1;
  let cols = length;
  if (o.shape !== undefined) {
    if (!Array.isArray(o.shape) || o.shape.length !== 2) {
      throw typeError(fn, ErrorCode.INVALID_ARG, 'options.shape', `options.shape must be an array [rows, cols], got ${describe(o.shape)}`);
    }
    rows = integerInRange(fn, 'options.shape[0]', o.shape[0], 1, Number.MAX_SAFE_INTEGER);
    cols = integerInRange(fn, 'options.shape[1]', o.shape[1], 1, Number.MAX_SAFE_INTEGER);
    if (rows * cols !== length) {
      throw rangeError(fn, ErrorCode.LENGTH_MISMATCH, 'options.shape',
        `options.shape [${rows}, ${cols}] has ${rows * cols} elements but x has ${length}`);
    }
  }
  let axis: -1 | 0 | 1 = -1;
  if (o.axis !== undefined) {
    if (typeof o.axis !== 'number') {
      throw typeError(fn, ErrorCode.INVALID_ARG, 'options.axis', `options.axis must be 0 or 1, got ${describe(o.axis)}`);
    }
    if (o.axis !== 0 && o.axis !== 1) {
      throw rangeError(fn, ErrorCode.OUT_OF_RANGE, 'options.axis', `options.axis must be 0 or 1, got ${describe(o.axis)}`);
    }
    if (o.shape === undefined) {
      throw typeError(fn, ErrorCode.INVALID_ARG, 'options.shape', 'options.shape is required when options.axis is given');
    }
    axis = o.axis;
  }
  const correction = o.correction === undefined ? 0 : integerInRange(fn, 'options.correction', o.correction, 0, 1) as 0 | 1;
  const count = axis === 0 ? rows : axis === 1 ? cols : length;
  if (count - correction < 1) {
    throw rangeError(fn, ErrorCode.OUT_OF_RANGE, 'options.correction',
      `options.correction ${correction} needs at least ${correction + 1} values per group, got ${count}`);
  }
  return { rows, cols, axis, correction, count, groups: axis === 0 ? cols : axis === 1 ? rows : 1 };
}
