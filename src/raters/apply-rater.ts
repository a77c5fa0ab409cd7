/**
 * A rater model is a recorded list of steps applied to the truth in order — each step one of the pure operations
 * of this folder — so any simulated annotation replays exactly from (truth, image, model, seed). Step i draws from
 * its own stream `Rng(seed).fork(i:kind)`, so adding a step leaves the draws of the others unchanged.
 */
import { MultiraterError } from '../errors.ts';
import { Rng } from '../random/index.ts';
import { assertSameGrid } from '../volume/index.ts';
import { createVolume, type Volume } from '../volume/index.ts';
import { displaceLabels } from './displace-labels.ts';
import { fractureStrokes } from './fracture-strokes.ts';
import { growInto, relabelDark, type IntensityLevel, type SliceRange } from './intensity-edits.ts';
import type { LabelRegion } from './label-regions.ts';
import { polygonDelineation } from './polygon-delineation.ts';
import { shiftBoundary } from './shift-boundary.ts';
import { omitSlices, skipSlices } from './slice-edits.ts';

/** One operation of a rater model (units: mm unless named otherwise). */
export type RaterStep =
  /** Dilate (mm > 0) or erode (mm < 0) a region; `sd` (mm) draws a per-case offset added to a scalar `mm`. */
  | {
      /** Selects `shiftBoundary`. */
      kind: 'shift';
      /** Region whose border moves (`label-regions.ts`). */
      region: LabelRegion;
      /** Signed distance (mm), or per axis [x, y, z]; a 0 on z shifts each slice in-plane only. */
      mm: number | number[];
      /** Standard deviation (mm) of the per-case normal offset added to `mm`; needs a scalar `mm`; default 0. */
      sd?: number;
      /** Labels a growing region may take over; default background only ([0]). */
      overwrite?: number[];
    }
  /** Smooth random in-plane displacement of RMS `amplitudeMm` over `correlationMm`. */
  | {
      /** Selects `displaceLabels`. */
      kind: 'displace';
      /** Root-mean-square in-plane displacement over the grid (mm); ≤ 0 leaves the labels unchanged. */
      amplitudeMm: number;
      /** Distance over which the displacement decorrelates, in-plane and through-plane (mm). */
      correlationMm: number;
    }
  /** Polygonal re-drawing with a vertex every `stepMm`. */
  | {
      /** Selects `polygonDelineation`. */
      kind: 'polygon';
      /** Distance between consecutive vertices along each contour (mm). */
      stepMm: number;
      /** Regions re-drawn, outer first (`label-regions.ts`). */
      regions: LabelRegion[];
    }
  /** Leave out candidate slices at one end of a structure. */
  | {
      /** Selects `omitSlices`. */
      kind: 'omitSlices';
      /** Labels that define the structure's extent and are erased; default every non-zero label. */
      labels?: number[];
      /** Which end of the extent: the first labelled slices (lowest index) or the last. */
      end: 'first' | 'last';
      /** Number of labelled slices at that end that are candidates. */
      count: number;
      /** Chance (0–1) that each candidate slice is erased, drawn per slice. */
      probability: number;
    }
  /** Draw every n-th slice only and copy it to the skipped ones. */
  | {
      /** Selects `skipSlices`. */
      kind: 'skipSlices';
      /** One labelled slice in this many is drawn (random phase); ≤ 1 changes nothing. */
      every: number;
    }
  /** Grow into adjacent bright voxels (needs the image); per case with `probability` (0–1, default 1). */
  | {
      /** Selects `growInto`. */
      kind: 'growInto';
      /** Region that grows; gained voxels take its `paint` label. */
      region: LabelRegion;
      /** Furthest in-plane reach of the growth (mm). */
      mm: number;
      /** Only background voxels at least this bright (image units) are taken. */
      minIntensity: IntensityLevel;
      /** Restricts the growth to slices at one end of a label's extent; default every slice. */
      slices?: SliceRange;
      /** Chance (0–1) that the step applies to a case; default 1. */
      probability?: number;
    }
  /** Relabel dark voxels of one label (needs the image). */
  | {
      /** Selects `relabelDark`. */
      kind: 'relabel';
      /** Label whose dark voxels change. */
      from: number;
      /** Label those voxels become. */
      to: number;
      /** Voxels strictly below this intensity (image units) change. */
      maxIntensity: IntensityLevel;
    }
  /** Fractures across strokes, per slice. */
  | {
      /** Selects `fractureStrokes`. */
      kind: 'fracture';
      /** Cuts per slice that holds foreground. */
      count: number;
      /** Width of each cut (pixels). */
      widthPx: number;
    }
  /** Annotates nothing. */
  | {
      /** Erases every label: the rater leaves the case empty. */
      kind: 'blank';
    };

/** A named, documented list of steps. */
export interface RaterModel {
  /** Rater name, as in dataset.json `raters` (e.g. 'nonexpert1'). */
  name: string;
  /** One line on who this rater is. */
  description: string;
  /** Steps applied to the truth in order; step i draws from `Rng(seed).fork('i:kind')`. */
  steps: RaterStep[];
}

/** The label map `model` draws for `truth` (and `image`, for image-guided steps), from `seed`. */
export function applyRater(truth: Volume, image: Volume | null, model: RaterModel, seed: number): Volume<Uint8Array> {
  if (image) assertSameGrid(truth, 'truth', image, 'image');
  const { shape, spacing } = truth;
  if (shape.length > 3)
    throw new MultiraterError(
      'invalid_argument',
      `rater "${model.name}": truth must be 2D or 3D, got shape ${shape.join('×')}`,
    );
  const root = new Rng(seed);
  let labels: Uint8Array = Uint8Array.from(truth.data as ArrayLike<number>);
  model.steps.forEach((step, i) => {
    const rng = root.fork(`${i}:${step.kind}`);
    switch (step.kind) {
      case 'shift': {
        if (step.sd && typeof step.mm !== 'number')
          throw new MultiraterError('invalid_argument', `rater "${model.name}": shift sd needs a scalar mm`);
        const mm = typeof step.mm === 'number' ? step.mm + (step.sd ?? 0) * rng.normal() : step.mm;
        shiftBoundary(labels, shape, spacing, { region: step.region, mm, overwrite: step.overwrite });
        break;
      }
      case 'displace':
        labels = displaceLabels(labels, shape, spacing, rng, step);
        break;
      case 'polygon':
        labels = polygonDelineation(labels, shape, spacing, rng, step);
        break;
      case 'omitSlices':
        omitSlices(labels, shape, rng, step);
        break;
      case 'skipSlices':
        skipSlices(labels, shape, rng, step);
        break;
      case 'growInto':
        if (step.probability === undefined || rng.uniform() < step.probability) growInto(labels, truth, image, step);
        break;
      case 'relabel':
        relabelDark(labels, truth, image, step);
        break;
      case 'fracture':
        fractureStrokes(labels, shape, rng, step);
        break;
      case 'blank':
        labels.fill(0);
        break;
    }
  });
  return createVolume(shape, labels, { spacing, affine: truth.affine });
}
