/** The common signature fusion methods are registered under (builtins.ts fills the registry). */
import type { Volume } from '../volume/index.ts';
import type { FusionMethodName, FusionResult } from './fusion-result.ts';

/** Options every registered method accepts; each uses the ones that apply to it. */
export interface FuseOptions {
  /** Names of the raters for messages and reports (file paths). */
  names?: readonly string[];
  /** Foreground label for binary STAPLE and for mean's probability; default 1. */
  foreground?: number;
  /** A 0/1 mask on the raters' grid; outside it the result is 0. */
  mask?: Volume;
  /** Label written on ties (majority, multi-label and Spatial STAPLE); default the largest label + 1. */
  undecidedLabel?: number;
  /** Largest number of EM steps (STAPLE methods); default per method. */
  maxIterations?: number;
  /** Estimate only from voxels where raters disagree (staple, multilabel-staple); default false. */
  restrictToDisagreement?: boolean;
  /** Spatial STAPLE block edge in voxels; default 8. */
  blockSize?: number | number[];
  /** Spatial STAPLE window half-width in blocks; default 1. */
  windowBlocks?: number;
  /** Spatial STAPLE weight of the whole-image matrices, in voxels; default one block's voxels. */
  priorWeight?: number;
}

/** A fusion method found by name. */
export interface FusionMethod {
  /** The name the method is registered and chosen by (`--method`). */
  name: FusionMethodName;
  /** One line for help texts. */
  description: string;
  /** Whether the result carries a foreground probability map. */
  hasProbability: boolean;
  /** Fuses `raters` (label maps on one grid) into one label map with the raters' estimated performance. */
  fuse(raters: readonly Volume[], options: FuseOptions): FusionResult;
}
