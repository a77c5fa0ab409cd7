/**
 * The one training loop every trainer runs (`train`, `trainAnnotators`, `trainRegistration`): a step per batch at
 * the scheduled learning rate, a refusal of a non-finite loss, the mean of the last 20 losses, step events with an
 * ETA, validation every `validation.every` iterations and at the last one with selection of the best weights by a
 * score (higher is better) and optional early stopping, and a resumable checkpoint (run-state.ts) every
 * `checkpoint.every` iterations, at the last one, at `stopAfter` and after early stopping. Iteration i (0-based)
 * is the (i+1)-th step; the loop draws nothing at random itself, so a trainer whose batches are a pure function of
 * the iteration replays exactly. The trainers pass only what differs: batches, feeds, the validator, what the
 * checkpoint's `trainer.json` holds and how the best weights are kept.
 */
import { performance } from 'node:perf_hooks';
import { MultiraterError } from '../errors.ts';
import type { TensorData, TrainingSession } from '../nn/index.ts';
import { saveRunState, type RunStateCore } from './run-state.ts';

/** The loop's own progress: what a checkpoint must hold for the loop to resume (the trainer adds its own). */
export interface TrainingLoopProgress {
  /** Iterations completed. */
  iteration: number;
  /** The best validation so far: after how many iterations, its score and the checkpoint/ entry of its weights. */
  best: {
    /** Iterations completed when the best validation ran. */
    iteration: number;
    /** Its `validation.score` (higher is better). */
    score: number;
    /** The checkpoint/ entry (file or folder) `validation.saveBest` named for its weights. */
    file: string;
  } | null;
  /** Validations since the last improvement. */
  sinceImprovement: number;
}

/** Validation and selection of the best weights. */
export interface TrainingLoopValidation<V> {
  /** Validates the current weights (every parameter and buffer by name). */
  validate: (params: ReadonlyMap<string, Float32Array>) => Promise<V>;
  /** Validate after every this many iterations (and after the last). */
  every: number;
  /** What selection maximises. */
  score: (v: V) => number;
  /** Keeps the weights of an improved validation after `iteration` iterations in checkpoint/; returns the entry's name. */
  saveBest: (iteration: number, params: ReadonlyMap<string, Float32Array>) => string;
  /** Stop after this many validations without improvement; null never stops early. */
  patience: number | null;
}

/** Resumable checkpoints into `out`/checkpoint/. */
export interface TrainingLoopCheckpoint {
  /** Checkpoint after every this many iterations (and at the last, at `stopAfter` and after early stopping). */
  every: number;
  /** The optimiser's name and options, recorded in the checkpoint. */
  optimizer: {
    /** 'sgd', 'adam', 'adamw' or 'radam' (`Optimizer.name`). */
    name: string;
    /** Hyper-parameters by name (`Optimizer.options`). */
    options: Readonly<Record<string, number | boolean>>;
  };
  /** The inference model of `params`, written beside the engine checkpoint. */
  exportModel: (params: ReadonlyMap<string, Float32Array>) => Uint8Array;
  /** What `trainer.json` holds for `progress`. */
  state: (progress: TrainingLoopProgress) => RunStateCore;
}

/** What every trainer reports after each optimiser step. */
export interface TrainingStepEvent {
  /** After each optimiser step. */
  type: 'step';
  /** The step's 0-based index (iteration i is the (i+1)-th step). */
  iteration: number;
  /** Training loss of the step's batch (the trainer's objective). */
  loss: number;
  /** Learning rate the step used, from the schedule. */
  lr: number;
  /** Wall time since this invocation's training loop started, seconds. */
  elapsedSeconds: number;
  /** Estimated seconds left to this invocation's last step, at its mean step time so far. */
  etaSeconds: number;
}

/** What the loop reports as it goes; V is the validator's result. */
export type TrainingLoopEvent<V> =
  | TrainingStepEvent
  | {
      /** After each validation (every `validation.every` iterations and at the last). */
      type: 'validation';
      /** Iterations completed when it ran. */
      iteration: number;
      /** The validator's result. */
      validation: V;
      /** True when its score beat the best so far (always for the first); its weights were saved. */
      improved: boolean;
    }
  | {
      /** After a resumable checkpoint is written to `out/checkpoint/`. */
      type: 'checkpoint';
      /** Iterations completed when it was written. */
      iteration: number;
    };

