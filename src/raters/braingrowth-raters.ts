/**
 * The seven experts of the simulated brain-growth data (QUBIQ brain growth has seven raters): each a recorded
 * rater model (`apply-rater.ts`) over the brain mask. Their styles combine three habits — a boundary offset (with a
 * per-case spread), smoothness (an opening that rounds off bumps, or coarse polygons) and the handling of sulci (a
 * closing of radius R bridges every sulcus narrower than 2R, i.e. an expert who draws over the sulci rather than
 * into them) — plus a small hand jitter.
 * seg01–seg05 differ mildly; seg06 draws like seg02 (same habits, a slightly different offset); seg07 differs
 * from all: it takes in the subarachnoid CSF and every sulcus and draws coarse polygons.
 * Styles are habits of the drawing grid: every length below is in pixels (a 0.5 mm pixel of the full 256-px
 * slice: 0.6 px = 0.3 mm there) and becomes mm by the grid's pixel size, so the experts differ at every
 * resolution (at 2 mm pixels a ±0.3 mm offset would move no pixel at all and four experts would draw alike).
 */
import type { RaterModel, RaterStep } from './apply-rater.ts';
import type { LabelRegion } from './label-regions.ts';

const BRAIN: LabelRegion = { labels: [1], paint: 1, under: 0 };

/** The pixel size (mm) at which the styles' lengths were tuned: the 256-px slice of a 128 mm field of view. */
export const BRAINGROWTH_STYLE_SPACING_MM = 0.5;

/** One expert's habits, lengths in pixels of the drawing grid. */
interface ExpertStyle {
  n: number;
  description: string;
  /** Steps with every length in pixels. */
  steps: RaterStep[];
  /** RMS hand jitter (px). */
  jitterPx?: number;
}

// An offset moves the border by whole pixels (a pixel joins when its centre is within reach), so ±1.2 px with a
// per-case spread of 0.2 px moves it by one pixel along the axes, never two.
const offset = (px: number): RaterStep => ({ kind: 'shift', region: BRAIN, mm: px, sd: 0.2 });
const closing = (px: number): RaterStep[] => [
  { kind: 'shift', region: BRAIN, mm: px },
  { kind: 'shift', region: BRAIN, mm: -px },
];
const opening = (px: number): RaterStep[] => [
  { kind: 'shift', region: BRAIN, mm: -px },
  { kind: 'shift', region: BRAIN, mm: px },
];
const polygon = (px: number): RaterStep => ({ kind: 'polygon', stepMm: px, regions: [BRAIN] });

const STYLES: readonly ExpertStyle[] = [
  { n: 1, description: 'follows the gyri and sulci closely, no offset', steps: [offset(0)] },
  {
    n: 2,
    description: 'slightly generous (+1.2 px), bridges the narrow sulci (closing 2 px)',
    steps: [...closing(2), offset(1.2)],
  },
  {
    n: 3,
    description: 'slightly tight (−1.2 px), follows the sulci, smooth outline (polygon every 5 px)',
    steps: [offset(-1.2), polygon(5)],
  },
  { n: 4, description: 'draws over most sulci (closing 4 px), no offset', steps: [...closing(4), offset(0)] },
  { n: 5, description: 'rounded outline (opening 2 px), no offset', steps: [...opening(2), offset(0)] },
  {
    n: 6,
    description: 'close to seg02: the same habits with a less steady hand',
    steps: [...closing(2), offset(1.2)],
    jitterPx: 1,
  },
  {
    n: 7,
    description:
      'differs from all: takes in the subarachnoid CSF (+6 px) and every sulcus (closing 6 px), coarse polygons (10 px)',
    steps: [...closing(6), offset(6), polygon(10)],
  },
];

/** A step with its lengths (given in pixels) turned into mm by `mmPerPx`. */
function inMm(step: RaterStep, mmPerPx: number): RaterStep {
  switch (step.kind) {
    case 'shift':
      return {
        ...step,
        mm: typeof step.mm === 'number' ? step.mm * mmPerPx : step.mm.map((v) => v * mmPerPx),
        ...(step.sd === undefined ? {} : { sd: step.sd * mmPerPx }),
      };
    case 'polygon':
      return { ...step, stepMm: step.stepMm * mmPerPx };
    default:
      return step;
  }
}

/**
 * seg01 … seg07, in order, for a grid of `spacingMm` pixels: the styles' pixel lengths times the pixel size, so
 * each expert moves, smooths and bridges the same number of pixels at every resolution.
 */
export function braingrowthRaters(spacingMm: number): RaterModel[] {
  const mmPerPx = spacingMm;
  return STYLES.map((style) => ({
    name: `seg${String(style.n).padStart(2, '0')}`,
    description: style.description,
    steps: [
      ...style.steps.map((step) => inMm(step, mmPerPx)),
      { kind: 'displace', amplitudeMm: (style.jitterPx ?? 0.6) * mmPerPx, correlationMm: 20 * mmPerPx },
    ],
  }));
}

/** seg01 … seg07 at the styles' own 0.5 mm pixels (the 256-px slice). */
export const BRAINGROWTH_RATERS: readonly RaterModel[] = braingrowthRaters(BRAINGROWTH_STYLE_SPACING_MM);
