/**
 * Sliding-window inference geometry (nnU-Net, Isensee et al. 2021): windows of the patch size stepping by half a
 * patch (overlap 0.5) from the first voxel until the last is covered, a centred padded window on an axis shorter
 * than the patch; predictions blended with a Gaussian importance map (σ = patch/8 per axis, peak 1, floored at
 * the smallest positive value so every voxel gets weight). A 2D model uses windows of depth 1 on every slice.
 */

/** Window starts along an axis of `n` voxels for windows of `p` voxels and step ⌈p·(1 − overlap)⌉. */
export function windowStarts(n: number, p: number, overlap = 0.5): number[] {
  if (p >= n) return [Math.floor((n - p) / 2)];
  const step = Math.max(1, Math.ceil(p * (1 - overlap)));
  const count = Math.ceil((n - p) / step) + 1;
  return [...Array(count).keys()].map((t) => (count === 1 ? 0 : Math.round((t * (n - p)) / (count - 1))));
}

/** Gaussian importance map over a patch [px, py, pz] (i fastest); an axis of size 1 weighs 1. */
export function gaussianImportance(patch: readonly [number, number, number]): Float32Array {
  const axis = (p: number): Float64Array => {
    const w = new Float64Array(p);
    const sigma = p / 8;
    for (let a = 0; a < p; a++) w[a] = p === 1 ? 1 : Math.exp(-((a - (p - 1) / 2) ** 2) / (2 * sigma * sigma));
    return w;
  };
  const [wx, wy, wz] = patch.map(axis);
  const out = new Float32Array(patch[0] * patch[1] * patch[2]);
  let max = 0;
  for (let c = 0, o = 0; c < patch[2]; c++)
    for (let b = 0; b < patch[1]; b++)
      for (let a = 0; a < patch[0]; a++, o++) max = Math.max(max, (out[o] = wx[a] * wy[b] * wz[c]));
  let minPositive = Infinity;
  for (let o = 0; o < out.length; o++) {
    out[o] /= max;
    if (out[o] > 0) minPositive = Math.min(minPositive, out[o]);
  }
  for (let o = 0; o < out.length; o++) if (out[o] === 0) out[o] = minPositive;
  return out;
}
