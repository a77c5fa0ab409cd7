/**
 * Normalisation over channels: InstanceNormalization (statistics per sample and channel), BatchNormalization in
 * inference mode (running statistics) and `BatchNormTraining` (batch statistics, biased variance; outputs
 * [y, mean, var] so the layer can update its running averages).
 *
 * With x̂ = (x − μ)·σ⁻¹ and a = γσ⁻¹ per channel, all three share the rule
 *   dx = a·(dy − mean(dy) − x̂·mean(dy·x̂)),  dγ = Σ dy·x̂,  dβ = Σ dy
 * over the statistics' axes; BatchNormTraining's form expands x̂ so only Σdy and Σdy·x touch full tensors.
 */
import { MultiraterError } from '../../errors.ts';
import * as F from '../functional.ts';
import type { Node, Value } from '../graph.ts';
import { floatAttr, need, shapeError } from './infer.ts';
import type { OpDef, ValueType } from './types.ts';

function channelShape(x: Value): number[] {
  return x.shape.map((d, i) => (i === 1 ? (d as number) : 1));
}

/** A per-channel [C] vector viewed as [1, C, 1…] to broadcast against x. */
function perChannel(v: Value, x: Value): Value {
  return F.reshape(v, channelShape(x));
}

function spatialAxes(x: Value): number[] {
  return x.shape.map((_, i) => i).filter((i) => i >= 2);
}

function checkAffine(op: string, inputs: readonly (ValueType | null)[], count: number): ValueType[] {
  const x = need(op, inputs, 0);
  if (x.shape.length < 3) throw shapeError(op, inputs, 'x must be [N, C, spatial…]');
  for (let i = 1; i < count; i++) {
    const t = need(op, inputs, i);
    if (t.shape.length !== 1 || t.shape[0] !== x.shape[1])
      throw shapeError(op, inputs, `input ${i} must be [${x.shape[1]}]`);
  }
  return [x];
}

/** The shared rule, given σ⁻¹ and x̂ (both broadcastable against x) and the statistics axes. */
function normGrad(
  x: Value,
  dy: Value,
  scale: Value,
  xhat: Value,
  invStd: Value,
  axes: number[],
  paramAxes: number[],
): [Value, Value, Value] {
  const a = F.mul(perChannel(scale, x), invStd);
  const meanDy = F.reduceMean(dy, axes);
  const meanDyXhat = F.reduceMean(F.mul(dy, xhat), axes);
  const dx = F.mul(a, F.sub(F.sub(dy, meanDy), F.mul(xhat, meanDyXhat)));
  const dScale = F.reduceSum(F.mul(dy, xhat), paramAxes, false);
  const dBias = F.reduceSum(dy, paramAxes, false);
  return [dx, dScale, dBias];
}

function instanceNormGrad(node: Node, dy: Value): (Value | null)[] {
  const [x, scale] = node.inputs as Value[];
  const eps = floatAttr(node.attrs, 'epsilon', 1e-5);
  const axes = spatialAxes(x);
  const centred = F.sub(x, F.reduceMean(x, axes));
  const invStd = F.div(
    F.scalarLike(x, 1),
    F.sqrt(F.add(F.reduceMean(F.mul(centred, centred), axes), F.scalarLike(x, eps))),
  );
  const xhat = F.mul(centred, invStd);
  return normGrad(x, dy, scale, xhat, invStd, axes, [0, ...axes]);
}

function batchNormInferenceGrad(node: Node, dy: Value): (Value | null)[] {
  const [x, scale, , mean, variance] = node.inputs as Value[];
  const eps = floatAttr(node.attrs, 'epsilon', 1e-5);
  const invStd = perChannel(F.div(F.scalarLike(x, 1), F.sqrt(F.add(variance, F.scalarLike(x, eps)))), x);
  const xhat = F.mul(F.sub(x, perChannel(mean, x)), invStd);
  const axes = [0, ...spatialAxes(x)];
  const a = F.mul(perChannel(scale, x), invStd);
  const sumDy = F.reduceSum(dy, axes, false);
  const sumDyXhat = F.reduceSum(F.mul(dy, xhat), axes, false);
  // ∂y/∂μ = −a and ∂y/∂var = −½·γ·x̂·σ⁻², so dμ = −γσ⁻¹Σdy and dvar = −½γσ⁻²Σdy·x̂.
  const invStdFlat = F.reshape(invStd, [-1]);
  const dMean = F.neg(F.mul(F.mul(scale, invStdFlat), sumDy));
  const dVar = F.mul(F.mul(F.mul(scale, F.mul(invStdFlat, invStdFlat)), sumDyXhat), F.scalarLike(x, -0.5));
  return [F.mul(dy, a), sumDyXhat, sumDy, dMean, dVar];
}

