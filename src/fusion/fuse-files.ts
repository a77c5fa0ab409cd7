/**
 * File-level fusion: read the raters' label maps, fuse with a registered method, write the fused labels (and the
 * float32 probability map where the method has one). Everything is checked and computed before the first file is
 * written; each file is written atomically.
 */
import { MultiraterError } from '../errors.ts';
import { readLabelMap } from '../io/index.ts';
import { assertNiftiOutput, assertOutputsDistinct, type NamedPath } from '../io/index.ts';
import { writeNifti } from '../io/index.ts';
import type { Volume } from '../volume/index.ts';
import { fusionMethod } from './builtins.ts';
import type { FuseOptions } from './fusion-method.ts';
import type { FusionMethodName, FusionResult } from './fusion-result.ts';

/**
 * Options of {@link fuseFiles} (`multirater fuse`): the method, the raters' files, the outputs, and the method's
 * options.
 */
export interface FuseFilesOptions extends Omit<FuseOptions, 'names' | 'mask'> {
  /** Registered method name (builtins.ts). */
  method: string;
  /** The raters' label-map files (.nii, .nii.gz), at least two. */
  raters: readonly string[];
  /** Output label map (.nii or .nii.gz). */
  out: string;
  /** Output probability map (float32 .nii/.nii.gz); only for methods with one (staple, mean). */
  prob?: string;
  /** A 0/1 mask file on the raters' grid. */
  mask?: string;
}

/** Per-rater part of a fusion report. */
export interface FuseRaterReport {
  /** The rater's label-map file, as given. */
  file: string;
  /** P(rater says foreground | truth is foreground), 0–1; binary STAPLE only, else null. */
  sensitivity: number | null;
  /** P(rater says background | truth is background), 0–1; binary STAPLE only, else null. */
  specificity: number | null;
  /** cm[i][j] = P(rater says labelValues[i] | truth labelValues[j]); null when the method has none. */
  confusionMatrix: number[][] | null;
}

/** What {@link fuseFiles} reports of one fusion (the JSON of `multirater fuse --json`, less the schema version). */
export interface FuseReport {
  /** The method run. */
  method: FusionMethodName;
  /** EM iterations run (null for non-iterative methods). */
  iterations: number | null;
  /** Whether EM met its stopping rule before the iteration limit (null for non-iterative methods). */
  converged: boolean | null;
  /** Wall time of the fusion itself (reading and writing excluded), in seconds. */
  seconds: number;
  /** The label values the confusion matrices index, ascending. */
  labelValues: number[];
  /** Label written where the method could not decide (ties), or null when it never writes one. */
  undecidedLabel: number | null;
  /** Per rater, in the order of `options.raters`. */
  raters: FuseRaterReport[];
}

/** Reads, fuses and writes; returns the report. */
export function fuseFiles(options: FuseFilesOptions): FuseReport {
  const method = fusionMethod(options.method);
  assertNiftiOutput('options.out', options.out);
  const outputs: NamedPath[] = [['options.out', options.out]];
  if (options.prob !== undefined) {
    if (!method.hasProbability) {
      throw new MultiraterError(
        'invalid_argument',
        `${options.prob}: method ${method.name} has no probability map (use staple or mean)`,
      );
    }
    assertNiftiOutput('options.prob', options.prob);
    outputs.push(['options.prob', options.prob]);
  }
  assertOutputsDistinct(outputs, [...options.raters, ...(options.mask === undefined ? [] : [options.mask])]);
  const raters = options.raters.map((file) => readLabelMap(file, { maxDims: 4 }));
  const mask = options.mask === undefined ? undefined : readLabelMap(options.mask, { maxDims: 4 });
  const { result, seconds } = runFusion(options.method, raters, { ...options, names: options.raters, mask });
  if (options.prob !== undefined && result.probability) writeNifti(options.prob, result.probability);
  writeNifti(options.out, result.labels);
  return fuseReport(result, seconds);
}

/** Runs a registered method and times it. */
export function runFusion(
  method: string,
  raters: readonly Volume[],
  options: FuseOptions,
): { result: FusionResult; seconds: number } {
  const start = performance.now();
  const result = fusionMethod(method).fuse(raters, options);
  return { result, seconds: (performance.now() - start) / 1000 };
}

/** The JSON-ready report of a fusion result. */
export function fuseReport(result: FusionResult, seconds: number): FuseReport {
  return {
    method: result.method,
    iterations: result.iterations,
    converged: result.converged,
    seconds,
    labelValues: result.labelValues,
    undecidedLabel: result.undecidedLabel,
    raters: result.raters.map((r) => ({
      file: r.name,
      sensitivity: r.sensitivity,
      specificity: r.specificity,
      confusionMatrix: r.confusionMatrix,
    })),
  };
}
