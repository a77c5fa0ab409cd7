/**
 * A training session: owns the parameters and optimiser state on the host, runs one training step per
 * `session.run`, and swaps double buffers (each step reads buffer A and ONNX Runtime writes buffer B in place).
 */
import { MultiraterError } from '../errors.ts';
import type { Graph, Value } from './graph.ts';
import type { Optimizer } from './optimizers.ts';
import { Session, type SessionOptions } from './session.ts';
import type { TensorData } from './tensor.ts';
import {
  buildTrainStep,
  LOSS_OUTPUT,
  LR_FEED,
  OPTIMIZER_FEED_PREFIX,
  STEP_FEED,
  type TrainStepModel,
  type TrainStepOptions,
} from './train-step.ts';

/** Options of `TrainingSession.create`: the step's, the session's, and the initial parameters. */
export interface TrainingSessionOptions extends TrainStepOptions, SessionOptions {
  /** Initial parameter values by name (see `initParams`). */
  readonly params: ReadonlyMap<string, Float32Array>;
}

/** What `TrainingSession.step` returns. */
export interface StepResult {
  /** The batch's loss at the parameters before this step's update. */
  readonly loss: number;
  /** The extra fetches (`TrainStepOptions.extras`) by name, at the same parameters. */
  readonly extras: Readonly<Record<string, TensorData>>;
}

interface Slot {
  readonly input: string;
  readonly output: string | null;
  readonly shape: number[];
  cur: Float32Array;
  next: Float32Array;
}

/** The training loop's engine (see the file comment); made by `TrainingSession.create`, freed by `release`. */
export class TrainingSession {
  private readonly slots = new Map<string, Slot>();
  private steps = 0;

  private constructor(
    private readonly session: Session,
    private readonly spec: TrainStepModel,
    private readonly optimizer: Optimizer,
    graph: Graph,
    params: ReadonlyMap<string, Float32Array>,
  ) {
    for (const [name, input] of spec.paramInputs) {
      const p = graph.params.get(name) as { value: Value };
      const init = params.get(name);
      if (init === undefined) throw new MultiraterError('unknown_param', `no initial value for parameter '${name}'`);
      const shape = p.value.staticShape;
      this.slots.set(name, {
        input,
        output: spec.paramOutputs.get(name) ?? null,
        shape,
        cur: init.slice(),
        next: new Float32Array(init.length),
      });
    }
    for (const [key, [input, output]] of spec.state) {
      const param = this.slots.get(spec.stateParam.get(key) as string) as Slot;
      this.slots.set(key, {
        input,
        output,
        shape: param.shape,
        cur: new Float32Array(param.cur.length),
        next: new Float32Array(param.cur.length),
      });
    }
  }

  /** Appends the backward pass and update to `graph`, compiles the step and takes ownership of `params`. */
  static async create(graph: Graph, loss: Value, options: TrainingSessionOptions): Promise<TrainingSession> {
    const spec = buildTrainStep(graph, loss, options);
    const session = await Session.create(spec.model, options);
    return new TrainingSession(session, spec, options.optimizer, graph, options.params);
  }

  /** Steps taken so far. */
  get stepCount(): number {
    return this.steps;
  }

  /** Runs one training step on `batch` (feeds by input name) with learning rate `lr`. */
  async step(batch: Readonly<Record<string, TensorData>>, lr: number): Promise<StepResult> {
    const feeds: Record<string, TensorData> = { ...batch };
    feeds[LR_FEED] = { dtype: 'float32', shape: [], data: Float32Array.of(lr) };
    feeds[STEP_FEED] = { dtype: 'float32', shape: [], data: Float32Array.of(this.steps + 1) };
    for (const [k, v] of Object.entries(this.optimizer.stepScalars(this.steps + 1))) {
      feeds[`${OPTIMIZER_FEED_PREFIX}${k}`] = { dtype: 'float32', shape: [], data: Float32Array.of(v) };
    }
    const fetches: Record<string, TensorData | null> = {};
    for (const s of this.slots.values()) {
      feeds[s.input] = { dtype: 'float32', shape: s.shape, data: s.cur };
      if (s.output !== null) fetches[s.output] = { dtype: 'float32', shape: s.shape, data: s.next };
    }
    fetches[LOSS_OUTPUT] = { dtype: 'float32', shape: [], data: new Float32Array(1) };
    for (const k of this.spec.extras) fetches[k] = null;
    const out = await this.session.run(feeds, fetches);
    const extras: Record<string, TensorData> = {};
    for (const k of this.spec.extras) extras[k] = out[k];
    for (const s of this.slots.values()) {
      if (s.output === null) continue;
      const t = s.cur;
      s.cur = s.next;
      s.next = t;
    }
    this.steps++;
    return { loss: (out[LOSS_OUTPUT].data as Float32Array)[0], extras };
  }

  /** Current parameter values (copies), by parameter name. */
  params(): Map<string, Float32Array> {
    return new Map([...this.spec.paramInputs.keys()].map((k) => [k, (this.slots.get(k) as Slot).cur.slice()]));
  }

  /** Current optimiser state (copies), by `param@slot`. */
  optimizerState(): Map<string, Float32Array> {
    return new Map([...this.spec.state.keys()].map((k) => [k, (this.slots.get(k) as Slot).cur.slice()]));
  }

  /** Replaces parameters, optimiser state and step count (resuming from a checkpoint). */
  restore(
    params: ReadonlyMap<string, Float32Array>,
    state: ReadonlyMap<string, Float32Array>,
    stepCount: number,
  ): void {
    for (const [k, v] of [...params, ...state]) {
      const s = this.slots.get(k);
      if (s === undefined)
        throw new MultiraterError(
          'invalid_checkpoint',
          `checkpoint holds '${k}', which this training graph does not have`,
        );
      if (s.cur.length !== v.length)
        throw new MultiraterError('invalid_checkpoint', `'${k}': ${v.length} values, expected ${s.cur.length}`);
      s.cur.set(v);
    }
    for (const k of this.slots.keys()) {
      if (!params.has(k) && !state.has(k)) throw new MultiraterError('invalid_checkpoint', `checkpoint lacks '${k}'`);
    }
    this.steps = stepCount;
  }

  /** Frees the ONNX Runtime session; `step` cannot run afterwards. */
  async release(): Promise<void> {
    await this.session.release();
  }
}
