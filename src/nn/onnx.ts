/**
 * Serialisation of a graph to ONNX ModelProto bytes (IR 8, opset 18), pruned to what the requested outputs need.
 * Parameters become graph inputs (the training step feeds them) or initializers (the inference export, which any
 * ONNX runtime loads). `readInitializers` reads tensors back, for checkpoints.
 */
import { MultiraterError } from '../errors.ts';
import type { Graph, Node, Value } from './graph.ts';
import { AttributeType, ModelProtoType } from './onnx-schema.ts';
import type { AttrKind, Attrs, OnnxEmitter } from './ops/types.ts';
import { onnxDataType, type DType } from './shape.ts';
import type { TensorData, TypedData } from './tensor.ts';

/** ONNX operator set version the exported models import (default domain). */
export const OPSET = 18;
/** ONNX IR version written in the exported ModelProto. */
export const IR_VERSION = 8;

/** Options of `toOnnxModel`. */
export interface ExportOptions {
  /** Graph outputs by their ONNX name. */
  readonly outputs: Readonly<Record<string, Value>>;
  /** Parameter values written as initializers; parameters not listed become graph inputs. */
  readonly initializers?: ReadonlyMap<string, Float32Array>;
  /** The ONNX graph's name; default 'multirater'. */
  readonly name?: string;
  /** Key/value metadata stored in the model (ModelProto.metadata_props). */
  readonly metadata?: Readonly<Record<string, string>>;
}

interface NodeProtoJson {
  input: string[];
  output: string[];
  op_type: string;
  name: string;
  attribute: object[];
}

function tensorProto(name: string, t: TensorData): object {
  const bytes = new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength);
  return { name, dims: [...t.shape], data_type: onnxDataType(t.dtype), raw_data: bytes };
}

function valueInfo(name: string, dtype: DType, shape: readonly (number | string)[]): object {
  const dim = shape.map((d) => (typeof d === 'number' ? { dim_value: d } : { dim_param: d }));
  return { name, type: { tensor_type: { elem_type: onnxDataType(dtype), shape: { dim } } } };
}

function attributeProto(name: string, v: Attrs[string], kind: AttrKind): object {
  switch (kind) {
    case 'int':
      return { name, type: AttributeType.INT, i: v as number };
    case 'float':
      return { name, type: AttributeType.FLOAT, f: v as number };
    case 'ints':
      return { name, type: AttributeType.INTS, ints: [...(v as readonly number[])] };
    case 'floats':
      return { name, type: AttributeType.FLOATS, floats: [...(v as readonly number[])] };
    case 'string':
      return { name, type: AttributeType.STRING, s: new TextEncoder().encode(v as string) };
  }
}

/** The nodes that the outputs depend on, in graph order. */
function neededNodes(graph: Graph, outputs: readonly Value[]): Node[] {
  const need = new Set<Node>();
  const stack = [...outputs];
  const seen = new Set<Value>();
  while (stack.length > 0) {
    const v = stack.pop() as Value;
    if (seen.has(v)) continue;
    seen.add(v);
    if (v.producer !== null && !need.has(v.producer)) {
      need.add(v.producer);
      for (const i of v.producer.inputs) if (i !== null) stack.push(i);
    }
  }
  return graph.nodes.filter((n) => need.has(n));
}

