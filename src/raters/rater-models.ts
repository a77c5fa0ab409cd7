/**
 * The named simulated raters of the five studies, as recorded step lists (`apply-rater.ts`).
 *
 * - Cardiac (non-expert study: ACDC annotated by a 30-minute-trained non-expert, a well-trained non-expert and
 *   experts): non-experts leave out apical and basal slices, take the right atrium into the RV at the base, draw
 *   the epicardium too wide, hand the papillary muscles to the myocardium and trace the RV's trabeculated border
 *   too tight; `nonexpert1` does all of it strongly, `nonexpert2` a little, `expert` only jitters.
 * - MNIST (Morpho-MNIST annotators of "Learning to segment when experts disagree"): good, over (thickening),
 *   under (thinning), wrong (thickening then fractures), blank; and three harsh ones, over, under and wrong
 *   calibrated to the statistics of the annotators published with the seed's code (no good one).
 * - Mandible CT: `expert` jitters; `dosimetrist` annotates roughly — teeth included, every other slice drawn and
 *   copied, coarse polygons, condyles left out.
 * - Expert styles: N experts each with a consistent personal bias, the last one an outlier.
 */
import { Rng } from '../random/index.ts';
import type { RaterModel, RaterStep } from './apply-rater.ts';
import { CARDIAC_REGIONS, type LabelRegion } from './label-regions.ts';

const [EPI, LV, RV] = CARDIAC_REGIONS;
const ALL_CARDIAC = [1, 2, 3];

/** Cardiac raters: expert, nonexpert2 (well trained), nonexpert1 (30 minutes of training). */
export const CARDIAC_RATERS: Readonly<Record<'expert' | 'nonexpert1' | 'nonexpert2', RaterModel>> = {
  expert: {
    name: 'expert',
    description: 'expert cardiologist: small hand jitter, no systematic error',
    steps: [
      { kind: 'shift', region: EPI, mm: 0, sd: 0.4 },
      { kind: 'shift', region: LV, mm: 0, sd: 0.4, overwrite: [2] },
      { kind: 'shift', region: RV, mm: 0, sd: 0.5 },
      { kind: 'displace', amplitudeMm: 0.8, correlationMm: 12 },
    ],
  },
  nonexpert2: {
    name: 'nonexpert2',
    description:
      'well-trained non-expert: occasionally misses the apex, slightly wide epicardium, a little atrium in the basal RV',
    steps: [
      { kind: 'omitSlices', labels: ALL_CARDIAC, end: 'last', count: 1, probability: 0.25 },
      {
        kind: 'growInto',
        region: RV,
        mm: 4,
        minIntensity: { between: [2, 1], at: 0.6 },
        slices: { label: 1, end: 'first', count: 1 },
      },
      { kind: 'shift', region: EPI, mm: 1.1, sd: 0.4 },
      { kind: 'shift', region: LV, mm: 0, sd: 0.4, overwrite: [2] },
      { kind: 'shift', region: RV, mm: -0.9, sd: 0.5 },
      { kind: 'displace', amplitudeMm: 1, correlationMm: 10 },
    ],
  },
  nonexpert1: {
    name: 'nonexpert1',
    description:
      'non-expert after 30 minutes of training: misses apical and basal slices, includes the right atrium, wide epicardium, papillary muscles as myocardium, tight RV',
    steps: [
      { kind: 'omitSlices', labels: ALL_CARDIAC, end: 'last', count: 2, probability: 0.6 },
      { kind: 'omitSlices', labels: ALL_CARDIAC, end: 'first', count: 1, probability: 0.35 },
      {
        kind: 'growInto',
        region: RV,
        mm: 12,
        minIntensity: { between: [2, 1], at: 0.5 },
        slices: { label: 1, end: 'first', count: 2 },
      },
      { kind: 'relabel', from: 3, to: 2, maxIntensity: { between: [2, 3], at: 0.45 } },
      { kind: 'shift', region: EPI, mm: 2.6, sd: 0.6 },
      { kind: 'shift', region: RV, mm: -1.8, sd: 0.6 },
      { kind: 'displace', amplitudeMm: 1.4, correlationMm: 10 },
    ],
  },
};

const DIGIT: LabelRegion = { labels: [1], paint: 1, under: 0 };

/** Morpho-MNIST annotators (pixel = 1 mm). */
export const MNIST_RATERS: Readonly<Record<'good' | 'over' | 'under' | 'wrong' | 'blank', RaterModel>> = {
  good: {
    name: 'good',
    description: 'good segmentation: the truth with sub-pixel jitter',
    steps: [{ kind: 'displace', amplitudeMm: 0.35, correlationMm: 4 }],
  },
  over: {
    name: 'over',
    description: 'over-segmentation: strokes thickened by 2 px',
    steps: [{ kind: 'shift', region: DIGIT, mm: 2 }],
  },
  under: {
    name: 'under',
    description: 'under-segmentation: strokes thinned by 1 px',
    steps: [{ kind: 'shift', region: DIGIT, mm: -1 }],
  },
  wrong: {
    name: 'wrong',
    description: 'wrong segmentation: strokes thickened by 1.5 px, then 3 fractures',
    steps: [
      { kind: 'shift', region: DIGIT, mm: 1.5 },
      { kind: 'fracture', count: 3, widthPx: 2 },
    ],
  },
  blank: { name: 'blank', description: 'blank segmentation: nothing annotated', steps: [{ kind: 'blank' }] },
};

