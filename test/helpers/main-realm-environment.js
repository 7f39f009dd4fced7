// A jest environment whose typed-array constructors are the main realm's. onnxruntime-node builds its
// output tensors from arrays made in the main realm and checks them with `instanceof` against the
// sandbox's constructors, which fails in jest's default node environment ("A float32 tensor's data must
// be type of Float32Array"); sharing the constructors makes both realms agree, as in a plain process.
'use strict';
const NodeEnvironment = require('jest-environment-node').TestEnvironment;

const TYPED_ARRAYS = ['Int8Array', 'Uint8Array', 'Uint8ClampedArray', 'Int16Array', 'Uint16Array', 'Int32Array', 'Uint32Array',
  'Float32Array', 'Float64Array', 'BigInt64Array', 'BigUint64Array', 'ArrayBuffer'];

class MainRealmTypedArrays extends NodeEnvironment {
  constructor(config, context) {
    super(config, context);
    for (const name of TYPED_ARRAYS) this.global[name] = globalThis[name];
  }
}

module.exports = MainRealmTypedArrays;
