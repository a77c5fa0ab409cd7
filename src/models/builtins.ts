/**
 * The networks `train --model NAME` accepts, listed explicitly: each name fixes the architecture and its defaults;
 * `options` passed at build time override the defaults (recorded in a model folder's config.json).
 */
import { getRegistered, MultiraterError } from '../errors.ts';
import type { Value } from '../nn/index.ts';
import type { AnnotatorCmOptions } from './annotator-cm.ts';
import type { ModelInputs } from './blocks.ts';
import { enet, ENET_DIVISOR, type ENetOptions } from './enet.ts';
import { highres3dnet, type HighRes3DNetOptions } from './highres3dnet.ts';
import { RESNET18_UNET_DIVISOR, resnet18Unet, type ResNet18UNetOptions } from './resnet18-unet.ts';
import { unet, unetDivisor, type UNetOptions } from './unet.ts';

/** Architecture options besides `dims` and `classes`: a U-Net's, ENet's, HighRes3DNet's or the annotator-CM wrapper's (each model reads its own). */
export type ModelOptions = Partial<Omit<UNetOptions, 'dims' | 'classes' | 'dropout'>> &
  Pick<ResNet18UNetOptions, 'width'> &
  Partial<Omit<ENetOptions, 'classes' | 'dropout'>> &
  Partial<Omit<HighRes3DNetOptions, 'classes'>> &
  AnnotatorCmOptions & {
    /** Dropout probability while training: U-Net's on the bottleneck (default 0), ENet's after stage 1 (default 0.1). */
    readonly dropout?: number;
  };

/** A registered network. */
export interface ModelSpec {
  /** The name `train --model` takes and a model folder's config.json records (e.g. 'unet2d'). */
  readonly name: string;
  /** One line for `model info` and `--help`. */
  readonly description: string;
  /** 2: trained on slices, applied slice by slice; 3: trained on patches, applied by sliding window. */
  readonly dims: 2 | 3;
  /** The default architecture options. */
  readonly defaults: ModelOptions;
  /** Output classes `model info` counts parameters for when none are given; default 4. */
  readonly infoClasses?: number;
  /** Each spatial side of the input must be a multiple of this (pixels). */
  divisor(options: ModelOptions): number;
  /** Logits [N, classes, spatial…] for `x` [N, 1, spatial…]; `inputs` carries the expert index for norm 'cin'. */
  build(x: Value, classes: number, training: boolean, options: ModelOptions, inputs?: ModelInputs): Value;
}

function unetSpec(name: string, dims: 2 | 3, attention: boolean, description: string): ModelSpec {
  const defaults: ModelOptions = {
    features: dims === 2 ? [16, 32, 64, 128] : [8, 16, 32, 64],
    norm: 'batch',
    activation: 'relu',
    down: 'max-pool',
    up: 'transposed-conv',
    dropout: 0,
    attention,
  };
  return {
    name,
    description,
    dims,
    defaults,
    divisor: (options) => unetDivisor({ dims, classes: 2, ...defaults, ...options }),
    build: (x, classes, training, options, inputs) =>
      unet(x, { ...defaults, ...options, dims, classes }, training, inputs),
  };
}

/**
 * The annotator-CM model (annotator-cm.ts) as a registered network: it wraps `options.base` of the same dims, whose
 * defaults it takes; `build` gives the segmentation logits alone (the annotator heads are added by the annotator
 * trainer), so its inference export is the wrapped network's.
 */
function annotatorCmSpec(name: string, dims: 2 | 3, base: string, description: string): ModelSpec {
  const wrapped = (options: ModelOptions): ModelSpec => {
    const spec = getModel(options.base ?? base);
    if (spec.dims !== dims || spec.name.startsWith('annotator-cm'))
      throw new MultiraterError(
        'invalid_argument',
        `${name}: base network must be a ${dims}D segmentation network, got "${spec.name}"`,
      );
    return spec;
  };
  return {
    name,
    description,
    dims,
    get defaults(): ModelOptions {
      return { ...getModel(base).defaults, base, cm: 'pixel' };
    },
    divisor: (options) => wrapped(options).divisor(options),
    build: (x, classes, training, options) => wrapped(options).build(x, classes, training, options),
  };
}

/** Every built-in network, by name. */
export const BUILTIN_MODELS: ReadonlyMap<string, ModelSpec> = new Map(
  [
    unetSpec('unet2d', 2, false, '2D U-Net (Ronneberger et al. 2015) on slices'),
    unetSpec('unet3d', 3, false, '3D U-Net (Çiçek et al. 2016) on patches'),
    unetSpec(
      'attention-unet2d',
      2,
      true,
      '2D Attention U-Net (Oktay et al. 2018): additive attention gates on the skips',
    ),
    unetSpec('attention-unet3d', 3, true, '3D Attention U-Net (Oktay et al. 2018)'),
    {
      name: 'enet',
      description: 'ENet (Paszke et al. 2016): 2D, dilated and asymmetric bottlenecks, PReLU, max-unpooling decoder',
      dims: 2,
      defaults: { dropoutStage1: 0.01, dropout: 0.1 },
      divisor: () => ENET_DIVISOR,
      build: (x, classes, training, options) =>
        enet(x, { classes, dropoutStage1: options.dropoutStage1 ?? 0.01, dropout: options.dropout ?? 0.1 }, training),
    } satisfies ModelSpec,
    annotatorCmSpec(
      'annotator-cm',
      2,
      'unet2d',
      'segmentation network + per-annotator confusion matrices (Zhang et al. 2020), 2D; base unet2d',
    ),
    annotatorCmSpec(
      'annotator-cm3d',
      3,
      'unet3d',
      'segmentation network + per-annotator confusion matrices, 3D; base unet3d',
    ),
    {
      name: 'resnet18-unet2d',
      description:
        'U-Net with a ResNet-18 encoder (He et al. 2016): 2D, skips from the stem and stages 1–3; norm batch|instance|cin',
      dims: 2,
      defaults: { norm: 'batch', experts: 1 },
      divisor: () => RESNET18_UNET_DIVISOR,
      build: (x, classes, training, options, inputs) =>
        resnet18Unet(
          x,
          { classes, norm: options.norm, experts: options.experts, width: options.width },
          training,
          inputs,
        ),
    } satisfies ModelSpec,
    {
      name: 'highres3dnet',
      description:
        'HighRes3DNet (Li et al. 2017, NiftyNet): 3D, residual blocks with dilations 1, 2, 4, full resolution',
      dims: 3,
      defaults: { blocksPerStage: 3 },
      infoClasses: 1,
      divisor: () => 1,
      build: (x, classes, training, options) =>
        highres3dnet(x, { classes, blocksPerStage: options.blocksPerStage }, training),
    } satisfies ModelSpec,
  ].map((m) => [m.name, m]),
);

/** The network registered as `name`. */
export function getModel(name: string): ModelSpec {
  return getRegistered(BUILTIN_MODELS, 'model', name);
}
