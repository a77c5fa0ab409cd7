/**
 * The learned registration model's graphs and tensors: the VoxelMorph network (`models/voxelmorph.ts`) with its
 * training loss — similarity (local NCC, window 9, or MSE) between the fixed and the warped moving image, plus
 * λ · l2 smoothness of the pre-integration velocity, plus (optionally) w · soft Dice between the fixed labels and
 * the moving labels' one-hot maps warped by the same field — and the forward-only export. Images are fed as
 * [N, 1, (D,) H, W] with each side padded (zeros, at the end) to a multiple of 16; intensities are scaled per frame
 * to [0, 1] by the frame's maximum.
 */
import { F } from '../nn/index.ts';
import { Graph, type Value } from '../nn/index.ts';
import { toOnnxModel } from '../nn/index.ts';
import { gradL2Loss, nccLoss, softDiceOverlapLoss } from '../losses/index.ts';
import { warp2d, warp3d } from '../nn/index.ts';
import { voxelMorph, voxelMorphDivisor, type ResolvedVoxelMorphOptions } from '../models/index.ts';

/** Everything needed to rebuild the model; written as `registration.json` beside `model.onnx`. */
export interface LearnedRegistrationConfig {
  /** 2: slice-wise on [i, j] slices; 3: whole volumes. */
  dims: 2 | 3;
  /** The VoxelMorph network's resolved settings (encoder and decoder channels, scaling-and-squaring steps; `models/voxelmorph.ts`). */
  network: ResolvedVoxelMorphOptions;
  /** Padded tensor shape of one image, spatial axes in tensor order ((D,) H, W) = NIfTI order reversed. */
  tensorShape: number[];
  /** Image similarity term. */
  similarity: 'ncc' | 'mse';
  /** NCC window side, voxels (9). */
  nccWindow: number;
  /** Weight of the l2 smoothness of the velocity field (0.01). */
  smoothnessWeight: number;
  /** Weight of the Dice term on warped one-hot labels (0.01), or 0 for none. */
  segmentationWeight: number;
  /** Label classes (background included) of the Dice term. */
  classes: number;
}

/** Feed of the moving images, float32 [N, 1, (D,) H, W], scaled to [0, 1] and zero-padded (`tensorShape`). */
export const MOVING_FEED = 'moving';
/** Feed of the fixed images, as `MOVING_FEED`. */
export const FIXED_FEED = 'fixed';
/** Training feed of the moving labels' one-hot maps, float32 [N, classes, (D,) H, W] (only with the Dice term). */
export const MOVING_LABELS_FEED = 'moving_labels';
/** Training feed of the fixed labels' one-hot maps, as `MOVING_LABELS_FEED`. */
export const FIXED_LABELS_FEED = 'fixed_labels';
/** Training feed of the Dice term's weight w, a float32 scalar: `segmentationWeight` on labelled batches, 0 on the others. */
export const SEGMENTATION_WEIGHT_FEED = 'segmentation_weight';
/** Output displacement, float32 [N, dims, (D,) H, W] in voxels; channel c runs along tensor axis c (NIfTI axes reversed). */
export const FLOW_OUTPUT = 'flow';

/** `n` rounded up to a multiple of the network's divisor. */
export function paddedSide(n: number, network: ResolvedVoxelMorphOptions): number {
  const d = voxelMorphDivisor(network);
  return Math.ceil(n / d) * d;
}

