/**
 * Patch extraction and every spatial augmentation in one resampling pass (as nnU-Net's `augment_spatial`, which
 * builds one coordinate grid for elastic, rotation and scaling and interpolates once): linear interpolation for the
 * image (bilinear on a 2D slice, trilinear in 3D) and nearest neighbour for the label map, so both move together.
 *
 * Convention, in mm about the patch centre: the content is mirrored, rotated, scaled, then shifted,
 *   x_out = t + S·R·F·(x_in − c),
 * so output voxel o samples the source at c + F·Rᵀ·S⁻¹·(d − t) + u(o), with d = (o − (p − 1)/2)·spacing and u the
 * elastic displacement (mm). Angles: 2D `[θ]` turns the content from +i toward +j; 3D `[α, β, γ]` are rotations
 * about the i, j and k axes applied in that order (R = R_k(γ)·R_j(β)·R_i(α)). Working in mm keeps anisotropic
 * voxels' geometry right. Voxels sampled outside the source take `padValue` (image) and 0 (label).
 */
import { MultiraterError } from '../errors.ts';
import { sampleLinearPadded } from '../volume/index.ts';
import { elasticDisplacementField, type ElasticParams } from './elastic-field.ts';

/** The recorded parameters of one spatial augmentation draw. */
export interface SpatialParams {
  /** Mirror the content along each patch axis (i, j[, k]). */
  flip: boolean[];
  /** Rotation in degrees: 2D `[θ]` (i toward j); 3D `[about i, about j, about k]`. */
  rotation: number[];
  /** Zoom factor per patch axis (> 1 enlarges the content). */
  scale: number[];
  /** Content shift per patch axis, in mm. */
  translation: number[];
  /** Elastic deformation, or null for none. */
  elastic: ElasticParams | null;
}

/** Parameters that leave the content unchanged, for 2D or 3D patches. */
export function identitySpatialParams(dims: 2 | 3): SpatialParams {
  return {
    flip: new Array<boolean>(dims).fill(false),
    rotation: dims === 2 ? [0] : [0, 0, 0],
    scale: new Array<number>(dims).fill(1),
    translation: new Array<number>(dims).fill(0),
    elastic: null,
  };
}

/** A training case as the samplers see it: voxel arrays on a 3D grid (2D images have nz = 1). */
export interface PatchSource {
  /** Image intensities, nx·ny·nz values with i fastest; sampled by linear interpolation. */
  image: Float32Array;
  /** Label map on the same grid as `image`; sampled by nearest neighbour. */
  label: Uint8Array;
  /** [nx, ny, nz] voxels. */
  shape: [number, number, number];
  /** [sx, sy, sz] in mm. */
  spacing: [number, number, number];
}

/** Where one sample's voxels go: `size` voxels written from `offset` in both arrays (label offset = image offset). */
export interface PatchTarget {
  /** Output buffer for the transformed image patch; voxels outside the source get `padValue`. */
  image: Float32Array;
  /** Output buffer for the transformed label patch; voxels outside the source get 0. */
  label: Uint8Array;
  /** First element of this sample in `image` and `label`. */
  offset: number;
}

/**
 * Writes the patch of `size` ([px, py] = a slice at k = centre[2], or [px, py, pz]) centred at `centre` (source
 * voxel index, may be fractional) after the spatial transform `params`.
 */
