/**
 * NIfTI affine logic (nifti1.h "methods" 1–3). The affine chosen is nibabel's `get_best_affine`: the sform when
 * sform_code > 0, else the qform when qform_code > 0, else diag(pixdim) with origin 0 (NIfTI method 1).
 * Quaternion ↔ matrix conversions follow nifti1_io.c (`quatern_to_mat44`, `mat44_to_quatern`).
 */
import type { Affine } from '../volume/index.ts';

/**
 * NIfTI's qform: a rotation as quaternion (b, c, d; a follows from unit length), the offset of voxel (0,0,0) and qfac.
 */
export interface QuaternionForm {
  /** Quaternion component b (quatern_b). */
  b: number;
  /** Quaternion component c (quatern_c). */
  c: number;
  /** Quaternion component d (quatern_d). */
  d: number;
  /** Offsets (mm) of voxel (0,0,0). */
  qx: number;
  /** Offset (mm) of voxel (0,0,0) along y (qoffset_y). */
  qy: number;
  /** Offset (mm) of voxel (0,0,0) along z (qoffset_z). */
  qz: number;
  /** ±1: sign of the third column (pixdim[0] in the file). */
  qfac: number;
}

/** qform → affine, using pixdim[1..3] as voxel sizes (nifti1_io.c `quatern_to_mat44`). */
export function quaternionToAffine(q: QuaternionForm, pixdim: readonly number[]): Affine {
  const { b, c, d } = q;
  // a is derived; tiny negative values from float32 round-off mean a = 0 (nibabel does the same).
  const w2 = 1 - (b * b + c * c + d * d);
  const a = w2 < 1e-7 ? 0 : Math.sqrt(w2);
  const norm = a === 0 ? 1 / Math.sqrt(b * b + c * c + d * d) : 1;
  const [bb, cc, dd] = [b * norm, c * norm, d * norm];
  const R = [
    [a * a + bb * bb - cc * cc - dd * dd, 2 * (bb * cc - a * dd), 2 * (bb * dd + a * cc)],
    [2 * (bb * cc + a * dd), a * a + cc * cc - bb * bb - dd * dd, 2 * (cc * dd - a * bb)],
    [2 * (bb * dd - a * cc), 2 * (cc * dd + a * bb), a * a + dd * dd - cc * cc - bb * bb],
  ];
  const sx = Math.abs(pixdim[0] || 1);
  const sy = Math.abs(pixdim[1] || 1);
  const sz = Math.abs(pixdim[2] || 1) * (q.qfac < 0 ? -1 : 1);
  return [
    [R[0][0] * sx, R[0][1] * sy, R[0][2] * sz, q.qx],
    [R[1][0] * sx, R[1][1] * sy, R[1][2] * sz, q.qy],
    [R[2][0] * sx, R[2][1] * sy, R[2][2] * sz, q.qz],
    [0, 0, 0, 1],
  ];
}

/**
 * affine → qform, or `null` when the affine's 3×3 part has non-orthogonal columns (a shear no quaternion can
 * hold; the sform still carries it). Voxel sizes are the column norms.
 */
export function affineToQuaternion(affine: Affine): {
  /** The rotation, offset and handedness. */
  q: QuaternionForm;
  /** Voxel size per spatial axis in mm (pixdim[1..3]). */
  pixdim: [number, number, number];
} | null {
  const cols = [0, 1, 2].map((j) => [affine[0][j], affine[1][j], affine[2][j]]);
  const norms = cols.map((v) => Math.hypot(v[0], v[1], v[2]));
  if (norms.some((n) => n === 0 || !Number.isFinite(n))) return null;
  const u = cols.map((v, j) => v.map((x) => x / norms[j]));
  const dot = (x: number[], y: number[]) => x[0] * y[0] + x[1] * y[1] + x[2] * y[2];
  if (Math.abs(dot(u[0], u[1])) > 1e-4 || Math.abs(dot(u[0], u[2])) > 1e-4 || Math.abs(dot(u[1], u[2])) > 1e-4)
    return null;
  // R has columns u; a negative determinant is absorbed by qfac = -1 on the third column.
  const det =
    u[0][0] * (u[1][1] * u[2][2] - u[2][1] * u[1][2]) -
    u[1][0] * (u[0][1] * u[2][2] - u[2][1] * u[0][2]) +
    u[2][0] * (u[0][1] * u[1][2] - u[1][1] * u[0][2]);
  const qfac = det < 0 ? -1 : 1;
  const r = [
    [u[0][0], u[1][0], u[2][0] * qfac],
    [u[0][1], u[1][1], u[2][1] * qfac],
    [u[0][2], u[1][2], u[2][2] * qfac],
  ];
  let a = r[0][0] + r[1][1] + r[2][2] + 1;
  let b: number, c: number, d: number;
  if (a > 0.5) {
    a = 0.5 * Math.sqrt(a);
    b = (0.25 * (r[2][1] - r[1][2])) / a;
    c = (0.25 * (r[0][2] - r[2][0])) / a;
    d = (0.25 * (r[1][0] - r[0][1])) / a;
  } else {
    const xd = 1 + r[0][0] - (r[1][1] + r[2][2]);
    const yd = 1 + r[1][1] - (r[0][0] + r[2][2]);
    const zd = 1 + r[2][2] - (r[0][0] + r[1][1]);
    if (xd > 1) {
      b = 0.5 * Math.sqrt(xd);
      c = (0.25 * (r[0][1] + r[1][0])) / b;
      d = (0.25 * (r[0][2] + r[2][0])) / b;
      a = (0.25 * (r[2][1] - r[1][2])) / b;
    } else if (yd > 1) {
      c = 0.5 * Math.sqrt(yd);
      b = (0.25 * (r[0][1] + r[1][0])) / c;
      d = (0.25 * (r[1][2] + r[2][1])) / c;
      a = (0.25 * (r[0][2] - r[2][0])) / c;
    } else {
      d = 0.5 * Math.sqrt(zd);
      b = (0.25 * (r[0][2] + r[2][0])) / d;
      c = (0.25 * (r[1][2] + r[2][1])) / d;
      a = (0.25 * (r[1][0] - r[0][1])) / d;
    }
    if (a < 0) {
      b = -b;
      c = -c;
      d = -d;
    }
  }
  return {
    q: { b, c, d, qx: affine[0][3], qy: affine[1][3], qz: affine[2][3], qfac },
    pixdim: [norms[0], norms[1], norms[2]],
  };
}

/** Voxel sizes implied by an affine: the norms of its first three columns. */
export function affineSpacing(affine: Affine): [number, number, number] {
  return [0, 1, 2].map((j) => Math.hypot(affine[0][j], affine[1][j], affine[2][j])) as [number, number, number];
}