/**
 * The harsh MNIST annotators: over, under and wrong as published with Zhang et al.'s code (100 digits, against truth
 * = intensity ≥ 0.5: over 2.9× the truth's area, Dice 0.51; under 0.32×, 0.42; wrong 2.0×, 0.53; their majority
 * 0.56). Ours, measured by scripts/calibrate-mnist-annotators.ts on 1,000 digits (mean Dice per digit, pooled area):
 * over 2.91×, 0.50; under 0.34×, 0.42; wrong 1.93×, 0.53; majority 0.56. Distances snap to the pixel grid's
 * (1, √2, 2, √5, 2√2): over is the dilation by 2√2 px.
 */
export const MNIST_HARSH_RATERS: Readonly<Record<'over' | 'under' | 'wrong', RaterModel>> = {
  over: {
    name: 'over',
    description: "harsh over-segmentation: strokes thickened by 2.85 px (2.9× the truth's area)",
    steps: [{ kind: 'shift', region: DIGIT, mm: 2.85 }],
  },
  under: {
    name: 'under',
    description:
      "harsh under-segmentation: strokes thinned by 1 px, then wobbled by 0.8 px (a third of the truth's area, partly outside it)",
    steps: [
      { kind: 'shift', region: DIGIT, mm: -1 },
      { kind: 'displace', amplitudeMm: 0.8, correlationMm: 4 },
    ],
  },
  wrong: {
    name: 'wrong',
    description:
      "harsh wrong segmentation: strokes thickened by 2 px, then 2 fractures 2 px wide (2× the truth's area, a fifth of it missed)",
    steps: [
      { kind: 'shift', region: DIGIT, mm: 2 },
      { kind: 'fracture', count: 2, widthPx: 2 },
    ],
  },
};

const MANDIBLE: LabelRegion = { labels: [1], paint: 1, under: 0 };

/** Mandible raters: expert and rough dosimetrist. */
export const HEADNECK_RATERS: Readonly<Record<'expert' | 'dosimetrist', RaterModel>> = {
  expert: {
    name: 'expert',
    description: 'expert radiation oncologist: small jitter',
    steps: [
      { kind: 'shift', region: MANDIBLE, mm: 0, sd: 0.3 },
      { kind: 'displace', amplitudeMm: 0.6, correlationMm: 15 },
    ],
  },
  dosimetrist: {
    name: 'dosimetrist',
    description:
      'rough dosimetrist: teeth included in half the cases, top slices (condyles) often left out, every other slice copied, coarse polygons, uneven care',
    // Calibrated against the expert (clean) labels at the seed's grid to the study's dosimetrist (Dice 0.87 ± 0.08,
    // median 0.87, 22 % of cases below 0.80): scripts/calibrate-dosimetrist.ts; the README has the measurement.
    steps: [
      { kind: 'growInto', region: MANDIBLE, mm: 6, minIntensity: 1500, probability: 0.5 },
      { kind: 'omitSlices', end: 'last', count: 2, probability: 0.6 },
      { kind: 'skipSlices', every: 2 },
      { kind: 'polygon', stepMm: 2.5, regions: [MANDIBLE] },
      { kind: 'shift', region: MANDIBLE, mm: 0, sd: 0.8 },
      { kind: 'displace', amplitudeMm: 0.7, correlationMm: 12 },
    ],
  },
};

/** Options of `expertStyles`: the regions every style draws and whether the last is an outlier. */
export interface ExpertStylesOptions {
  /** Regions of the label map, outer first (`label-regions.ts`). */
  regions: readonly LabelRegion[];
  /** Make the last expert an outlier (wide bias, coarse polygons); default true. */
  outlier?: boolean;
}

/**
 * `count` experts named style1 … styleN, each with a consistent personal bias per region (drawn once per style
 * index, the same in every dataset) and small per-case jitter; the last one an outlier when asked.
 */
export function expertStyles(count: number, options: ExpertStylesOptions): RaterModel[] {
  const out: RaterModel[] = [];
  for (let k = 1; k <= count; k++) {
    const rng = new Rng(0x5717e).fork(`style${k}`);
    const tendency = rng.range(-1, 1);
    const isOutlier = (options.outlier ?? true) && k === count && count > 1;
    const steps: RaterStep[] = options.regions.map((region, r) => {
      const mm = isOutlier && r === 0 ? 3.5 : tendency + rng.range(-0.4, 0.4);
      return {
        kind: 'shift',
        region,
        mm: Math.round(mm * 100) / 100,
        sd: 0.3,
        overwrite: region.under === 0 ? [0] : [region.under],
      };
    });
    if (isOutlier) steps.push({ kind: 'polygon', stepMm: 6, regions: [...options.regions] });
    steps.push({ kind: 'displace', amplitudeMm: 0.5, correlationMm: 15 });
    out.push({
      name: `style${k}`,
      description: isOutlier
        ? 'outlier expert: much wider outer border, coarse polygons'
        : `expert with a consistent ${tendency >= 0 ? 'wide' : 'tight'} style (${tendency.toFixed(2)} mm)`,
      steps,
    });
  }
  return out;
}