/** Options of `runTrainingLoop`: B is a trainer's batch, V its validator's result. */
export interface TrainingLoopOptions<B, V> {
  /** The compiled training session stepped once per iteration (restored already when resuming). */
  session: TrainingSession;
  /** The run's output (model folder), named in errors and holding the checkpoints. */
  out: string;
  /** Iterations of the whole run; the last validates and checkpoints. */
  iterations: number;
  /** End this invocation after this many iterations in all (an interruption); default `iterations`. */
  stopAfter?: number;
  /** The batches of iterations start…end−1 in order (a generator, so the next may be prepared during a step). */
  batches: (start: number, end: number) => AsyncIterable<B> | Iterable<B>;
  /** The session's feeds for `batch` of `iteration`. */
  feeds: (batch: B, iteration: number) => Record<string, TensorData>;
  /** The learning rate at `iteration`. */
  learningRate: (iteration: number) => number;
  /** Where a resumed run stands (the session already restored) and its log lines; default a fresh run. */
  resume?: {
    /** Iterations completed, best validation and validations since it, from the checkpoint's state. */
    progress: TrainingLoopProgress;
    /** The resumed run's log lines so far (JSON, one per step and per validation), continued by this invocation. */
    log: string[];
  };
  /** Validation and selection of the best weights; default none (no validation, nothing selected). */
  validation?: TrainingLoopValidation<V>;
  /** Resumable checkpoints; default none written. */
  checkpoint?: TrainingLoopCheckpoint;
  /** Told of every step, validation and checkpoint; default: nothing. */
  onEvent?: (e: TrainingLoopEvent<V>) => void;
}

/** What `runTrainingLoop` returns when the invocation ends (finished, stopped after `stopAfter`, or stopped early). */
export interface TrainingLoopResult {
  /** Where the run stands: iterations completed, the best validation, validations since it. */
  progress: TrainingLoopProgress;
  /** Log lines (JSON, one per step and per validation), the resumed run's first. */
  log: string[];
  /** True when early stopping (`validation.patience`) ended the run before `iterations`. */
  stoppedEarly: boolean;
  /** Mean training loss over the last (up to) 20 steps of this invocation; null when it took none. */
  recentLoss: number | null;
}

/** Runs the training loop as `options` say; see the file comment. */
export async function runTrainingLoop<B, V>(options: TrainingLoopOptions<B, V>): Promise<TrainingLoopResult> {
  const { session, out, iterations, validation, checkpoint } = options;
  const onEvent = options.onEvent ?? (() => undefined);
  const progress: TrainingLoopProgress = options.resume?.progress ?? { iteration: 0, best: null, sinceImprovement: 0 };
  const log = options.resume?.log ?? [];
  const end = Math.min(iterations, options.stopAfter ?? Infinity);
  const recent: number[] = [];
  let stoppedEarly = false;
  const runStart = performance.now();
  const firstIteration = progress.iteration;
  const save = (c: TrainingLoopCheckpoint): void => {
    const params = session.params();
    const data = { params, optimizerState: session.optimizerState(), step: session.stepCount, optimizer: c.optimizer };
    saveRunState(out, c.exportModel(params), data, c.state(progress), log.map((l) => l + '\n').join(''));
    onEvent({ type: 'checkpoint', iteration: progress.iteration });
  };
  const validate = async (v: TrainingLoopValidation<V>): Promise<void> => {
    const params = session.params();
    const result = await v.validate(params);
    const s = v.score(result);
    const improved = progress.best === null || s > progress.best.score;
    if (improved) {
      const file = v.saveBest(progress.iteration, params);
      progress.best = { iteration: progress.iteration, score: s, file };
      progress.sinceImprovement = 0;
    } else progress.sinceImprovement++;
    log.push(JSON.stringify({ type: 'validation', iteration: progress.iteration, ...result, improved }));
    onEvent({ type: 'validation', iteration: progress.iteration, validation: result, improved });
    if (v.patience !== null && progress.sinceImprovement >= v.patience) stoppedEarly = true;
  };

  if (progress.iteration < end) {
    let i = progress.iteration;
    for await (const batch of options.batches(progress.iteration, end)) {
      const lr = options.learningRate(i);
      const { loss } = await session.step(options.feeds(batch, i), lr);
      if (!Number.isFinite(loss))
        throw new MultiraterError(
          'training_diverged',
          `${out}: loss became ${loss} at iteration ${i}; lower options.lr`,
        );
      progress.iteration = i + 1;
      recent.push(loss);
      if (recent.length > 20) recent.shift();
      log.push(JSON.stringify({ type: 'step', iteration: i, loss, lr }));
      const elapsed = (performance.now() - runStart) / 1000;
      onEvent({
        type: 'step',
        iteration: i,
        loss,
        lr,
        elapsedSeconds: elapsed,
        etaSeconds: (elapsed / (progress.iteration - firstIteration)) * (end - progress.iteration),
      });

      const last = progress.iteration === iterations;
      if (validation !== undefined && (progress.iteration % validation.every === 0 || last)) await validate(validation);
      if (
        checkpoint !== undefined &&
        (progress.iteration % checkpoint.every === 0 || last || stoppedEarly || progress.iteration === end)
      )
        save(checkpoint);
      if (stoppedEarly) break;
      i++;
    }
  }
  return {
    progress,
    log,
    stoppedEarly,
    recentLoss: recent.length === 0 ? null : recent.reduce((a, b) => a + b, 0) / recent.length,
  };
}
