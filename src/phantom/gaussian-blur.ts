/**
 * In-plane Gaussian blur of every 2D slice of a volume (the acquisition's point-spread function), separable, with
 * the kernel truncated at 3σ and renormalised at the image border (values beyond the edge are not invented).
 */

/** Blurs `data` (i fastest, slices of nx×ny) in place along i and j with standard deviation `sigmaPx` in pixels. */
export function gaussianBlurSlices(data: Float32Array, nx: number, ny: number, sigmaPx: number): void {
  if (sigmaPx <= 0) return;
  const radius = Math.max(1, Math.ceil(3 * sigmaPx));
  const kernel = new Float64Array(2 * radius + 1);
  for (let k = -radius; k <= radius; k++) kernel[k + radius] = Math.exp(-(k * k) / (2 * sigmaPx * sigmaPx));
  const slices = data.length / (nx * ny);
  const line = new Float64Array(Math.max(nx, ny));
  for (let s = 0; s < slices; s++) {
    const off = s * nx * ny;
    for (let j = 0; j < ny; j++) blurLine(data, off + j * nx, 1, nx, kernel, radius, line);
    for (let i = 0; i < nx; i++) blurLine(data, off + i, nx, ny, kernel, radius, line);
  }
}

function blurLine(
  data: Float32Array,
  start: number,
  stride: number,
  n: number,
  kernel: Float64Array,
  radius: number,
  line: Float64Array,
): void {
  for (let q = 0; q < n; q++) line[q] = data[start + q * stride];
  for (let q = 0; q < n; q++) {
    let s = 0;
    let wsum = 0;
    const lo = Math.max(0, q - radius);
    const hi = Math.min(n - 1, q + radius);
    for (let p = lo; p <= hi; p++) {
      const w = kernel[p - q + radius];
      s += w * line[p];
      wsum += w;
    }
    data[start + q * stride] = s / wsum;
  }
}
