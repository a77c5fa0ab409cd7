/**
 * The graph builder: values with dtype and shape, nodes that apply an operator from the registry (shapes are
 * inferred when a node is added, so a mistake fails where it is made), named parameters under layer scopes,
 * constants, and the graph's feeds. A graph is the single source for the training step, the inference model and
 * the exported `.onnx` file (see `onnx.ts`).
 */
import { MultiraterError } from '../errors.ts';
import { builtinOps } from './ops/builtins.ts';
import type { Attrs, OpDef, ValueType } from './ops/types.ts';
import { formatShape, isStatic, type DType, type Dim, type Shape } from './shape.ts';
import type { Initializer } from './init.ts';
import type { TensorData } from './tensor.ts';

/** A tensor in a graph: a feed, parameter, constant or node output, known by dtype and (possibly symbolic) shape. */
export class Value {
  /** Made by `Graph` (`input`, `param`, `constant`, `apply`), not directly. */
  constructor(
    /** The graph the value belongs to; operators refuse values of another graph. */
    readonly graph: Graph,
    /** Number unique within the graph. */
    readonly id: number,
    /** Unique name in the graph; the tensor's name in the exported ONNX model. */
    readonly name: string,
    /** Element type. */
    readonly dtype: DType,
    /** Dimensions; a string is a symbolic size (e.g. the batch), fixed when the model runs. */
    readonly shape: readonly Dim[],
    /** The node that computes it; null for feeds, parameters and constants. */
    readonly producer: Node | null,
  ) {}

  /** Number of axes. */
  get rank(): number {
    return this.shape.length;
  }

  /** The shape as numbers; throws when a dimension is symbolic. */
  get staticShape(): number[] {
    if (!isStatic(this.shape)) {
      throw new MultiraterError(
        'shape_error',
        `${this.name}: shape ${formatShape(this.shape)} is symbolic; a concrete shape is needed`,
      );
    }
    return [...this.shape];
  }

  /** Name and shape for messages, e.g. `image[N,1,128,128]`. */
  toString(): string {
    return `${this.name}${formatShape(this.shape)}`;
  }
}

/** One operator application in a graph. */
export interface Node {
  /** Number unique within the graph; nodes are kept in creation order. */
  readonly id: number;
  /** Name of the registered operator (e.g. 'Conv'). */
  readonly op: string;
  /** `null` marks an omitted optional input. */
  readonly inputs: readonly (Value | null)[];
  /** The values it computes, as many as the operator's shape rule returns. */
  readonly outputs: readonly Value[];
  /** Operator attributes (ONNX names, e.g. `pads`, `axis`). */
  readonly attrs: Attrs;
}

/** A trainable weight or a non-trainable buffer (BatchNorm running statistics), fed to the training graph. */
export interface Param {
  /** Full dotted name (`scope.name`), the key in checkpoints and the ONNX initializer's name. */
  readonly name: string;
  /** The float32 value the graph reads it through. */
  readonly value: Value;
  /** How `initParams` draws its initial values. */
  readonly init: Initializer;
  /** False for buffers: no gradient, no optimiser update. */
  readonly trainable: boolean;
}

/** A computation under construction: feeds, parameters, constants and nodes, in the order they were added. */
export class Graph {
  /** Every node, in creation order (a topological order). */
  readonly nodes: Node[] = [];
  /** Data fed at run time (images, targets, learning rate, step). */
  readonly feeds: Value[] = [];
  /** Parameters and buffers by full dotted name. */
  readonly params = new Map<string, Param>();
  /** Constant tensors by the value that reads them (exported as `_c_…` initializers). */
  readonly constants = new Map<Value, TensorData>();
  /** New values of buffers computed by the graph (a BatchNorm's running mean), keyed by buffer name. */
  readonly bufferUpdates = new Map<string, Value>();
  private readonly ops: ReadonlyMap<string, OpDef>;
  private readonly scopes: string[] = [];
  private readonly names = new Set<string>();
  private nextId = 0;

  /** An empty graph whose nodes may use the operators of `ops` (default the built-ins). */
  constructor(ops: ReadonlyMap<string, OpDef> = builtinOps()) {
    this.ops = ops;
  }

  /** The operator record registered under `name`. */
  opDef(name: string): OpDef {
    const def = this.ops.get(name);
    if (def === undefined) throw new MultiraterError('unknown_op', `operator '${name}' is not registered`);
    return def;
  }

