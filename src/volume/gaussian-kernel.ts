/**
 * The one Gaussian kernel of the library, as the half [c0, c1, …, cr] of a symmetric kernel (c_m weighs the voxels
 * m away on both sides), in either of the two forms our peers use:
 * - `'discrete'` (default), ITK's GaussianOperator: the discrete Gaussian e^(−t)·I_n(t) (Lindeberg 1990; t = σ² in
 *   pixels², I_n the modified Bessel functions), grown from the centre until it holds 1 − maximumError of the mass
 *   or reaches maximumKernelWidth coefficients per side, then renormalised. With σ = 1 and ITK's maximum error 0.1
 *   this is the 5-tap kernel [0.0508, 0.2119, 0.4746, 0.2119, 0.0508]. Demons and its pyramid use it.
 * - `'sampled'`, scipy.ndimage.gaussian_filter's: e^(−m²/2σ²) for |m| ≤ r = max(1, ceil(truncate·σ)), normalised by
 *   its sum over −r…r. The augmentations use it (truncate 3).
 * `smoothSeparable` applies either along every axis.
 */

/** Which Gaussian, and its truncation. */
export type GaussianKernelOptions =
  | {
      /** ITK's discrete Gaussian e^(−t)·I_n(t), grown until it holds 1 − maximumError of the mass (the default). */
      kind?: 'discrete';
      /** Mass the kernel may leave out (ITK's MaximumError); default 0.1. */
      maximumError?: number;
      /** Most coefficients per side (ITK's MaximumKernelWidth); default 30. */
      maximumKernelWidth?: number;
    }
  | {
      /** scipy's sampled Gaussian e^(−m²/2σ²), cut at `truncate` σ and normalised by its sum. */
      kind: 'sampled';
      /** Radius in standard deviations (scipy's truncate); default 3. */
      truncate?: number;
    };

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

function discreteKernel(sigma: number, maximumError: number, maximumKernelWidth: number): Float64Array {
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

function sampledKernel(sigma: number, truncate: number): Float64Array {
  const r = Math.max(1, Math.ceil(truncate * sigma));
  const half = Float64Array.from({ length: r + 1 }, (_, m) => Math.exp(-(m * m) / (2 * sigma * sigma)));
  // The sum in scipy's order, −r to r, so the normalised weights are its to the bit.
  let sum = 0;
  for (let m = -r; m <= r; m++) sum += half[m < 0 ? -m : m];
  return half.map((c) => c / sum);
}

/** Half kernel [c0, c1, …] of the Gaussian of standard deviation `sigma` in voxels; [1] when sigma is not > 0. */
export function gaussianKernel(sigma: number, options: GaussianKernelOptions = {}): Float64Array {
  if (!(sigma > 0)) return Float64Array.of(1);
  if (options.kind === 'sampled') return sampledKernel(sigma, options.truncate ?? 3);
  return discreteKernel(sigma, options.maximumError ?? 0.1, options.maximumKernelWidth ?? 30);
}
