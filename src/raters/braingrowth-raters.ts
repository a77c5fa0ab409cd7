/**
 * The seven experts of the simulated brain-growth data (QUBIQ brain growth has seven raters): each a recorded
 * rater model (`apply-rater.ts`) over the brain mask, 0.5 mm pixels. Their styles combine three habits —
 * a boundary offset (mm, with a per-case spread), smoothness (an opening that rounds off bumps, or coarse
 * polygons) and the handling of sulci (a closing of radius R bridges every sulcus narrower than 2R, i.e. an
 * expert who draws over the sulci rather than into them) — plus a small hand jitter.
 * seg01–seg05 differ mildly; seg06 draws like seg02 (same habits, a slightly different offset); seg07 differs
 * from all: it takes in the subarachnoid CSF (+3 mm) and every sulcus and draws coarse polygons.
 */
import type { RaterModel, RaterStep } from './apply-rater.ts';
import type { LabelRegion } from './label-regions.ts';

const BRAIN: LabelRegion = { labels: [1], paint: 1, under: 0 };

// Pixels are 0.5 mm: an offset moves the border by whole pixels (a pixel joins when its centre is within reach),
// so ±0.6 mm with a per-case spread of 0.1 mm moves it by one pixel along the axes, never two.
const offset = (mm: number): RaterStep => ({ kind: 'shift', region: BRAIN, mm, sd: 0.1 });
const closing = (mm: number): RaterStep[] => [
  { kind: 'shift', region: BRAIN, mm },
  { kind: 'shift', region: BRAIN, mm: -mm },
];
const opening = (mm: number): RaterStep[] => [
  { kind: 'shift', region: BRAIN, mm: -mm },
  { kind: 'shift', region: BRAIN, mm },
];
const jitter = (amplitudeMm: number): RaterStep => ({ kind: 'displace', amplitudeMm, correlationMm: 10 });

function expert(n: number, description: string, steps: RaterStep[], jitterMm = 0.3): RaterModel {
  return { name: `seg${String(n).padStart(2, '0')}`, description, steps: [...steps, jitter(jitterMm)] };
}

/** seg01 … seg07, in order. */
export const BRAINGROWTH_RATERS: readonly RaterModel[] = [
  expert(1, 'follows the gyri and sulci closely, no offset', [offset(0)]),
  expert(2, 'slightly generous (+0.6 mm), bridges the narrow sulci (closing 1 mm)', [...closing(1), offset(0.6)]),
  expert(3, 'slightly tight (−0.6 mm), follows the sulci, smooth outline (polygon every 2.5 mm)', [
    offset(-0.6),
    { kind: 'polygon', stepMm: 2.5, regions: [BRAIN] },
  ]),
  expert(4, 'draws over most sulci (closing 2 mm), no offset', [...closing(2), offset(0)]),
  expert(5, 'rounded outline (opening 1 mm), no offset', [...opening(1), offset(0)]),
  expert(6, 'close to seg02: the same habits with a less steady hand', [...closing(1), offset(0.6)], 0.5),
  expert(
    7,
    'differs from all: takes in the subarachnoid CSF (+3 mm) and every sulcus (closing 3 mm), coarse polygons (5 mm)',
    [...closing(3), offset(3), { kind: 'polygon', stepMm: 5, regions: [BRAIN] }],
  ),
];