export function transformPatch(
  source: PatchSource,
  centre: readonly [number, number, number],
  size: readonly number[],
  params: SpatialParams,
  target: PatchTarget,
  padValue = 0,
): void {
  const dims = size.length;
  if (dims !== 2 && dims !== 3)
    throw new MultiraterError('invalid_argument', `patch size must have 2 or 3 axes, got ${dims}`);
  const [px, py] = size;
  const pz = dims === 3 ? size[2] : 1;
  const sp = source.spacing;
  const m = inverseMatrix(params, dims, sp);
  const b = inverseOffset(params, dims, sp);
  const field = params.elastic ? elasticDisplacementField([px, py, pz], sp, dims, params.elastic) : null;
  const [nx, ny, nz] = source.shape;
  const grid = { nx, ny, nz };
  const img = source.image;
  const lab = source.label;
  const outImg = target.image;
  const outLab = target.label;
  const cx = centre[0] + b[0];
  const cy = centre[1] + b[1];
  const cz = centre[2] + b[2];
  const ox = (px - 1) / 2;
  const oy = (py - 1) / 2;
  const oz = (pz - 1) / 2;
  let p = 0;
  for (let k = 0; k < pz; k++) {
    const dw = k - oz;
    for (let j = 0; j < py; j++) {
      const dv = j - oy;
      for (let i = 0; i < px; i++, p++) {
        const du = i - ox;
        let x = cx + m[0] * du + m[1] * dv + m[2] * dw;
        let y = cy + m[3] * du + m[4] * dv + m[5] * dw;
        let z = cz + m[6] * du + m[7] * dv + m[8] * dw;
        if (field) {
          x += field[0][p] / sp[0];
          y += field[1][p] / sp[1];
          if (dims === 3) z += field[2][p] / sp[2];
        }
        outImg[target.offset + p] = sampleLinearPadded(img, grid, x, y, z, padValue);
        const li = Math.round(x);
        const lj = Math.round(y);
        const lk = Math.round(z);
        outLab[target.offset + p] =
          li >= 0 && li < nx && lj >= 0 && lj < ny && lk >= 0 && lk < nz ? lab[(lk * ny + lj) * nx + li] : 0;
      }
    }
  }
}

/** cos and sin of an angle in degrees, exact at multiples of 90° so quarter turns land on the grid. */
function cosSin(degrees: number): [number, number] {
  const q = degrees / 90;
  if (Number.isInteger(q)) {
    const r = ((q % 4) + 4) % 4;
    return [[1, 0, -1, 0][r], [0, 1, 0, -1][r]];
  }
  const a = (degrees * Math.PI) / 180;
  return [Math.cos(a), Math.sin(a)];
}

/** R as a row-major 3×3 (R = R_k(γ)·R_j(β)·R_i(α); 2D: R_k(θ)). */
function rotationMatrix(rotation: readonly number[], dims: number): number[] {
  const [ca, sa] = cosSin(dims === 3 ? rotation[0] : 0);
  const [cb, sb] = cosSin(dims === 3 ? rotation[1] : 0);
  const [cg, sg] = cosSin(dims === 3 ? rotation[2] : rotation[0]);
  const ri = [1, 0, 0, 0, ca, -sa, 0, sa, ca];
  const rj = [cb, 0, sb, 0, 1, 0, -sb, 0, cb];
  const rk = [cg, -sg, 0, sg, cg, 0, 0, 0, 1];
  return multiply(rk, multiply(rj, ri));
}

function multiply(a: readonly number[], b: readonly number[]): number[] {
  const out = new Array<number>(9).fill(0);
  for (let r = 0; r < 3; r++)
    for (let c = 0; c < 3; c++) for (let k = 0; k < 3; k++) out[r * 3 + c] += a[r * 3 + k] * b[k * 3 + c];
  return out;
}

/** F·Rᵀ·S⁻¹ in mm, row-major. */
function inverseMm(params: SpatialParams, dims: number): number[] {
  const r = rotationMatrix(params.rotation, dims);
  const out = new Array<number>(9).fill(0);
  for (let row = 0; row < 3; row++) {
    const f = row < dims && params.flip[row] ? -1 : 1;
    for (let col = 0; col < 3; col++) {
      const s = col < dims ? params.scale[col] : 1;
      out[row * 3 + col] = (f * r[col * 3 + row]) / s;
    }
  }
  return out;
}

/** diag(1/spacing)·F·Rᵀ·S⁻¹·diag(spacing): output index offset → source index offset. */
function inverseMatrix(params: SpatialParams, dims: number, sp: readonly number[]): number[] {
  const a = inverseMm(params, dims);
  return a.map((v, idx) => (v * sp[idx % 3]) / sp[Math.floor(idx / 3)]);
}

/** −diag(1/spacing)·F·Rᵀ·S⁻¹·t: the translation's source index offset. */
function inverseOffset(params: SpatialParams, dims: number, sp: readonly number[]): number[] {
  const a = inverseMm(params, dims);
  const t = [0, 1, 2].map((c) => (c < dims ? params.translation[c] : 0));
  return [0, 1, 2].map((row) => -(a[row * 3] * t[0] + a[row * 3 + 1] * t[1] + a[row * 3 + 2] * t[2]) / sp[row]);
}