function batchNormTrainingGrad(node: Node, dy: Value): (Value | null)[] {
  const [x, scale] = node.inputs as Value[];
  const eps = floatAttr(node.attrs, 'epsilon', 1e-5);
  const axes = [0, ...spatialAxes(x)];
  const count = axes.reduce((p, i) => p * (x.shape[i] as number), 1);
  const mean = perChannel(node.outputs[1], x);
  const invStd = F.div(F.scalarLike(x, 1), F.sqrt(F.add(perChannel(node.outputs[2], x), F.scalarLike(x, eps))));
  const sumDy = F.reduceSum(dy, axes);
  const sumDyX = F.reduceSum(F.mul(dy, x), axes);
  // Σ dy·x̂ = σ⁻¹(Σ dy·x − μ Σ dy); then dx = a·dy + k1·x + k0 with per-channel k1, k0.
  const sumDyXhat = F.mul(invStd, F.sub(sumDyX, F.mul(mean, sumDy)));
  const a = F.mul(perChannel(scale, x), invStd);
  const k1 = F.neg(F.mul(F.mul(a, invStd), F.mul(sumDyXhat, F.scalarLike(x, 1 / count))));
  const k0 = F.sub(F.mul(mean, F.neg(k1)), F.mul(a, F.mul(sumDy, F.scalarLike(x, 1 / count))));
  const dx = F.add(F.add(F.mul(dy, a), F.mul(x, k1)), k0);
  const flat = [scale.staticShape[0]];
  return [dx, F.reshape(sumDyXhat, flat), F.reshape(sumDy, flat)];
}

/** InstanceNormalization, BatchNormalization (inference) and BatchNormTraining. */
export const normOps: readonly OpDef[] = [
  {
    name: 'InstanceNormalization',
    attrKinds: { epsilon: 'float' },
    inferShape: (inputs) => checkAffine('InstanceNormalization', inputs, 3),
    grad: (node, [dy]) => instanceNormGrad(node, dy as Value),
  },
  {
    name: 'BatchNormalization',
    attrKinds: { epsilon: 'float' },
    inferShape: (inputs) => checkAffine('BatchNormalization', inputs, 5),
    grad: (node, [dy]) => batchNormInferenceGrad(node, dy as Value),
  },
  {
    name: 'BatchNormTraining',
    inferShape: (inputs) => {
      const [x] = checkAffine('BatchNormTraining', inputs, 3);
      const stat: ValueType = { dtype: x.dtype, shape: [x.shape[1]] };
      return [x, stat, stat];
    },
    // ONNX BatchNormalization in training mode with momentum 0 outputs the batch mean and biased variance as its
    // "running" statistics; the layer blends them into its running averages itself (PyTorch's unbiased rule).
    toOnnx: (node, e) => {
      const c = (node.inputs[1] as Value).staticShape[0];
      const zeros = e.constant({ dtype: 'float32', shape: [c], data: new Float32Array(c) });
      const ones = e.constant({ dtype: 'float32', shape: [c], data: new Float32Array(c).fill(1) });
      e.node(
        'BatchNormalization',
        [...node.inputs.map((v) => e.name(v)), zeros, ones],
        node.outputs.map((o) => e.name(o)),
        { epsilon: floatAttr(node.attrs, 'epsilon', 1e-5), momentum: 0, training_mode: 1 },
        { epsilon: 'float', momentum: 'float', training_mode: 'int' },
      );
    },
    grad: (node, dOut) => {
      if (dOut[1] !== null || dOut[2] !== null)
        throw new MultiraterError(
          'not_differentiable',
          'BatchNormTraining: the batch statistics outputs take no gradient',
        );
      return batchNormTrainingGrad(node, dOut[0] as Value);
    },
  },
];
