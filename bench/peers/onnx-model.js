// A one-node ONNX model, y = Selu(x), encoded as protobuf by hand (no onnx/protobuf dependency).
// Field numbers are those of onnx.proto3 (ModelProto, GraphProto, NodeProto, ValueInfoProto, TypeProto).
'use strict';

const ELEM_TYPE = { float32: 1, float64: 11 }; // TensorProto.DataType FLOAT, DOUBLE

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

/** ValueInfoProto for a 1-D tensor of `dtype` with a symbolic length "N". */
function tensorInfo(name, dtype) {
  const dim = msg(bytes(2, 'N')); // TensorShapeProto.Dimension.dim_param
  const shape = msg(bytes(1, dim)); // TensorShapeProto.dim
  const tensorType = msg(int(1, ELEM_TYPE[dtype]), bytes(2, shape)); // TypeProto.Tensor elem_type, shape
  const type = msg(bytes(1, tensorType)); // TypeProto.tensor_type
  return msg(bytes(1, name), bytes(2, type)); // ValueInfoProto name, type
}

/**
 * The serialized model: opset 13 (Selu exists since opset 6), IR version 8, Selu's default attributes
 * (alpha = 1.67326319217681884765625, gamma = 1.05070102214813232421875: the float32-rounded constants).
 */
function seluModel(dtype = 'float32') {
  if (!ELEM_TYPE[dtype]) throw new Error(`no ONNX element type for ${dtype}`);
  const node = msg(bytes(1, 'x'), bytes(2, 'y'), bytes(3, 'selu'), bytes(4, 'Selu')); // input, output, name, op_type
  const graph = msg(bytes(1, node), bytes(2, 'selu_graph'), bytes(11, tensorInfo('x', dtype)), bytes(12, tensorInfo('y', dtype)));
  const opset = msg(bytes(1, ''), int(2, 13)); // OperatorSetIdProto domain "", version 13
  return msg(int(1, 8), bytes(2, 'selu-kernels bench'), bytes(7, graph), bytes(8, opset)); // ir_version, producer_name, graph, opset_import
}

module.exports = { seluModel };
