/**
 * VoxelMorph (Balakrishnan et al. 2019, IEEE TMI 38(8); diffeomorphic variant: Dalca et al. 2019, MedIA 57): a
 * U-Net on the moving and fixed images stacked as two channels — encoder convolutions 16-32-32-32 each followed by
 * 2× max-pooling, decoder 32-32-32-32 each followed by nearest 2× up-sampling and concatenation with the skip of
 * that resolution, then 32-16-16 at full resolution; 3×3(×3) convolutions with LeakyReLU 0.2 — and a flow
 * convolution initialised N(0, 1e-5) giving a stationary velocity field, resized to half resolution, integrated by
 * scaling and squaring (7 steps) and resized back: a diffeomorphic displacement field (voxels) that the spatial
 * transformer (border padding) applies to the moving image. As VoxelMorph's VxmDense(int_steps=7, int_downsize=2).
 */
import { MultiraterError } from '../errors.ts';
import { F } from '../nn/index.ts';
import type { Value } from '../nn/index.ts';
import { zeros } from '../nn/index.ts';
import { convLayer } from '../nn/index.ts';
import { scalingAndSquaring, warp2d, warp3d } from '../nn/index.ts';
import { cube } from './blocks.ts';

/** Options of `voxelMorph`; each input side must be a multiple of `voxelMorphDivisor`. */
export interface VoxelMorphOptions {
  /** Spatial axes: 2 (slices) or 3 (volumes). */
  readonly dims: 2 | 3;
  /** Encoder channels per level (each followed by 2× max-pooling); default [16, 32, 32, 32]. */
  readonly encoder?: readonly number[];
  /** Decoder channels: one per encoder level (each up-sampling), then full-resolution convolutions; default [32, 32, 32, 32, 32, 16, 16]. */
  readonly decoder?: readonly number[];
  /** Scaling-and-squaring steps; default 7 (0: the velocity is used as the displacement). */
  readonly integrationSteps?: number;
}

/** Every option filled in. */
export type ResolvedVoxelMorphOptions = Required<VoxelMorphOptions>;

/** Fills defaults and checks the options; throws `invalid_argument` on bad dims, too few decoder levels or steps. */
export function resolveVoxelMorphOptions(o: VoxelMorphOptions): ResolvedVoxelMorphOptions {
  const r: ResolvedVoxelMorphOptions = {
    dims: o.dims,
    encoder: [...(o.encoder ?? [16, 32, 32, 32])],
    decoder: [...(o.decoder ?? [32, 32, 32, 32, 32, 16, 16])],
    integrationSteps: o.integrationSteps ?? 7,
  };
  if (r.dims !== 2 && r.dims !== 3)
    throw new MultiraterError('invalid_argument', `VoxelMorph dims must be 2 or 3, got ${r.dims}`);
  if (r.decoder.length < r.encoder.length) {
    throw new MultiraterError(
      'invalid_argument',
      `VoxelMorph needs at least as many decoder (${r.decoder.length}) as encoder (${r.encoder.length}) convolutions`,
    );
  }
  if (!Number.isInteger(r.integrationSteps) || r.integrationSteps < 0)
    throw new MultiraterError(
      'invalid_argument',
      `VoxelMorph integrationSteps must be a non-negative integer, got ${r.integrationSteps}`,
    );
  return r;
}

/** Each spatial side must be a multiple of this: 2^(encoder levels). */
export function voxelMorphDivisor(o: VoxelMorphOptions): number {
  return 2 ** (o.encoder?.length ?? 4);
}

/** What `voxelMorph` returns: the displacement, the velocity it integrates, and the warped moving image. */
export interface VoxelMorphOutputs {
  /** Displacement [N, dims, spatial…] in voxels, channel d along spatial axis d. */
  flow: Value;
  /** The half-resolution velocity before integration (where the smoothness loss applies). */
  velocity: Value;
  /** The moving image warped by `flow`. */
  warped: Value;
}

function conv(name: string, x: Value, channels: number, dims: number): Value {
  return F.leakyRelu(convLayer(name, x, { outChannels: channels, kernel: cube(3, dims), padding: cube(1, dims) }), 0.2);
}

/** The network on `moving`, `fixed` [N, 1, spatial…] (each side a multiple of `voxelMorphDivisor`). */
export function voxelMorph(moving: Value, fixed: Value, options: VoxelMorphOptions): VoxelMorphOutputs {
  const o = resolveVoxelMorphOptions(options);
  const d = o.dims;
  if (moving.rank !== d + 2)
    throw new MultiraterError(
      'shape_error',
      `VoxelMorph ${d}D expects [N, 1, ${d} spatial axes], got ${moving.toString()}`,
    );
  const div = voxelMorphDivisor(o);
  const spatial = moving.shape.slice(2) as number[];
  if (spatial.some((s) => s % div !== 0))
    throw new MultiraterError(
      'shape_error',
      `VoxelMorph: every side must be a multiple of ${div}, got ${spatial.join('×')}`,
    );
  const two = cube(2, d);
  let h = F.concat([moving, fixed], 1);
  const skips: Value[] = [];
  o.encoder.forEach((c, i) => {
    h = conv(`enc${i}`, h, c, d);
    skips.push(h);
    h = F.maxPool(h, { kernel: two });
  });
  for (let i = 0; i < o.encoder.length; i++) {
    h = conv(`dec${i}`, h, o.decoder[i], d);
    h = F.concat([F.resize(h, { mode: 'nearest', scales: [1, 1, ...two] }), skips.pop() as Value], 1);
  }
  o.decoder.slice(o.encoder.length).forEach((c, i) => (h = conv(`final${i}`, h, c, d)));
  const g = moving.graph;
  const full = g.scope('flow', () => {
    const w = g.param('weight', [d, h.shape[1] as number, ...cube(3, d)], { kind: 'normal', std: 1e-5 });
    return F.conv(h, w, g.param('bias', [d], zeros), { pads: cube(1, 2 * d) });
  });
  // Half resolution: half the voxels, so half the displacement in voxels; and back again.
  const velocity = F.mul(F.resize(full, { mode: 'linear', scales: [1, 1, ...cube(0.5, d)] }), g.scalar(0.5));
  const integrated = o.integrationSteps > 0 ? scalingAndSquaring(velocity, o.integrationSteps) : velocity;
  const flow = F.mul(F.resize(integrated, { mode: 'linear', scales: [1, 1, ...two] }), g.scalar(2));
  const warped = d === 2 ? warp2d(moving, flow) : warp3d(moving, flow);
  return { flow, velocity, warped };
}
