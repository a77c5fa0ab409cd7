/**
 * The engine benchmark: the pinned 2-D U-Net of issue 6 and `../shared/tools/pytorch-unet-bench.py` (levels
 * 32-64-128-256, each two [conv3×3 → BatchNorm → ReLU], 2×2 max-pool down, 2×2 stride-2 transposed conv up, skip
 * concatenation, 1×1 head to 4 classes; cross-entropy; Adam lr 1e-3), timed as median seconds of a training step
 * and of an inference pass after warm-up runs. Another network (4 classes, same loss, optimiser and data) can be
 * timed by passing its builder (`multirater bench --model NAME`).
 */
import { performance } from 'node:perf_hooks';
import { F } from '../nn/index.ts';
import { Graph, type Value } from '../nn/index.ts';
import { initParams } from '../nn/index.ts';
import { batchNormLayer, convLayer, convTransposeLayer } from '../nn/index.ts';
import { crossEntropy } from '../nn/index.ts';
import { toOnnxModel } from '../nn/index.ts';
import { adam } from '../nn/index.ts';
import { Prng } from '../nn/index.ts';
import { Session } from '../nn/index.ts';
import { int64, type TensorData } from '../nn/index.ts';
import { TrainingSession } from '../nn/index.ts';

/** Options of `runBench` (`multirater bench`): the random batch's shape, threads, timing and the network. */
export interface BenchOptions {
  /** Image side in pixels; default 128. */
  readonly size?: number;
  /** Images per batch; default 8. */
  readonly batch?: number;
  /** ONNX Runtime intra-op threads; default 2. */
  readonly threads?: number;
  /** Untimed runs first; default 2. */
  readonly warmup?: number;
  /** Timed runs; default 5 (at least 5). */
  readonly repeats?: number;
  /** Told what is being done, at each phase and run (for a progress line: building, warm-up, timing k/n). */
  readonly onProgress?: (message: string) => void;
  /** The network to time, x [N, 1, H, W] → logits [N, 4, H, W]; default the pinned U-Net (`benchUnet`). */
  readonly build?: (x: Value, training: boolean) => Value;
}

/** What `runBench` measured, with the settings it ran (defaults filled in). */
export interface BenchResult {
  /** Median seconds of one training step (forward, backward, Adam update). */
  readonly trainStepSeconds: number;
  /** Median seconds of one inference pass (BatchNorm in inference mode). */
  readonly inferenceSeconds: number;
  /** Trainable parameter count. */
  readonly params: number;
  /** ONNX Runtime intra-op threads used. */
  readonly threads: number;
  /** Image side, pixels. */
  readonly size: number;
  /** Images per batch. */
  readonly batch: number;
}

const LEVELS = [32, 64, 128, 256];
const CLASSES = 4;

function block(name: string, x: Value, channels: number, training: boolean): Value {
  let h = x;
  for (const i of [1, 2]) {
    h = convLayer(`${name}.conv${i}`, h, { outChannels: channels, kernel: [3, 3], padding: [1, 1] });
    h = F.relu(batchNormLayer(`${name}.bn${i}`, h, { training }));
  }
  return h;
}

/** The pinned benchmark U-Net on x [N, 1, H, W] → logits [N, 4, H, W]. */
export function benchUnet(x: Value, training: boolean): Value {
  const skips: Value[] = [];
  let h = x;
  LEVELS.forEach((c, i) => {
    h = block(`down${i}`, h, c, training);
    if (i < LEVELS.length - 1) {
      skips.push(h);
      h = F.maxPool(h, { kernel: [2, 2] });
    }
  });
  LEVELS.slice(0, -1)
    .reverse()
    .forEach((c, i) => {
      const up = convTransposeLayer(`up${i}`, h, { outChannels: c, kernel: [2, 2], stride: [2, 2] });
      h = block(`dec${i}`, F.concat([up, skips.pop() as Value], 1), c, training);
    });
  return convLayer('head', h, { outChannels: CLASSES, kernel: [1, 1] });
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 === 1 ? s[m] : (s[m - 1] + s[m]) / 2;
}

