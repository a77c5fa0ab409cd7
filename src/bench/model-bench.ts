/**
 * The 3D engine benchmark (issue 14): a registered 3D network on one random patch, timed as the PyTorch twin
 * `../shared/tools/pytorch-highres3dnet-bench.py` times HighRes3DNet — batch 1, one input channel, Adam, median
 * seconds of a training step and of an inference pass after warm-ups. HighRes3DNet has the twin's single output
 * channel with binary cross-entropy on logits and lr 1e-4, the target foreground where a uniform draw exceeds 0.9;
 * other networks get two classes and cross-entropy. Also reports the process's peak resident memory.
 */
import { getModel } from '../models/index.ts';
import { benchNetwork, type BenchOptions } from './bench.ts';
import { crossEntropy } from '../nn/index.ts';
import { Prng } from '../nn/index.ts';
import type { TensorData } from '../nn/index.ts';
import { binaryCrossEntropy } from '../losses/index.ts';

/** Options of `benchModel` (`multirater bench --model NAME` for a 3D network): the network, patch and batch. */
export interface ModelBenchOptions extends Pick<BenchOptions, 'threads' | 'warmup' | 'repeats'> {
  /** A registered 3D network (`multirater model list`), e.g. 'highres3dnet' or 'unet3d'. */
  readonly model: string;
  /** Cubic patch side in voxels; default 48. */
  readonly patch?: number;
  /** Patches per batch; default 1. */
  readonly batch?: number;
}

/** What `benchModel` measured, with the settings it ran (defaults filled in). */
export interface ModelBenchResult {
  /** The registered network's name. */
  readonly model: string;
  /** Median seconds of one training step (forward, backward, Adam update). */
  readonly trainStepSeconds: number;
  /** Median seconds of one inference pass. */
  readonly inferenceSeconds: number;
  /** Trainable parameter count. */
  readonly params: number;
  /** Output channels: 1 (binary cross-entropy on logits) for a single-output network, else 2 (cross-entropy). */
  readonly classes: number;
  /** Cubic patch side, voxels. */
  readonly patch: number;
  /** Patches per batch. */
  readonly batch: number;
  /** ONNX Runtime intra-op threads used. */
  readonly threads: number;
  /** Peak resident set size of this process so far, bytes (`process.resourceUsage().maxRSS`). */
  readonly peakRssBytes: number;
}

/** Times `options.model`'s training step and inference on a random patch. */
export async function benchModel(options: ModelBenchOptions): Promise<ModelBenchResult> {
  const spec = getModel(options.model);
  const patch = options.patch ?? 48;
  const batch = options.batch ?? 1;
  const threads = options.threads ?? 2;
  const binary = spec.infoClasses === 1;
  const classes = binary ? 1 : 2;
  const rng = new Prng(0);
  const spatial = Array(spec.dims).fill(patch);
  const n = batch * patch ** spec.dims;
  const x: TensorData = {
    dtype: 'float32',
    shape: [batch, 1, ...spatial],
    data: Float32Array.from({ length: n }, () => rng.normal()),
  };
  const target: TensorData = {
    dtype: 'uint8',
    shape: [batch, ...spatial],
    data: Uint8Array.from({ length: n }, () => (rng.uniform() > 0.9 ? 1 : 0)),
  };
  const times = await benchNetwork(
    {
      build: (v, training) => spec.build(v, classes, training, spec.defaults),
      loss: binary ? binaryCrossEntropy : crossEntropy,
      x,
      target,
      lr: binary ? 1e-4 : 1e-3,
    },
    { ...options, threads },
  );
  return {
    model: spec.name,
    ...times,
    classes,
    patch,
    batch,
    threads,
    peakRssBytes: process.resourceUsage().maxRSS * 1024,
  };
}
