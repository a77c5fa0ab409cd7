/**
 * The operator record: every operator the engine knows is one `OpDef` in a family file (`ops/<family>.ts`),
 * collected by name in `ops/builtins.ts`. A record infers output types, lowers itself to ONNX nodes and states
 * its vector-Jacobian product in terms of other operators.
 */
import type { Node, Value } from '../graph.ts';
import type { DType, Dim } from '../shape.ts';
import type { TensorData } from '../tensor.ts';

/** One attribute's value: a number, a list of numbers, or a string. */
export type AttrValue = number | readonly number[] | string;
/** A node's attributes by name (ONNX names where the attribute is written to ONNX). */
export type Attrs = Readonly<Record<string, AttrValue>>;

/** The type of a value as shape inference sees it. */
export interface ValueType {
  /** Element type. */
  readonly dtype: DType;
  /** Dimensions; a string is symbolic. */
  readonly shape: readonly Dim[];
}

/** How an attribute is written to ONNX (ONNX distinguishes int from float attributes). */
export type AttrKind = 'int' | 'ints' | 'float' | 'floats' | 'string';

/** Writes ONNX nodes for one engine node; names are the ONNX value names. */
export interface OnnxEmitter {
  /** Adds one ONNX node; only the attributes listed in `kinds` are written, typed as it says. */
  node(
    opType: string,
    inputs: readonly string[],
    outputs: readonly string[],
    attrs?: Attrs,
    kinds?: Readonly<Record<string, AttrKind>>,
  ): void;
  /** Adds an initializer and returns its name. */
  constant(data: TensorData): string;
  /** A fresh intermediate value name. */
  fresh(hint: string): string;
  /** The ONNX name of an input (empty string for an omitted optional input). */
  name(v: Value | null): string;
}

/** One operator: its shape rule, its ONNX lowering and its gradient rule. */
export interface OpDef {
  /** Registry key and, unless `toOnnx` says otherwise, the ONNX op type. */
  readonly name: string;
  /** ONNX kind of each attribute this op takes; attributes not listed are engine-only and not written. */
  readonly attrKinds?: Readonly<Record<string, AttrKind>>;
  /** Output types from input types; throws a `shape_error` naming the op and the shapes. */
  inferShape(inputs: readonly (ValueType | null)[], attrs: Attrs): ValueType[];
  /** Lowers the node to ONNX; absent means one ONNX node of the same name with the listed attributes. */
  toOnnx?(node: Node, e: OnnxEmitter): void;
  /**
   * Gradients of the inputs given the gradients of the outputs (`null` where an output does not reach the loss),
   * built from other operators; `null` for an input that takes no gradient. Absent: not differentiable.
   */
  grad?(node: Node, dOut: readonly (Value | null)[]): (Value | null)[];
}
