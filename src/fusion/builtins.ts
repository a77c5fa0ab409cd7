/** The registry of fusion methods by name, filled here explicitly (no registration by import side effect). */
import { MultiraterError } from '../errors.ts';
import type { FusionMethodName } from './fusion-result.ts';
import type { FusionMethod } from './fusion-method.ts';
import { majorityVote } from './majority-vote.ts';
import { meanVote } from './mean-vote.ts';
import { multiLabelStaple } from './multilabel-staple.ts';
import { spatialStaple } from './spatial-staple.ts';
import { staple } from './staple.ts';

const METHODS: readonly FusionMethod[] = [
  {
    name: 'majority',
    description: 'majority vote; ties get the undecided label (ITK LabelVotingImageFilter)',
    hasProbability: false,
    fuse: (raters, o) => majorityVote(raters, { names: o.names, mask: o.mask, undecidedLabel: o.undecidedLabel }),
  },
  {
    name: 'mean',
    description: 'per-label vote fractions; labels by largest fraction',
    hasProbability: true,
    fuse: (raters, o) => meanVote(raters, { names: o.names, mask: o.mask, foreground: o.foreground }),
  },
  {
    name: 'staple',
    description: 'binary STAPLE (Warfield 2004, ITK STAPLEImageFilter defaults)',
    hasProbability: true,
    fuse: (raters, o) =>
      staple(raters, {
        names: o.names,
        mask: o.mask,
        foreground: o.foreground,
        maxIterations: o.maxIterations,
        restrictToDisagreement: o.restrictToDisagreement,
      }),
  },
  {
    name: 'multilabel-staple',
    description: 'multi-label STAPLE (Rohlfing 2004, ITK MultiLabelSTAPLEImageFilter defaults)',
    hasProbability: false,
    fuse: (raters, o) =>
      multiLabelStaple(raters, {
        names: o.names,
        mask: o.mask,
        undecidedLabel: o.undecidedLabel,
        maxIterations: o.maxIterations,
        restrictToDisagreement: o.restrictToDisagreement,
      }),
  },
  {
    name: 'spatial-staple',
    description: 'Spatial STAPLE (Asman & Landman 2012): regional confusion matrices on overlapping windows',
    hasProbability: false,
    fuse: (raters, o) =>
      spatialStaple(raters, {
        names: o.names,
        mask: o.mask,
        undecidedLabel: o.undecidedLabel,
        maxIterations: o.maxIterations,
        blockSize: o.blockSize,
        windowBlocks: o.windowBlocks,
        priorWeight: o.priorWeight,
      }),
  },
];

/** The built-in fusion methods by name. */
export const FUSION_METHODS: ReadonlyMap<FusionMethodName, FusionMethod> = new Map(METHODS.map((m) => [m.name, m]));

/** The method called `name`; throws `invalid_argument` listing the known names otherwise. */
export function fusionMethod(name: string): FusionMethod {
  const method = FUSION_METHODS.get(name as FusionMethodName);
  if (!method) {
    throw new MultiraterError(
      'unknown_name',
      `unknown fusion method "${name}" (expected ${[...FUSION_METHODS.keys()].join(', ')})`,
    );
  }
  return method;
}
