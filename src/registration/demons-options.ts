/**
 * Options of the diffeomorphic demons (`demons.ts`) with the defaults of ITK's
 * DiffeomorphicDemonsRegistrationFilter as SimpleITK exposes them (SimpleITK's
 * Code/BasicFilters/json/DiffeomorphicDemonsRegistrationFilter.json; ITK's ESMDemonsRegistrationFunction).
 */
import { MultiraterError } from '../errors.ts';

/** Which image gradient drives the demons force (ITK's UseGradientType). */
export type DemonsGradient = 'symmetric' | 'fixed' | 'warped-moving';

/** Options of `demons` (also `RegisterPairOptions.demons`); units and defaults as ITK's filter. */
export interface DemonsOptions {
  /**
   * Iterations per resolution level, finest level's count reused when fewer are given (ITK NumberOfIterations,
   * default 10). A number applies to every level.
   */
  iterations?: number | readonly number[];
  /** Standard deviation of the Gaussian that smooths the displacement field after each update, in voxels (ITK StandardDeviations, default 1). */
  standardDeviation?: number;
  /** Smooth the displacement field after each update: elastic regularisation (ITK SmoothDisplacementField, default true). */
  smoothDisplacementField?: boolean;
  /** Smooth the update field before it is composed: fluid regularisation (ITK SmoothUpdateField, default false). */
  smoothUpdateField?: boolean;
  /** Standard deviation of the update-field Gaussian, in voxels (ITK UpdateFieldStandardDeviations, default 1). */
  updateFieldStandardDeviation?: number;
  /** Stop a level when the RMS length of the update falls below this, in mm (ITK MaximumRMSError, default 0.02). */
  maximumRmsError?: number;
  /**
   * Largest update step, in voxels of root-mean-square spacing (ITK MaximumUpdateStepLength, default 0.5): the
   * "ITK-Thirion" normalisation |∇|² + (f − m)²/K with K = mean(spacing²)·step² bounds every update by √K mm.
   * 0 gives the unbounded least-squares step.
   */
  maximumUpdateStepLength?: number;
  /** Gradient of the force (ITK UseGradientType, default 'symmetric': (∇f + ∇(m∘φ)) / 2, the ESM force). */
  gradient?: DemonsGradient;
  /** Compose with Id + u instead of exp(u) (ITK UseFirstOrderExp, default false). */
  useFirstOrderExp?: boolean;
  /** Intensity differences below this give no force, in image units (ITK IntensityDifferenceThreshold, default 0.001). */
  intensityDifferenceThreshold?: number;
  /** Mass of the Gaussian kernels left out by their truncation, 0–1 (ITK MaximumError, default 0.1). */
  maximumError?: number;
  /** Largest Gaussian half-width, in voxels (ITK MaximumKernelWidth, default 30). */
  maximumKernelWidth?: number;
  /**
   * Resolution levels (default 1: ITK's filter alone). Level l of L works on the images shrunk by 2^(L−1−l) along
   * every axis that keeps at least 8 voxels (so thick-slice stacks are shrunk in-plane only), after a Gaussian of
   * σ = factor / 2 voxels; the field is carried to the next level by linear interpolation.
   */
  levels?: number;
}

/** Every option filled in. */
export interface ResolvedDemonsOptions extends Required<Omit<DemonsOptions, 'iterations'>> {
  /** Iterations per resolution level, coarse to fine, one entry per level. */
  iterations: number[];
}

/** Fills ITK's defaults and checks ranges; see `DemonsOptions`. */
export function resolveDemonsOptions(o: DemonsOptions = {}): ResolvedDemonsOptions {
  const levels = o.levels ?? 1;
  if (!Number.isInteger(levels) || levels < 1 || levels > 6)
    throw new MultiraterError('invalid_argument', `demons: levels must be an integer 1–6, got ${levels}`);
  const its = typeof o.iterations === 'number' || o.iterations === undefined ? [o.iterations ?? 10] : [...o.iterations];
  if (its.length === 0 || its.some((n) => !Number.isInteger(n) || n < 0)) {
    throw new MultiraterError(
      'invalid_argument',
      `demons: iterations must be non-negative integers, got ${JSON.stringify(o.iterations)}`,
    );
  }
  const iterations = Array.from({ length: levels }, (_, l) => its[Math.min(l, its.length - 1)]);
  const r: ResolvedDemonsOptions = {
    iterations,
    standardDeviation: o.standardDeviation ?? 1,
    smoothDisplacementField: o.smoothDisplacementField ?? true,
    smoothUpdateField: o.smoothUpdateField ?? false,
    updateFieldStandardDeviation: o.updateFieldStandardDeviation ?? 1,
    maximumRmsError: o.maximumRmsError ?? 0.02,
    maximumUpdateStepLength: o.maximumUpdateStepLength ?? 0.5,
    gradient: o.gradient ?? 'symmetric',
    useFirstOrderExp: o.useFirstOrderExp ?? false,
    intensityDifferenceThreshold: o.intensityDifferenceThreshold ?? 0.001,
    maximumError: o.maximumError ?? 0.1,
    maximumKernelWidth: o.maximumKernelWidth ?? 30,
    levels,
  };
  for (const k of [
    'standardDeviation',
    'updateFieldStandardDeviation',
    'maximumRmsError',
    'maximumUpdateStepLength',
    'intensityDifferenceThreshold',
  ] as const) {
    if (!(r[k] >= 0)) throw new MultiraterError('invalid_argument', `demons: ${k} must be ≥ 0, got ${r[k]}`);
  }
  if (!(r.maximumError > 0 && r.maximumError < 1))
    throw new MultiraterError('invalid_argument', `demons: maximumError must be within (0, 1), got ${r.maximumError}`);
  if (!['symmetric', 'fixed', 'warped-moving'].includes(r.gradient)) {
    throw new MultiraterError(
      'invalid_argument',
      `demons: gradient must be symmetric, fixed or warped-moving, got ${r.gradient}`,
    );
  }
  return r;
}
