/**
 * A tiny ONNX model written as protobuf bytes by hand (no protobuf library): one node `op_type` taking
 * the graph input X (once per `inputs`) to the graph output Y, both tensors of one element type and a
 * symbolic 2-D shape [N, C]. Only the fields onnxruntime needs are written (onnx.proto3 field numbers:
 * ModelProto.ir_version 1, graph 7, opset_import 8; GraphProto.node 1, name 2, input 11, output 12; ...).
 */

/** onnx.TensorProto.DataType values. */
export const ELEM_TYPES = { float32: 1, float16: 10, float64: 11, bfloat16: 16 } as const;

function varint(n: number): number[] {
  const bytes: number[] = [];
  while (n > 0x7f) {
    bytes.push((n & 0x7f) | 0x80);
    n = Math.floor(n / 128);
  }
  bytes.push(n);
  return bytes;
}

/** A varint field. */
const int = (field: number, n: number): number[] => [...varint(field << 3), ...varint(n)];
/** A length-delimited field (bytes, a string or an embedded message). */
function bytes(field: number, body: number[] | string): number[] {
  const b = typeof body === 'string' ? [...Buffer.from(body, 'utf8')] : body;
  return [...varint((field << 3) | 2), ...varint(b.length), ...b];
}

/** ValueInfoProto { name, type: TypeProto { tensor_type { elem_type, shape { dim: dim_param 'N', 'C' } } } }. */
function valueInfo(name: string, elemType: number): number[] {
  const dims = ['N', 'C'].map((p) => bytes(1, bytes(2, p))).flat();
  const tensorType = [...int(1, elemType), ...bytes(2, dims)];
  return [...bytes(1, name), ...bytes(2, bytes(1, tensorType))];
}

/** The model bytes: Y = opType(X, ..., X) with `inputs` copies of X, of element type `elemType`. */
export function onnxModel(opType: string, elemType: number, inputs = 1): Uint8Array {
  const node = [...Array.from({ length: inputs }, () => bytes(1, 'X')).flat(), ...bytes(2, 'Y'), ...bytes(3, 'n0'), ...bytes(4, opType)];
  const graph = [...bytes(1, node), ...bytes(2, 'g'), ...bytes(11, valueInfo('X', elemType)), ...bytes(12, valueInfo('Y', elemType))];
  const opset = [...bytes(1, ''), ...int(2, 17)];
  return Uint8Array.from([...int(1, 8), ...bytes(2, 'selu-kernels-test'), ...bytes(7, graph), ...bytes(8, opset)]);
}
