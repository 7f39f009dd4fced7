'use strict';
/**
 * Turns a /predict body into the model's input: {"input": number[n]} (one sample) or
 * {"inputs": number[][n]} (a batch of 1..maxBatch samples), as one row-major Float32Array.
 * Anything else is a 400 with selu-kernels' error codes, naming the offending field.
 */
const { ErrorCode } = require('selu-kernels');
const { HttpError } = require('./http-error');

const KEYS = new Set(['input', 'inputs']);

function typeError(argument, message) {
  return new HttpError(400, 'TypeError', ErrorCode.INVALID_ARG, argument, message);
}

function rangeError(code, argument, message) {
  return new HttpError(400, 'RangeError', code, argument, message);
}

/** Copies the numbers of `row` into x at `offset`; each must be a finite float32 value. */
function copyRow(row, name, width, x, offset) {
  if (!Array.isArray(row)) throw typeError(name, `${name} must be an array of ${width} numbers`);
  if (row.length !== width) {
    throw rangeError(ErrorCode.LENGTH_MISMATCH, name, `${name} must have ${width} numbers, got ${row.length}`);
  }
  for (let i = 0; i < width; i++) {
    const v = row[i];
    if (typeof v !== 'number') throw typeError(`${name}[${i}]`, `${name}[${i}] must be a number`);
    x[offset + i] = v;
    // JSON can spell numbers beyond float32 (1e39) or even double (1e999 parses as Infinity).
    if (!Number.isFinite(x[offset + i])) {
      throw rangeError(ErrorCode.OUT_OF_RANGE, `${name}[${i}]`, `${name}[${i}] must be a finite float32 number`);
    }
  }
}

/**
 * Returns { x: Float32Array(batch·width), batch, single } for a parsed body; throws HttpError (400).
 */
function parsePredictRequest(body, width, maxBatch) {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw typeError('body', 'the body must be a JSON object with "input" or "inputs"');
  }
  for (const key of Object.keys(body)) {
    if (!KEYS.has(key)) {
      throw new HttpError(400, 'TypeError', ErrorCode.UNKNOWN_OPTION, `body.${key}`, `body.${key} is not a known key; known: input, inputs`);
    }
  }
  if ((body.input === undefined) === (body.inputs === undefined)) {
    throw typeError('body', 'the body must have exactly one of "input" and "inputs"');
  }

  if (body.input !== undefined) {
    const x = new Float32Array(width);
    copyRow(body.input, 'input', width, x, 0);
    return { x, batch: 1, single: true };
  }

  const rows = body.inputs;
  if (!Array.isArray(rows)) throw typeError('inputs', 'inputs must be an array of arrays');
  if (rows.length < 1 || rows.length > maxBatch) {
    throw rangeError(ErrorCode.OUT_OF_RANGE, 'inputs', `inputs must hold 1 to ${maxBatch} samples, got ${rows.length}`);
  }
  const x = new Float32Array(rows.length * width);
  for (let r = 0; r < rows.length; r++) copyRow(rows[r], `inputs[${r}]`, width, x, r * width);
  return { x, batch: rows.length, single: false };
}

module.exports = { parsePredictRequest };
