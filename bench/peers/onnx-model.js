// One-node ONNX models (y = Selu(x) for the bench; test/tensor-ops.test.ts builds Add models with it),
// encoded as protobuf by hand (no onnx/protobuf dependency).
// Field numbers are those of onnx.proto3 (ModelProto, GraphProto, NodeProto, ValueInfoProto, TypeProto).
'use strict';

const ELEM_TYPE = { float32: 1, float64: 11, float16: 10, bfloat16: 16 }; // TensorProto.DataType FLOAT, DOUBLE, FLOAT16, BFLOAT16

function varint(n) {
  const bytes = [];
  let v = BigInt(n);
  do {
    let b = Number(v & 0x7fn);
    v >>= 7n;
    if (v) b |= 0x80;
    bytes.push(b);
  } while (v);
  return Buffer.from(bytes);
}
const tag = (field, wire) => varint((field << 3) | wire);
/** A varint field (wire type 0). */
const int = (field, n) => Buffer.concat([tag(field, 0), varint(n)]);
/** A length-delimited field (wire type 2): a string or an embedded message. */
const bytes = (field, value) => {
  const b = typeof value === 'string' ? Buffer.from(value, 'utf8') : value;
  return Buffer.concat([tag(field, 2), varint(b.length), b]);
};
const msg = (...parts) => Buffer.concat(parts);

/** ValueInfoProto for a tensor of `dtype` with symbolic dims (dim_param names, default one: "N"). */
function tensorInfo(name, dtype, dims = ['N']) {
  const shape = msg(...dims.map((d) => bytes(1, msg(bytes(2, d))))); // TensorShapeProto.dim { dim_param }
  const tensorType = msg(int(1, ELEM_TYPE[dtype]), bytes(2, shape)); // TypeProto.Tensor elem_type, shape
  const type = msg(bytes(1, tensorType)); // TypeProto.tensor_type
  return msg(bytes(1, name), bytes(2, type)); // ValueInfoProto name, type
}

/**
 * The serialized model: opset 13 (Selu exists since opset 6), IR version 8, Selu's default attributes
 * (alpha = 1.67326319217681884765625, gamma = 1.05070102214813232421875: the float32-rounded constants).
 */
function seluModel(dtype = 'float32') {
  return oneNodeModel('Selu', dtype);
}

/**
 * y = opType(x, …, x) with `inputs` copies of the graph input x, both of `dtype` and symbolic `dims`;
 * opset 13, IR version 8.
 */
function oneNodeModel(opType, dtype, { inputs = 1, dims = ['N'] } = {}) {
  if (!ELEM_TYPE[dtype]) throw new Error(`no ONNX element type for ${dtype}`);
  const xs = Array.from({ length: inputs }, () => bytes(1, 'x'));
  const node = msg(...xs, bytes(2, 'y'), bytes(3, 'node'), bytes(4, opType)); // input, output, name, op_type
  const graph = msg(bytes(1, node), bytes(2, 'graph'), bytes(11, tensorInfo('x', dtype, dims)), bytes(12, tensorInfo('y', dtype, dims)));
  const opset = msg(bytes(1, ''), int(2, 13)); // OperatorSetIdProto domain "", version 13
  return msg(int(1, 8), bytes(2, 'selu-kernels'), bytes(7, graph), bytes(8, opset)); // ir_version, producer_name, graph, opset_import
}

module.exports = { seluModel, oneNodeModel };
