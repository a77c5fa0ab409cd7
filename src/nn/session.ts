/**
 * The one door to ONNX Runtime (onnxruntime-node): sessions created from model bytes with a thread count and an
 * execution provider, runs on host tensors, and a cache that compiles a graph once per input-shape signature.
 * Another runtime (onnxruntime-web, a GPU build) means replacing this file only.
 *
 * Execution providers: 'cpu' is the default and the tested one; 'cuda' is passed through untested and needs a
 * user-installed CUDA build of onnxruntime-node.
 */
import * as ort from 'onnxruntime-node';
import { MultiraterError } from '../errors.ts';
import { physicalCores } from '../cores.ts';
import type { DType } from './shape.ts';
import type { TensorData } from './tensor.ts';

/** Options of `Session.create` (and `SessionCache`, `runGraph`). */
export interface SessionOptions {
  /** Intra-op threads; default: the machine's physical cores. */
  readonly threads?: number;
  /** Default 'cpu'. 'cuda' is untested here. */
  readonly executionProvider?: 'cpu' | 'cuda';
  /** Let idle pool threads spin-wait for work (ONNX Runtime's default, true); false yields the cores at once. */
  readonly spinning?: boolean;
}

const ortType: Record<DType, ort.Tensor.Type> = {
  float32: 'float32',
  float64: 'float64',
  int64: 'int64',
  int32: 'int32',
  bool: 'bool',
  uint8: 'uint8',
};

function toOrt(t: TensorData): ort.Tensor {
  return new ort.Tensor(ortType[t.dtype], t.data, [...t.shape]);
}

function fromOrt(t: ort.Tensor): TensorData {
  const dtype = (Object.keys(ortType) as DType[]).find((k) => ortType[k] === t.type);
  if (dtype === undefined)
    throw new MultiraterError('runtime_error', `ONNX Runtime returned an unsupported tensor type ${t.type}`);
  return { dtype, shape: t.dims.map(Number), data: t.data as TensorData['data'] };
}

/** A compiled ONNX model on ONNX Runtime; made by `Session.create`, freed by `release`. */
export class Session {
  private constructor(
    private readonly session: ort.InferenceSession,
    /** Intra-op threads the session was created with. */
    readonly threads: number,
  ) {}

  /** Compiles `model` (ONNX bytes). */
  static async create(model: Uint8Array, options: SessionOptions = {}): Promise<Session> {
    const threads = options.threads ?? physicalCores();
    try {
      const session = await ort.InferenceSession.create(model, {
        executionProviders: [options.executionProvider ?? 'cpu'],
        intraOpNumThreads: threads,
        interOpNumThreads: 1,
        executionMode: 'sequential',
        graphOptimizationLevel: 'all',
        extra: options.spinning === false ? { session: { intra_op: { allow_spinning: '0' } } } : {},
      });
      return new Session(session, threads);
    } catch (err) {
      throw new MultiraterError('runtime_error', `ONNX Runtime rejected the model: ${(err as Error).message}`);
    }
  }

  /** Names of the model's inputs, each of which `run` must be fed. */
  get inputNames(): readonly string[] {
    return this.session.inputNames;
  }

  /** Names of the model's outputs, in model order. */
  get outputNames(): readonly string[] {
    return this.session.outputNames;
  }

  /**
   * Runs once. `feeds` must hold every model input; `outputs` lists fetches (default all). A fetch may be given
   * as a tensor to write into (pre-allocated, same dtype and shape), or `null` to have it allocated.
   */
  async run(
    feeds: Readonly<Record<string, TensorData>>,
    outputs?: readonly string[] | Readonly<Record<string, TensorData | null>>,
  ): Promise<Record<string, TensorData>> {
    const ortFeeds: Record<string, ort.Tensor> = {};
    for (const name of this.session.inputNames) {
      const t = feeds[name];
      if (t === undefined) throw new MultiraterError('invalid_argument', `model input '${name}' was not fed`);
      ortFeeds[name] = toOrt(t);
    }
    let fetches: string[] | Record<string, ort.Tensor | null>;
    if (outputs === undefined) fetches = [...this.session.outputNames];
    else if (Array.isArray(outputs)) fetches = [...(outputs as readonly string[])];
    else
      fetches = Object.fromEntries(
        Object.entries(outputs as Record<string, TensorData | null>).map(([k, t]) => [k, t === null ? null : toOrt(t)]),
      );
    let result: ort.InferenceSession.ReturnType;
    try {
      result = await this.session.run(ortFeeds, fetches);
    } catch (err) {
      throw new MultiraterError('runtime_error', `ONNX Runtime run failed: ${(err as Error).message}`);
    }
    const out: Record<string, TensorData> = {};
    for (const [k, v] of Object.entries(result)) out[k] = fromOrt(v as ort.Tensor);
    return out;
  }

  /** Frees the native session; the object is unusable afterwards. */
  async release(): Promise<void> {
    await this.session.release();
  }
}

/** Compiles a model once per shape signature and reuses the session. */
export class SessionCache {
  private readonly sessions = new Map<string, Promise<Session>>();

  /** An empty cache whose sessions are all created with `options`. */
  constructor(private readonly options: SessionOptions = {}) {}

  /** The session for `signature`, built from `build()` on first use. */
  get(signature: string, build: () => Uint8Array): Promise<Session> {
    let s = this.sessions.get(signature);
    if (s === undefined) {
      s = Session.create(build(), this.options);
      this.sessions.set(signature, s);
    }
    return s;
  }

  /** Number of sessions compiled so far. */
  get size(): number {
    return this.sessions.size;
  }

  /** Releases every cached session and empties the cache. */
  async release(): Promise<void> {
    for (const s of this.sessions.values()) await (await s).release();
    this.sessions.clear();
  }
}

/** A signature string for a set of feeds: names, dtypes and shapes. */
export function shapeSignature(feeds: Readonly<Record<string, TensorData>>): string {
  return Object.keys(feeds)
    .sort()
    .map((k) => `${k}:${feeds[k].dtype}[${feeds[k].shape.join(',')}]`)
    .join(';');
}