/** The training graph for `batch` pairs and its loss. */
export function registrationLossGraph(config: LearnedRegistrationConfig, batch: number): { graph: Graph; loss: Value } {
  const graph = new Graph();
  const shape = [batch, 1, ...config.tensorShape];
  const moving = graph.input(MOVING_FEED, 'float32', shape);
  const fixed = graph.input(FIXED_FEED, 'float32', shape);
  const { flow, velocity, warped } = voxelMorph(moving, fixed, config.network);
  const similarity =
    config.similarity === 'ncc'
      ? nccLoss(fixed, warped, config.nccWindow)
      : F.reduceMean(
          F.pow(F.sub(fixed, warped), 2),
          shape.map((_, i) => i),
          false,
        );
  let loss = F.add(similarity, F.mul(gradL2Loss(velocity), graph.scalar(config.smoothnessWeight)));
  if (config.segmentationWeight > 0) {
    const labelShape = [batch, config.classes, ...config.tensorShape];
    const movingLabels = graph.input(MOVING_LABELS_FEED, 'float32', labelShape);
    const fixedLabels = graph.input(FIXED_LABELS_FEED, 'float32', labelShape);
    const weight = graph.input(SEGMENTATION_WEIGHT_FEED, 'float32', []);
    const warpedLabels = config.dims === 2 ? warp2d(movingLabels, flow) : warp3d(movingLabels, flow);
    loss = F.add(loss, F.mul(softDiceOverlapLoss(warpedLabels, fixedLabels), weight));
  }
  return { graph, loss };
}

/** The inference model (any batch size): moving, fixed → flow [N, dims, …] in voxels, parameters baked in. */
export function registrationInferenceModel(
  config: LearnedRegistrationConfig,
  params: ReadonlyMap<string, Float32Array>,
): Uint8Array {
  const graph = new Graph();
  const shape = ['N', 1, ...config.tensorShape];
  const moving = graph.input(MOVING_FEED, 'float32', shape);
  const fixed = graph.input(FIXED_FEED, 'float32', shape);
  const { flow } = voxelMorph(moving, fixed, config.network);
  return toOnnxModel(graph, {
    outputs: { [FLOW_OUTPUT]: flow },
    initializers: params,
    name: 'voxelmorph',
    metadata: { multirater: JSON.stringify(config) },
  });
}

/** Frame intensities scaled to [0, 1] by the maximum (0 stays 0; a blank frame stays blank). */
export function normalizeFrame(data: ArrayLike<number>): Float32Array {
  let max = 0;
  for (let p = 0; p < data.length; p++) if (data[p] > max) max = data[p];
  const out = new Float32Array(data.length);
  const scale = max > 0 ? 1 / max : 0;
  for (let p = 0; p < data.length; p++) out[p] = Math.max(0, data[p] * scale);
  return out;
}

/**
 * Calls `row(s, d)` for each row of a [nx, ny(, nz)] NIfTI-ordered array (i fastest): `s` where the row starts in the
 * array, `d` where it starts in tensor data at `offset` padded to ((Dp,) Hp, Wp), rows to Wp and slices to Hp.
 */
function paddedRows(
  spatial: readonly number[],
  tensorShape: readonly number[],
  offset: number,
  row: (s: number, d: number) => void,
): void {
  const nx = spatial[0];
  const ny = spatial[1];
  const nz = spatial[2] ?? 1;
  const wp = tensorShape[tensorShape.length - 1];
  const hp = tensorShape[tensorShape.length - 2];
  for (let k = 0; k < nz; k++) for (let j = 0; j < ny; j++) row((k * ny + j) * nx, offset + (k * hp + j) * wp);
}

/**
 * Copies a [nx, ny(, nz)] NIfTI-ordered array (i fastest) into `dst` at `offset`, zero-padded to the tensor shape
 * ((Dp,) Hp, Wp) — the same memory order, rows padded to Wp and slices to Hp.
 */
export function padInto(
  src: ArrayLike<number>,
  spatial: readonly number[],
  tensorShape: readonly number[],
  dst: Float32Array,
  offset: number,
): void {
  const nx = spatial[0];
  paddedRows(spatial, tensorShape, offset, (s, d) => {
    for (let i = 0; i < nx; i++) dst[d + i] = src[s + i];
  });
}

/** The inverse of `padInto`: the [nx, ny(, nz)] block of channel data at `offset`. */
export function cropFrom(
  src: Float32Array,
  offset: number,
  spatial: readonly number[],
  tensorShape: readonly number[],
): Float32Array {
  const nx = spatial[0];
  const out = new Float32Array(nx * spatial[1] * (spatial[2] ?? 1));
  paddedRows(spatial, tensorShape, offset, (s, d) => out.set(src.subarray(d, d + nx), s));
  return out;
}
