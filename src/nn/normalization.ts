/**
 * Normalisations composed from elementary operators (their gradients follow by autodiff): GroupNorm
 * (Wu & He 2018) and LayerNorm (Ba et al. 2016) over [N, C, spatial…].
 */
import * as F from './functional.ts';
import type { Value } from './graph.ts';

function normalise(x: Value, axes: number[], epsilon: number): Value {
  const centred = F.sub(x, F.reduceMean(x, axes));
  const variance = F.reduceMean(F.mul(centred, centred), axes);
  return F.div(centred, F.sqrt(F.add(variance, F.scalarLike(x, epsilon))));
}

function affine(y: Value, scale: Value, bias: Value): Value {
  const shape = y.shape.map((d, i) => (i === 1 ? (d as number) : 1));
  return F.add(F.mul(y, F.reshape(scale, shape)), F.reshape(bias, shape));
}

/** GroupNorm: statistics per sample over each group of C/groups channels and all pixels; per-channel affine. */
export function groupNorm(x: Value, scale: Value, bias: Value, groups: number, epsilon = 1e-5): Value {
  const [n, c, ...sp] = x.staticShape;
  const grouped = F.reshape(x, [n, groups, c / groups, ...sp]);
  const axes = grouped.shape.map((_, i) => i).filter((i) => i >= 2);
  return affine(F.reshape(normalise(grouped, axes, epsilon), [n, c, ...sp]), scale, bias);
}

/** LayerNorm over channels and pixels of each sample, with a per-channel affine. */
export function layerNorm(x: Value, scale: Value, bias: Value, epsilon = 1e-5): Value {
  return groupNorm(x, scale, bias, 1, epsilon);
}