async function timed(
  what: string,
  runs: number,
  warmup: number,
  fn: () => Promise<unknown>,
  onProgress: (message: string) => void,
): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < warmup + runs; i++) {
    onProgress(i < warmup ? `${what}: warm-up ${i + 1}/${warmup}` : `${what}: timed run ${i - warmup + 1}/${runs}`);
    const t0 = performance.now();
    await fn();
    if (i >= warmup) times.push((performance.now() - t0) / 1000);
  }
  return median(times);
}

/** A network to time: its graphs, loss, feeds and learning rate. */
export interface NetworkBenchSpec {
  /** Logits of x; `training` picks batch statistics (training step) or running statistics (inference). */
  build(x: Value, training: boolean): Value;
  /** The scalar loss of the logits against the `target` feed. */
  loss(logits: Value, target: Value): Value;
  /** The image fed as `x`, [N, 1, spatial…]. */
  readonly x: TensorData;
  /** The label map fed as `target`. */
  readonly target: TensorData;
  /** Adam's learning rate. */
  readonly lr: number;
}

/** What `benchNetwork` measures. */
export interface NetworkBenchTimes {
  /** Median seconds of one training step (forward, backward, Adam update). */
  readonly trainStepSeconds: number;
  /** Median seconds of one inference pass (normalisation in inference mode). */
  readonly inferenceSeconds: number;
  /** Trainable parameter count. */
  readonly params: number;
}

/** Times a training step (Adam) and an inference pass of `spec`'s network. */
export async function benchNetwork(
  spec: NetworkBenchSpec,
  options: Pick<BenchOptions, 'threads' | 'warmup' | 'repeats' | 'onProgress'> = {},
): Promise<NetworkBenchTimes> {
  const threads = options.threads ?? 2;
  const warmup = options.warmup ?? 2;
  const repeats = Math.max(5, options.repeats ?? 5);
  const progress = options.onProgress ?? (() => undefined);
  const { x, target } = spec;
  const g = new Graph();
  const loss = spec.loss(
    spec.build(g.input('x', 'float32', x.shape), true),
    g.input('target', target.dtype, target.shape),
  );
  const params = initParams(g, 0);
  const paramCount = [...g.params.values()]
    .filter((p) => p.trainable)
    .reduce((n, p) => n + p.value.staticShape.reduce((a, b) => a * b, 1), 0);
  progress('training step: building the graph and the ONNX Runtime session');
  const trainer = await TrainingSession.create(g, loss, { optimizer: adam(), params, threads });
  const trainStepSeconds = await timed(
    'training step',
    repeats,
    warmup,
    () => trainer.step({ x, target }, spec.lr),
    progress,
  );
  const trained = trainer.params();
  await trainer.release();

  const ig = new Graph();
  const logits = spec.build(ig.input('x', 'float32', x.shape), false);
  progress('inference: building the session');
  const infer = await Session.create(toOnnxModel(ig, { outputs: { logits }, initializers: trained }), { threads });
  const inferenceSeconds = await timed('inference', repeats, warmup, () => infer.run({ x }), progress);
  await infer.release();
  return { trainStepSeconds, inferenceSeconds, params: paramCount };
}

/** Times the pinned U-Net's training step and inference on random data. */
export async function runBench(options: BenchOptions = {}): Promise<BenchResult> {
  const size = options.size ?? 128;
  const batch = options.batch ?? 8;
  const threads = options.threads ?? 2;
  const rng = new Prng(0);
  const x: TensorData = {
    dtype: 'float32',
    shape: [batch, 1, size, size],
    data: Float32Array.from({ length: batch * size * size }, () => rng.normal()),
  };
  const target = int64(
    Array.from({ length: batch * size * size }, () => Math.floor(rng.uniform() * CLASSES)),
    [batch, size, size],
  );
  const times = await benchNetwork(
    { build: options.build ?? benchUnet, loss: crossEntropy, x, target, lr: 1e-3 },
    { ...options, threads },
  );
  return { ...times, threads, size, batch };
}
