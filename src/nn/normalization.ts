/**
 * Normalisations composed from elementary operators (their gradients follow by autodiff): GroupNorm
 * (Wu & He 2018), LayerNorm (Ba et al. 2016) and conditional instance normalisation (Dumoulin et al. 2017, "A
 * Learned Representation for Artistic Style") over [N, C, spatial…].
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

/**
 * Conditional instance normalisation: out[n] = instanceNorm(x[n]) · γ[e[n]] + β[e[n]], with γ, β of shape [E, C]
 * and one integer index e[n] per sample (`expert`, shape [N], int64), so one batch mixes conditions
 * (fixtures/nn-wave2.json case `cin_2d`). The γ/β rows of conditions absent from a batch get zero gradient.
 */
export function conditionalInstanceNorm(x: Value, scale: Value, bias: Value, expert: Value, epsilon = 1e-5): Value {
  const c = x.shape[1] as number;
  const g = x.graph;
  const unit = (v: number) =>
    g.constant({ dtype: 'float32', shape: [c], data: new Float32Array(c).fill(v) }, 'cin_affine');
  const normalised = F.instanceNorm(x, unit(1), unit(0), epsilon);
  const spatialAxes = x.shape.slice(2).map((_, i) => i + 2);
  const pick = (table: Value): Value => F.unsqueeze(F.gather(table, expert, 0), spatialAxes);
  return F.add(F.mul(normalised, pick(scale)), pick(bias));
}
