'use strict';
/**
 * An error the server answers with a 4xx status. It carries the same `code` and `argument` as
 * selu-kernels' own errors, so a client can branch on `code` whichever side found the problem.
 */
class HttpError extends Error {
  constructor(status, name, code, argument, message) {
    super(message);
    this.status = status;
    this.name = name; // 'TypeError' | 'RangeError' | 'Error', as the library would classify it
    this.code = code;
    this.argument = argument;
  }

  /** The JSON body sent to the client. */
  toJSON() {
    return { error: { name: this.name, code: this.code, argument: this.argument, message: this.message } };
  }
}

module.exports = { HttpError };
