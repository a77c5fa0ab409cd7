/**
 * Warping a moving image or label map by a displacement field: out(x) = moving(x + s(x)) on the field's grid.
 * Images: linear interpolation (float32 out). Label maps: each label's one-hot map warped linearly and the
 * largest taken per voxel (ties to the lower label), or nearest neighbour. Outside the moving grid the border
 * value is used (border padding). A 3D volume may be warped by a 2D field stack (`sliceFields`, slice-wise).
 */
import { MultiraterError } from '../errors.ts';
import { allocate, createVolume, formatShape, sampleLinear, voxelCount, type Volume } from '../volume/index.ts';
import { grid3, type DisplacementField, type Grid3 } from './displacement-field.ts';

/** How labels are carried through a field. */
export type LabelInterpolation = 'linear' | 'nearest';

function checkGrid(moving: Volume, field: DisplacementField, name: string): Grid3 {
  const spatial = moving.shape.slice(0, field.shape.length);
  if (moving.shape.length !== field.shape.length || spatial.some((s, i) => s !== field.shape[i])) {
    throw new MultiraterError(
      'grid_mismatch',
      `${name}: grid ${formatShape(moving.shape)} differs from the field's ${formatShape(field.shape)}`,
    );
  }
  return grid3(field.shape, field.spacing);
}

/** Voxel positions x + s(x)/spacing of every voxel, as three arrays (z zero in 2D). */
function samplePositions(field: DisplacementField, g: Grid3): [Float64Array, Float64Array, Float64Array] {
  const n = g.nx * g.ny * g.nz;
  const px = new Float64Array(n);
  const py = new Float64Array(n);
  const pz = new Float64Array(n);
  const [cx, cy, cz] = field.components;
  let p = 0;
  for (let k = 0; k < g.nz; k++) {
    for (let j = 0; j < g.ny; j++) {
      for (let i = 0; i < g.nx; i++, p++) {
        px[p] = i + cx[p] / g.sx;
        py[p] = j + cy[p] / g.sy;
        pz[p] = g.dims === 3 ? k + cz[p] / g.sz : 0;
      }
    }
  }
  return [px, py, pz];
}

/** The moving image resampled through `field`, linear, float32, on the field's grid (the moving's geometry kept). */
export function warpImage(moving: Volume, field: DisplacementField, name = 'moving image'): Volume<Float32Array> {
  const g = checkGrid(moving, field, name);
  const [px, py, pz] = samplePositions(field, g);
  const out = new Float32Array(px.length);
  const data = moving.data;
  for (let p = 0; p < out.length; p++) out[p] = sampleLinear(data, g, px[p], py[p], pz[p]);
  return createVolume([...moving.shape], out, { spacing: moving.spacing, affine: moving.affine });
}

/** The label map carried through `field` (uint8 out): one-hot linear then argmax, or nearest neighbour. */
export function warpLabels(
  labels: Volume,
  field: DisplacementField,
  interpolation: LabelInterpolation = 'linear',
  name = 'labels',
): Volume {
  const g = checkGrid(labels, field, name);
  const [px, py, pz] = samplePositions(field, g);
  const n = px.length;
  const src = labels.data;
  const out = allocate(labels.dtype, n);
  if (interpolation === 'nearest') {
    for (let p = 0; p < n; p++) {
      const i = Math.min(g.nx - 1, Math.max(0, Math.round(px[p])));
      const j = Math.min(g.ny - 1, Math.max(0, Math.round(py[p])));
      const k = Math.min(g.nz - 1, Math.max(0, Math.round(pz[p])));
      out[p] = src[(k * g.ny + j) * g.nx + i];
    }
  } else {
    let maxLabel = 0;
    for (let p = 0; p < n; p++) if (src[p] > maxLabel) maxLabel = src[p];
    const best = new Float32Array(n).fill(-1);
    const onehot = new Float32Array(n);
    for (let label = 0; label <= maxLabel; label++) {
      let any = false;
      for (let p = 0; p < n; p++) {
        const v = src[p] === label ? 1 : 0;
        onehot[p] = v;
        any ||= v === 1;
      }
      if (!any) continue;
      for (let p = 0; p < n; p++) {
        const w = sampleLinear(onehot, g, px[p], py[p], pz[p]);
        if (w > best[p]) {
          best[p] = w;
          out[p] = label;
        }
      }
    }
  }
  return createVolume([...labels.shape], out, { spacing: labels.spacing, affine: labels.affine });
}

/** Stacks 2D fields, one per slice k of a 3D grid, into the 3D field with zero through-slice motion. */
export function stackSliceFields(
  slices: readonly DisplacementField[],
  like: Pick<Volume, 'shape' | 'spacing' | 'affine'>,
): DisplacementField {
  const shape = like.shape.slice(0, 3);
  if (shape.length !== 3 || slices.length !== shape[2]) {
    throw new MultiraterError(
      'dimension_mismatch',
      `slice-wise fields: ${slices.length} fields for a grid of ${formatShape(like.shape)}`,
    );
  }
  const per = shape[0] * shape[1];
  const components = [0, 1, 2].map(() => new Float32Array(voxelCount(shape)));
  slices.forEach((f, k) => {
    components[0].set(f.components[0], k * per);
    components[1].set(f.components[1], k * per);
  });
  return { shape, spacing: like.spacing.slice(0, 3), affine: like.affine.map((r) => [...r]), components };
}
