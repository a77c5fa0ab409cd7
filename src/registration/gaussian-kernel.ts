/**
 * ITK's GaussianOperator: the discrete Gaussian kernel e^(−t)·I_n(t) (Lindeberg 1990; t = σ² in pixels², I_n the
 * modified Bessel functions), grown from the centre until it holds 1 − maximumError of the mass or reaches
 * maximumKernelWidth coefficients per side, then renormalised. With σ = 1 and ITK's maximum error 0.1 this is
 * the 5-tap kernel [0.0508, 0.2119, 0.4746, 0.2119, 0.0508]. `smoothComponents` applies it along every axis
 * with the edge value repeated beyond the border (ITK's ZeroFluxNeumann boundary condition).
 */
import type { Grid3 } from './displacement-field.ts';

/** I_n(t) by its power series (converges fast for the small t of smoothing kernels). */
function besselI(n: number, t: number): number {
  let term = 1;
  for (let k = 1; k <= n; k++) term *= t / 2 / k;
  let sum = term;
  for (let k = 1; k < 500; k++) {
    term *= (t * t) / 4 / (k * (k + n));
    sum += term;
    if (term < sum * 1e-17) break;
  }
  return sum;
}

/** Half kernel [c0, c1, …] (symmetric) of ITK's GaussianOperator for standard deviation `sigma` in pixels. */
export function gaussianKernel(sigma: number, maximumError = 0.1, maximumKernelWidth = 30): Float64Array {
  if (!(sigma > 0)) return Float64Array.of(1);
  const t = sigma * sigma;
  const et = Math.exp(-t);
  const coeff = [et * besselI(0, t), et * besselI(1, t)];
  let sum = coeff[0] + 2 * coeff[1];
  const cap = 1 - maximumError;
  while (sum < cap && coeff.length <= maximumKernelWidth) {
    const c = et * besselI(coeff.length, t);
    coeff.push(c);
    sum += 2 * c;
  }
  return Float64Array.from(coeff, (c) => c / sum);
}

/** Smooths each array (on grid g) in place along every axis of the grid with the half kernels per axis. */
export function smoothComponents(arrays: readonly Float32Array[], g: Grid3, kernels: readonly Float64Array[]): void {
  const line = new Float64Array(Math.max(g.nx, g.ny, g.nz));
  const out = new Float64Array(line.length);
  const axes: [number, number, number][] = [
    [g.nx, 1, 0],
    [g.ny, g.nx, 1],
    [g.nz, g.nx * g.ny, 2],
  ];
  for (const data of arrays) {
    for (let a = 0; a < g.dims; a++) {
      const [n, stride] = axes[a];
      const kernel = kernels[a];
      if (n === 1 || kernel.length === 1) continue;
      const lines = data.length / n;
      for (let l = 0; l < lines; l++) {
        // Start offset of line l along axis a: the other two indices enumerate the lines.
        const start = a === 0 ? l * g.nx : a === 1 ? (l % g.nx) + Math.floor(l / g.nx) * g.nx * g.ny : l;
        smoothLine(data, start, stride, n, kernel, line, out);
      }
    }
  }
}

function smoothLine(data: Float32Array, start: number, stride: number, n: number, kernel: Float64Array, line: Float64Array, out: Float64Array): void {
  for (let q = 0; q < n; q++) line[q] = data[start + q * stride];
  const r = kernel.length - 1;
  // Interior voxels need no clamping; the r voxels at each end repeat the edge value.
  for (let q = r; q < n - r; q++) {
    let s = kernel[0] * line[q];
    for (let m = 1; m <= r; m++) s += kernel[m] * (line[q - m] + line[q + m]);
    out[q] = s;
  }
  for (let q = 0; q < n; q++) {
    if (q === r && n - r > r) q = n - r;
    let s = kernel[0] * line[q];
    for (let m = 1; m <= r; m++) {
      const lo = q - m < 0 ? 0 : q - m;
      const hi = q + m > n - 1 ? n - 1 : q + m;
      s += kernel[m] * (line[lo] + line[hi]);
    }
    out[q] = s;
  }
  for (let q = 0; q < n; q++) data[start + q * stride] = out[q];
}
