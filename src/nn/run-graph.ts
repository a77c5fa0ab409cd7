/** One-off evaluation of graph outputs: serialise, compile, run, release. For tests and small jobs. */
import type { Graph, Value } from './graph.ts';
import { toOnnxModel } from './onnx.ts';
import { Session, type SessionOptions } from './session.ts';
import type { TensorData } from './tensor.ts';

/** Options of `runGraph`: the session's, plus parameter values. */
export interface RunGraphOptions extends SessionOptions {
  /** Parameter values as initializers (else parameters must be fed). */
  readonly params?: ReadonlyMap<string, Float32Array>;
}

/** Computes `outputs` of `graph` given `feeds` (by value name). */
export async function runGraph(
  graph: Graph,
  outputs: Readonly<Record<string, Value>>,
  feeds: Readonly<Record<string, TensorData>>,
  options: RunGraphOptions = {},
): Promise<Record<string, TensorData>> {
  const session = await Session.create(toOnnxModel(graph, { outputs, initializers: options.params }), options);
  try {
    const used = Object.fromEntries(session.inputNames.map((n) => [n, feeds[n]]));
    return await session.run(used);
  } finally {
    await session.release();
  }
}