  /** Runs `build` with `name` appended to the layer scope; parameters created inside are named `scope.name`. */
  scope<T>(name: string, build: () => T): T {
    this.scopes.push(name);
    try {
      return build();
    } finally {
      this.scopes.pop();
    }
  }

  /** The current scope joined with `name` by dots. */
  scopedName(name: string): string {
    return [...this.scopes, name].join('.');
  }

  /** Declares a value fed at run time. */
  input(name: string, dtype: DType, shape: Shape): Value {
    const v = this.newValue(this.uniqueName(name, true), dtype, shape, null);
    this.feeds.push(v);
    return v;
  }

  /** Declares a parameter named `scope.name`, initialised by `init` (see `initParams`). */
  param(name: string, shape: readonly number[], init: Initializer, options: { trainable?: boolean } = {}): Value {
    const full = this.scopedName(name);
    if (full.startsWith('_'))
      throw new MultiraterError('invalid_argument', `parameter '${full}': names starting with '_' are reserved`);
    if (this.params.has(full)) throw new MultiraterError('duplicate_name', `parameter '${full}' is declared twice`);
    const value = this.newValue(this.uniqueName(full, true), 'float32', shape, null);
    this.params.set(full, { name: full, value, init, trainable: options.trainable ?? true });
    return value;
  }

  /** A constant tensor, written to the model as an initializer (named `_c_…`, apart from parameters). */
  constant(data: TensorData, name = 'const'): Value {
    const v = this.newValue(this.uniqueName(`_c_${name}`, false), data.dtype, data.shape, null);
    this.constants.set(v, data);
    return v;
  }

  /** A scalar constant of `dtype` (float32 unless said), shape []. */
  scalar(x: number, dtype: DType = 'float32'): Value {
    return this.constant(tensorOf(dtype, [x], []), 'scalar');
  }

  /** Records that the graph computes a new value for buffer parameter `name` (an output of a training step). */
  updateBuffer(name: string, next: Value): void {
    const p = this.params.get(name);
    if (p === undefined || p.trainable)
      throw new MultiraterError('unknown_param', `'${name}' is not a buffer parameter`);
    this.bufferUpdates.set(name, next);
  }

  /** Adds a node applying `op` to `inputs`; infers and checks the output shapes. */
  apply(op: string, inputs: readonly (Value | null)[], attrs: Attrs = {}): Value[] {
    const def = this.opDef(op);
    for (const v of inputs) {
      if (v !== null && v.graph !== this)
        throw new MultiraterError('graph_mismatch', `${op}: input ${v.name} belongs to another graph`);
    }
    const types: ValueType[] = def.inferShape(
      inputs.map((v) => (v === null ? null : { dtype: v.dtype, shape: v.shape })),
      attrs,
    );
    const id = this.nextId++;
    const outputs: Value[] = [];
    const node: Node = { id, op, inputs: [...inputs], outputs, attrs };
    types.forEach((t, i) =>
      outputs.push(this.newValue(this.uniqueName(this.scopedName(`${op}${id}_${i}`), false), t.dtype, t.shape, node)),
    );
    this.nodes.push(node);
    return outputs;
  }

  private newValue(name: string, dtype: DType, shape: Shape, producer: Node | null): Value {
    return new Value(this, this.nextId++, name, dtype, [...shape], producer);
  }

  private uniqueName(name: string, strict: boolean): string {
    if (!this.names.has(name)) {
      this.names.add(name);
      return name;
    }
    if (strict) throw new MultiraterError('duplicate_name', `name '${name}' is used twice in the graph`);
    let k = 1;
    while (this.names.has(`${name}_${k}`)) k++;
    this.names.add(`${name}_${k}`);
    return `${name}_${k}`;
  }
}

/** A tensor of `dtype` holding `values` (numbers; int64 converted to bigint). */
export function tensorOf(dtype: DType, values: ArrayLike<number>, shape: readonly number[]): TensorData {
  switch (dtype) {
    case 'float32':
      return { dtype, shape: [...shape], data: Float32Array.from(values) };
    case 'float64':
      return { dtype, shape: [...shape], data: Float64Array.from(values) };
    case 'int64':
      return { dtype, shape: [...shape], data: BigInt64Array.from(Array.from(values, (x) => BigInt(Math.trunc(x)))) };
    case 'int32':
      return { dtype, shape: [...shape], data: Int32Array.from(values) };
    case 'bool':
    case 'uint8':
      return { dtype, shape: [...shape], data: Uint8Array.from(values) };
  }
}
