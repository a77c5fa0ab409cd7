/** Same-grid checks: two volumes share a grid when shape, spacing and affine agree within tolerance. */
import { MultiraterError } from '../errors.ts';
import { formatShape, type Volume } from './volume.ts';

/** What a same-grid check compares: a volume's shape (voxels), spacing (mm) and affine (voxel → world, mm). */
export type Grid = Pick<Volume, 'shape' | 'spacing' | 'affine'>;

/** Options of {@link gridDifference} and {@link assertSameGrid}: how close two grids must be to count as one. */
export interface SameGridOptions {
  /** Largest accepted difference in spacing and affine entries, in mm; default 1e-3. */
  tolerance?: number;
}

/** Why `a` and `b` are on different grids, or null when they share one. */
export function gridDifference(a: Grid, b: Grid, options: SameGridOptions = {}): string | null {
  const tol = options.tolerance ?? 1e-3;
  if (a.shape.length !== b.shape.length || a.shape.some((s, i) => s !== b.shape[i])) {
    return `grid ${formatShape(a.shape)} differs from ${formatShape(b.shape)}`;
  }
  for (let i = 0; i < a.spacing.length; i++) {
    if (Math.abs(a.spacing[i] - b.spacing[i]) > tol) {
      return `spacing ${a.spacing.map(fmt).join('×')} mm differs from ${b.spacing.map(fmt).join('×')} mm`;
    }
  }
  for (let r = 0; r < 3; r++) {
    for (let c = 0; c < 4; c++) {
      if (Math.abs(a.affine[r][c] - b.affine[r][c]) > tol) {
        return `affine row ${r + 1} [${a.affine[r].map(fmt).join(' ')}] differs from [${b.affine[r].map(fmt).join(' ')}]`;
      }
    }
  }
  return null;
}

/** Throws `grid_mismatch` naming both files when `a` and `b` are on different grids. */
export function assertSameGrid(a: Grid, aName: string, b: Grid, bName: string, options: SameGridOptions = {}): void {
  const diff = gridDifference(a, b, options);
  if (diff) throw new MultiraterError('grid_mismatch', `${aName}: ${diff} of ${bName}`);
}

function fmt(v: number): string {
  return String(+v.toFixed(4));
}