/** Encodes the part of `graph` that computes `options.outputs` as ONNX ModelProto bytes. */
export function toOnnxModel(graph: Graph, options: ExportOptions): Uint8Array {
  const outputs = Object.entries(options.outputs);
  const nodes = neededNodes(
    graph,
    outputs.map(([, v]) => v),
  );
  const used = new Set<Value>(outputs.map(([, v]) => v));
  for (const n of nodes) for (const i of n.inputs) if (i !== null) used.add(i);

  const nodeProtos: NodeProtoJson[] = [];
  const initializers: object[] = [];
  let fresh = 0;
  const e: OnnxEmitter = {
    node(opType, inputs, outs, attrs = {}, kinds = {}) {
      const attribute = Object.entries(kinds)
        .filter(([k]) => attrs[k] !== undefined)
        .map(([k, kind]) => attributeProto(k, attrs[k], kind));
      nodeProtos.push({
        input: [...inputs],
        output: [...outs],
        op_type: opType,
        name: `${opType}_${nodeProtos.length}`,
        attribute,
      });
    },
    constant(data) {
      const name = `_e_k${fresh++}`;
      initializers.push(tensorProto(name, data));
      return name;
    },
    fresh(hint) {
      return `_e_${hint}${fresh++}`;
    },
    name(v) {
      return v === null ? '' : v.name;
    },
  };
  for (const n of nodes) {
    const def = graph.opDef(n.op);
    if (def.toOnnx) def.toOnnx(n, e);
    else
      e.node(
        n.op,
        n.inputs.map((v) => e.name(v)),
        n.outputs.map((o) => o.name),
        n.attrs,
        def.attrKinds ?? {},
      );
  }

  const inputs: object[] = [];
  for (const v of graph.feeds) if (used.has(v)) inputs.push(valueInfo(v.name, v.dtype, v.shape));
  for (const p of graph.params.values()) {
    if (!used.has(p.value)) continue;
    const data = options.initializers?.get(p.name);
    if (data === undefined) inputs.push(valueInfo(p.value.name, 'float32', p.value.shape));
    else {
      if (data.length !== p.value.staticShape.reduce((a, b) => a * b, 1)) {
        throw new MultiraterError(
          'size_mismatch',
          `parameter ${p.name}: ${data.length} values for shape [${p.value.shape.join(',')}]`,
        );
      }
      initializers.push(tensorProto(p.value.name, { dtype: 'float32', shape: p.value.staticShape, data }));
    }
  }
  for (const [v, data] of graph.constants) if (used.has(v)) initializers.push(tensorProto(v.name, data));

  const outputInfos = outputs.map(([name, v]) => {
    if (name !== v.name) e.node('Identity', [v.name], [name]);
    return valueInfo(name, v.dtype, v.shape);
  });
  const model = {
    ir_version: IR_VERSION,
    opset_import: [{ domain: '', version: OPSET }],
    producer_name: 'multirater',
    producer_version: '0.1.0',
    graph: {
      name: options.name ?? 'multirater',
      node: nodeProtos,
      initializer: initializers,
      input: inputs,
      output: outputInfos,
    },
    metadata_props: Object.entries(options.metadata ?? {}).map(([key, value]) => ({ key, value })),
  };
  return ModelProtoType.encode(ModelProtoType.fromObject(model)).finish();
}

const dtypeOfCode: Record<number, DType> = {
  1: 'float32',
  2: 'uint8',
  6: 'int32',
  7: 'int64',
  9: 'bool',
  11: 'float64',
};

function typedFromBytes(dtype: DType, bytes: Uint8Array): TypedData {
  const copy = new Uint8Array(bytes).buffer; // a copy: decoded bytes may be views into a shared pool
  switch (dtype) {
    case 'float32':
      return new Float32Array(copy);
    case 'float64':
      return new Float64Array(copy);
    case 'int64':
      return new BigInt64Array(copy);
    case 'int32':
      return new Int32Array(copy);
    default:
      return new Uint8Array(copy);
  }
}

interface DecodedModel {
  graph?: {
    initializer?: { name: string; dims?: unknown[]; data_type: number; raw_data?: Uint8Array; float_data?: number[] }[];
  };
  metadata_props?: { key: string; value: string }[];
}

/** The initializers (name → tensor) and metadata of an ONNX model written by `toOnnxModel`. */
export function readOnnxModel(
  bytes: Uint8Array,
  source = 'model',
): {
  /** Graph initializers by name, with their dtype and shape. */
  initializers: Map<string, TensorData>;
  /** The model's `metadata_props`, key → value. */
  metadata: Map<string, string>;
} {
  let decoded: DecodedModel;
  try {
    decoded = ModelProtoType.toObject(ModelProtoType.decode(bytes), { longs: Number }) as DecodedModel;
  } catch (err) {
    throw new MultiraterError('invalid_checkpoint', `${source}: not an ONNX model (${(err as Error).message})`);
  }
  const initializers = new Map<string, TensorData>();
  for (const t of decoded.graph?.initializer ?? []) {
    const dtype = dtypeOfCode[t.data_type];
    if (dtype === undefined)
      throw new MultiraterError(
        'invalid_checkpoint',
        `${source}: initializer ${t.name} has unsupported data type ${t.data_type}`,
      );
    const data =
      t.raw_data !== undefined && t.raw_data.length > 0
        ? typedFromBytes(dtype, t.raw_data)
        : Float32Array.from(t.float_data ?? []);
    initializers.set(t.name, { dtype, shape: (t.dims ?? []).map(Number), data });
  }
  const metadata = new Map((decoded.metadata_props ?? []).map((p) => [p.key, p.value]));
  return { initializers, metadata };
}
