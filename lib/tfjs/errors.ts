/**
 * Errors of the TensorFlow.js integration. Like the rest of the library's errors they carry a stable
 * `code` and the `argument` they are about; the codes below are the integration's own.
 */
import { ErrorCode } from '../index';

export const TfjsErrorCode = {
  /** Error: `tf` is not a TensorFlow.js 4.x module (the version, or a registry function, is missing). */
  VERSION: 'ERR_SELU_TFJS_VERSION',
  /** RangeError: a backend the plugin cannot cover ('tensorflow', 'webgl', ...) or one that is not loaded. */
  BACKEND: 'ERR_SELU_TFJS_BACKEND',
  /** Error: the plugin is already registered with other options, or another copy of it holds the kernels. */
  ALREADY_REGISTERED: 'ERR_SELU_TFJS_ALREADY_REGISTERED',
  /** Error: `tf` has no tfjs-layers, so there is no Layer class to extend (use @tensorflow/tfjs). */
  NO_LAYERS: 'ERR_SELU_TFJS_NO_LAYERS',
} as const;

export type TfjsErrorCodeValue = (typeof TfjsErrorCode)[keyof typeof TfjsErrorCode] | (typeof ErrorCode)[keyof typeof ErrorCode];

/** `fn(): message` as an error of class `Kind` with a code and the argument it is about. */
export function tfjsError<E extends Error>(Kind: new (message: string) => E, fn: string, code: TfjsErrorCodeValue,
  argument: string, message: string): E & { code: TfjsErrorCodeValue; argument: string } {
  const error = new Kind(`${fn}(): ${message}`) as E & { code: TfjsErrorCodeValue; argument: string };
  error.code = code;
  error.argument = argument;
  return error;
}
