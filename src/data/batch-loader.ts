/**
 * Batches prepared while the previous training step runs.
 *
 * Design: in Node, ONNX Runtime's `session.run` is asynchronous and computes on native threads; while the caller
 * awaits it, the JavaScript thread is idle. `batches()` is an async generator that, as it hands out batch k, starts
 * preparing batch k + 1 one sample per macrotask (`setImmediate`), so that work fills the idle JavaScript thread
 * during step k and the engine's completion callback is never held back by more than one sample. When the caller
 * asks for batch k + 1 it is usually ready. Worker threads would add real parallelism but, on the 2 cores the
 * engine already uses, only contention; prefetching one batch on the main thread is enough as long as preparing a
 * batch takes less time than a step (see scripts/bench-batches.ts).
 * Every batch is newly allocated, so batch k + 1 never overwrites arrays the engine may still be reading for step k.
 * Order is a pure function of (seed, iteration) (see prepare-batch.ts): resuming at iteration k after a crash
 * yields the same bytes as an uninterrupted run. The epoch of iteration k is ⌊k / iterationsPerEpoch⌋, as nnU-Net;
 * samples are drawn with replacement, so no per-epoch state needs restoring.
 */
import { MultiraterError } from '../errors.ts';
import {
  allocateBatch,
  prepareBatch,
  prepareSample,
  resolveBatchOptions,
  type Batch,
  type BatchOptions,
} from './prepare-batch.ts';
import { buildSamplingPool, type PoolCase } from './sampling-pool.ts';
import type { TrainingCase } from './training-cases.ts';

/** Which iterations `BatchLoader.batches` yields: `start` up to but not including `end`. */
export interface BatchRange {
  /** First iteration to yield (resume point); default 0. */
  start?: number;
  /** Iteration to stop before; default: never stop. */
  end?: number;
}

/** Draws training batches from a fixed set of cases; stateless apart from the index it builds once. */
export class BatchLoader {
  /** The cases indexed for sampling. */
  readonly pool: PoolCase[];
  private readonly options: Required<BatchOptions>;

  /** Indexes `cases` for sampling (arrays shared, not copied); `invalid_argument` on bad `options` or no cases. */
  constructor(cases: readonly TrainingCase[], options: BatchOptions) {
    this.options = resolveBatchOptions(options);
    this.pool = buildSamplingPool(cases);
  }

  /** Batch `iteration`, prepared now. */
  batch(iteration: number): Batch {
    return prepareBatch(this.pool, this.options, iteration);
  }

  /** Batch `iteration`, one sample per macrotask so other callbacks (the engine's) run in between. */
  async prepare(iteration: number): Promise<Batch> {
    checkIteration(iteration);
    const batch = allocateBatch(this.options, iteration);
    for (let b = 0; b < this.options.batchSize; b++) {
      await new Promise<void>((resolve) => setImmediate(resolve));
      prepareSample(this.pool, this.options, batch, b);
    }
    return batch;
  }

  /** Batches `start`, `start + 1`, … in order; the next one is prepared while the caller works on the current. */
  async *batches(range: BatchRange = {}): AsyncGenerator<Batch, void, undefined> {
    const start = range.start ?? 0;
    const end = range.end ?? Infinity;
    checkIteration(start);
    if (start >= end) return;
    let next = this.prepare(start);
    for (let k = start; k < end; k++) {
      const batch = await next;
      if (k + 1 < end) {
        next = this.prepare(k + 1);
        // Marked handled now: if the caller stops early the failure is dropped; otherwise the await above rethrows it.
        next.catch(() => undefined);
      }
      yield batch;
    }
  }
}

function checkIteration(iteration: number): void {
  if (!Number.isInteger(iteration) || iteration < 0) {
    throw new MultiraterError('invalid_argument', `iteration must be a non-negative integer, got ${iteration}`);
  }
}
