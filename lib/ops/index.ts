/**
 * The op table: every op of the library, defined once (its arrays, its options, how it runs on the CPU
 * and the GPU), and the public forms derived from each. lib/selu.ts, dropout.ts and moments.ts give
 * the forms their documented overloads; test/fuzz/registry.ts and bench/ops/ enumerate OPS.
 */
import { ALPHA_DROPOUT, ALPHA_DROPOUT_BACKWARD, ALPHA_DROPOUT_MASK, SELU_ALPHA_DROPOUT, SELU_ALPHA_DROPOUT_BACKWARD } from './dropout';
import { MOMENTS, SELU_MOMENTS } from './moments';
import { type Forms, forms } from './op';
import { SELU, SELU_BACKWARD } from './selu';

/** The array ops, in the order the documentation lists them. */
export const OPS = [SELU, SELU_BACKWARD, ALPHA_DROPOUT, ALPHA_DROPOUT_BACKWARD, SELU_ALPHA_DROPOUT, SELU_ALPHA_DROPOUT_BACKWARD, MOMENTS, SELU_MOMENTS] as const;

export const selu: Forms = forms(SELU);
export const seluBackward: Forms = forms(SELU_BACKWARD);
export const alphaDropout: Forms = forms(ALPHA_DROPOUT);
export const alphaDropoutBackward: Forms = forms(ALPHA_DROPOUT_BACKWARD);
export const seluAlphaDropout: Forms = forms(SELU_ALPHA_DROPOUT);
export const seluAlphaDropoutBackward: Forms = forms(SELU_ALPHA_DROPOUT_BACKWARD);
export const moments: Forms = forms(MOMENTS);
export const seluMoments: Forms = forms(SELU_MOMENTS);
export const alphaDropoutMask: Forms = ALPHA_DROPOUT_MASK;

/** Every op's name and argument list as the public functions take them (the sync name; `${name}Async` is its twin). */
export const OP_SIGNATURES: ReadonlyArray<{ name: string; args: readonly string[] }> = [
  ...OPS.map((op) => ({ name: op.name, args: [...op.arrays, 'options'] })),
  { name: ALPHA_DROPOUT_MASK.name, args: ['length', 'options'] },
];
