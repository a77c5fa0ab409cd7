/** Parameter counts of a registered network, by building its inference graph once on a small input. */
import { Graph } from '../nn/index.ts';
import { getModel, type ModelOptions } from './builtins.ts';

/** What `multirater model info` prints. */
export interface ModelInfo {
  /** The registered model name. */
  name: string;
  /** The model's one-line description from its registry entry. */
  description: string;
  /** 2: trained on slices; 3: trained on patches. */
  dims: 2 | 3;
  /** Output classes the parameters were counted for (background included). */
  classes: number;
  /** The architecture options in effect (defaults merged with overrides). */
  options: ModelOptions;
  /** Each spatial side of the input must be a multiple of this (pixels). */
  divisor: number;
  /** Trainable weights. */
  trainableParameters: number;
  /** Non-trainable buffers (BatchNorm running statistics). */
  bufferParameters: number;
  /** Parameters per top-level layer scope (the name before the first dot), trainable ones. */
  byLayer: Record<string, number>;
}

/**
 * Builds `name` for `classes` classes (default the model's `infoClasses`, else 4: background + 3 cardiac
 * structures) and counts its parameters.
 */
export function modelInfo(name: string, options: { classes?: number; model?: ModelOptions } = {}): ModelInfo {
  const spec = getModel(name);
  const merged = { ...spec.defaults, ...options.model };
  const classes = options.classes ?? spec.infoClasses ?? 4;
  const side = spec.divisor(merged) * 2;
  const g = new Graph();
  const x = g.input('image', 'float32', [1, 1, ...Array(spec.dims).fill(side)]);
  const expert = merged.norm === 'cin' ? g.input('expert', 'int64', [1]) : undefined;
  spec.build(x, classes, true, merged, { expert });
  let trainable = 0;
  let buffers = 0;
  const byLayer: Record<string, number> = {};
  for (const p of g.params.values()) {
    const n = p.value.staticShape.reduce((a, b) => a * b, 1);
    if (!p.trainable) {
      buffers += n;
      continue;
    }
    trainable += n;
    const top = p.name.split('.')[0];
    byLayer[top] = (byLayer[top] ?? 0) + n;
  }
  return {
    name,
    description: spec.description,
    dims: spec.dims,
    classes,
    options: merged,
    divisor: spec.divisor(merged),
    trainableParameters: trainable,
    bufferParameters: buffers,
    byLayer,
  };
}
