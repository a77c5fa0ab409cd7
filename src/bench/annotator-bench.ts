/**
 * `multirater bench --model annotator-cm`: the training step of the annotator-CM model (registered unet2d with its
 * defaults plus per-pixel annotator heads, loss annotator-cm-loss.ts with every label present) against the training
 * step of the plain unet2d (cross-entropy) on the same random batch, in the same process. Steps of the two are
 * interleaved after warm-up so both see the same machine load; medians are reported and their ratio.
 * The per-pixel matrices multiply the head's memory by R·L·L: [B, R, L, L, H, W] floats for the matrices and as
 * many for the product before the sum over j.
 */
import { performance } from 'node:perf_hooks';
import { getModel } from '../models/index.ts';
import { Graph } from '../nn/index.ts';
import { initParams } from '../nn/index.ts';
import { crossEntropy } from '../nn/index.ts';
import { adam } from '../nn/index.ts';
import { Prng } from '../nn/index.ts';
import type { TensorData } from '../nn/index.ts';
import { TrainingSession } from '../nn/index.ts';
import { buildAnnotatorLossGraph, LABELS_FEED, MASK_FEED, type AnnotatorGraphConfig } from '../annotators/index.ts';
import { IMAGE_FEED } from '../train/index.ts';
import { roundUp } from '../train/index.ts';

/** Options of `runAnnotatorBench`: the random batch's shape, the matrices' kind and the timing. */
export interface AnnotatorBenchOptions {
  /** Image side in pixels (rounded up to a multiple of 8); default 128. */
  size?: number;
  /** Images per batch; default 16. */
  batch?: number;
  /** Annotators R; default 5. */
  annotators?: number;
  /** Classes L (background included); default 2. */
  classes?: number;
  /** 'pixel' (default) or 'global' matrices. */
  cm?: 'pixel' | 'global';
  /** ONNX Runtime intra-op threads; default 2. */
  threads?: number;
  /** Untimed steps of each model first; default 2. */
  warmup?: number;
  /** Timed steps of each model; default 5 (at least 5). */
  repeats?: number;
}

/** What `runAnnotatorBench` measured, with the settings it ran (defaults filled in). */
export interface AnnotatorBenchResult {
  /** Median seconds of one training step of unet2d. */
  plainStepSeconds: number;
  /** Median seconds of one training step of annotator-cm. */
  annotatorStepSeconds: number;
  /** annotatorStepSeconds / plainStepSeconds. */
  ratio: number;
  /** Trainable parameters of the plain unet2d. */
  plainParams: number;
  /** Trainable parameters of annotator-cm (unet2d plus the annotator heads or global matrices). */
  annotatorParams: number;
  /** Image side asked for, pixels. */
  size: number;
  /** The side trained on: `size` rounded up to the network's divisor. */
  patch: number;
  /** Images per batch. */
  batch: number;
  /** Annotators R. */
  annotators: number;
  /** Classes L, background included. */
  classes: number;
  /** Per-pixel or global matrices. */
  cm: 'pixel' | 'global';
  /** ONNX Runtime intra-op threads of each session. */
  threads: number;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 === 1 ? s[m] : (s[m - 1] + s[m]) / 2;
}

function trainableCount(g: Graph): number {
  return [...g.params.values()]
    .filter((p) => p.trainable)
    .reduce((n, p) => n + p.value.staticShape.reduce((a, b) => a * b, 1), 0);
}

/** Times both training steps; see the file comment. */
export async function runAnnotatorBench(options: AnnotatorBenchOptions = {}): Promise<AnnotatorBenchResult> {
  const size = options.size ?? 128;
  const batch = options.batch ?? 16;
  const R = options.annotators ?? 5;
  const L = options.classes ?? 2;
  const cm = options.cm ?? 'pixel';
  const threads = options.threads ?? 2;
  const warmup = options.warmup ?? 2;
  const repeats = Math.max(5, options.repeats ?? 5);
  const spec = getModel('annotator-cm');
  // Sides are rounded up to the U-Net's divisor (8), as training pads a 28×28 digit to a 32×32 patch.
  const side = roundUp(size, spec.divisor(spec.defaults));
  const config: AnnotatorGraphConfig = {
    model: 'annotator-cm',
    classes: L,
    patchSize: [side, side],
    modelOptions: { ...spec.defaults, annotators: R, cm },
    annotators: {
      method: 'annotator-cm',
      raters: Array.from({ length: R }, (_, r) => `r${r}`),
      cm,
      traceWeight: 0.01,
      cmLoss: 'paper',
      labelsPerImage: 'all',
      oracle: null,
    },
  };
  const rng = new Prng(0);
  const pixels = batch * side * side;
  const image: TensorData = {
    dtype: 'float32',
    shape: [batch, 1, side, side],
    data: Float32Array.from({ length: pixels }, () => rng.normal()),
  };
  const labels: TensorData = {
    dtype: 'uint8',
    shape: [batch, R, side, side],
    data: Uint8Array.from({ length: pixels * R }, () => Math.floor(rng.uniform() * L)),
  };
  const mask: TensorData = { dtype: 'float32', shape: [batch, R], data: new Float32Array(batch * R).fill(1) };
  const label: TensorData = {
    dtype: 'uint8',
    shape: [batch, side, side],
    data: (labels.data as Uint8Array).subarray(0, pixels),
  };

  const pg = new Graph();
  const x = pg.input(IMAGE_FEED, 'float32', image.shape);
  const plainLoss = crossEntropy(
    getModel('unet2d').build(x, L, true, getModel('unet2d').defaults),
    pg.input('label', 'uint8', label.shape),
  );
  const plainParams = trainableCount(pg);
  const plain = await TrainingSession.create(pg, plainLoss, { optimizer: adam(), params: initParams(pg, 0), threads });
  const { graph, loss } = buildAnnotatorLossGraph(config, batch, true);
  const annotatorParams = trainableCount(graph);
  const ours = await TrainingSession.create(graph, loss, { optimizer: adam(), params: initParams(graph, 0), threads });
  const plainTimes: number[] = [];
  const ourTimes: number[] = [];
  try {
    for (let i = 0; i < warmup + repeats; i++) {
      let t0 = performance.now();
      await plain.step({ [IMAGE_FEED]: image, label }, 1e-3);
      if (i >= warmup) plainTimes.push((performance.now() - t0) / 1000);
      t0 = performance.now();
      await ours.step({ [IMAGE_FEED]: image, [LABELS_FEED]: labels, [MASK_FEED]: mask }, 1e-3);
      if (i >= warmup) ourTimes.push((performance.now() - t0) / 1000);
    }
  } finally {
    await plain.release();
    await ours.release();
  }
  const plainStepSeconds = median(plainTimes);
  const annotatorStepSeconds = median(ourTimes);
  return {
    plainStepSeconds,
    annotatorStepSeconds,
    ratio: annotatorStepSeconds / plainStepSeconds,
    plainParams,
    annotatorParams,
    size,
    patch: side,
    batch,
    annotators: R,
    classes: L,
    cm,
    threads,
  };
}
