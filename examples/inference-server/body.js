'use strict';
/**
 * Reads a request body as JSON, refusing bodies over a byte limit before buffering them whole
 * (413), and bodies that are not JSON (400).
 */
const { ErrorCode } = require('selu-kernels');
const { HttpError } = require('./http-error');

/** Resolves with the parsed JSON body of `req`; rejects with an HttpError. */
function readJsonBody(req, limitBytes) {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length']);
    if (declared > limitBytes) {
      reject(tooLarge(limitBytes));
      req.resume(); // drain, so the connection can answer
      return;
    }
    const chunks = [];
    let size = 0;
    let failed = false;
    req.on('data', (chunk) => {
      if (failed) return;
      size += chunk.length;
      if (size > limitBytes) {
        // A chunked body without (or lying about) its length: stop buffering, keep draining.
        failed = true;
        chunks.length = 0;
        reject(tooLarge(limitBytes));
        return;
      }
      chunks.push(chunk);
    });
    req.on('error', (error) => {
      failed = true;
      reject(error);
    });
    req.on('end', () => {
      if (failed) return;
      try {
        resolve(JSON.parse(Buffer.concat(chunks, size).toString('utf8')));
      } catch {
        reject(new HttpError(400, 'TypeError', ErrorCode.INVALID_ARG, 'body', 'the request body must be JSON'));
      }
    });
  });
}

function tooLarge(limitBytes) {
  return new HttpError(413, 'RangeError', 'ERR_BODY_TOO_LARGE', 'body', `the request body must be at most ${limitBytes} bytes`);
}

module.exports = { readJsonBody };
