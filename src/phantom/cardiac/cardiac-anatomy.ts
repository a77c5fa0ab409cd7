/**
 * One subject's heart as a handful of numbers, drawn from its group's ranges (`cardiac-groups.ts`), and the
 * beating cycle. Geometry (mm): the LV cavity is a half-ellipsoid (radius `lvRadius` at the base, long semi-axis
 * `lvLength` down to the cavity apex), the epicardium a half-ellipsoid `wall` wider and `apexWall` longer, both
 * with a smooth random angular perturbation; the RV cavity is an ellipse wrapped on the septal side of the LV and
 * stopping short of the apex. Over the cycle the endocardium moves in by `radialRatio`, the base descends by
 * `longRatio`, and the wall thickens so that myocardial volume is conserved.
 */
import type { Rng } from '../../random/index.ts';
import { CARDIAC_GROUP_SPECS, type CardiacGroup, type Range } from './cardiac-groups.ts';

/**
 * One subject's heart (`sampleCardiacAnatomy`): lengths in mm at end-diastole, ratios end-systole over end-diastole.
 */
export interface CardiacAnatomy {
  /** ACDC group whose ranges the parameters were drawn from. */
  group: CardiacGroup;
  /** LV endocardial radius at the base, end-diastole (mm). */
  lvRadius: number;
  /** LV cavity long semi-axis, end-diastole (mm). */
  lvLength: number;
  /** Wall thickness at the base, end-diastole (mm). */
  wall: number;
  /** Apical cap thickness, end-diastole (mm). */
  apexWall: number;
  /** End-systolic over end-diastolic endocardial radius, remote myocardium. */
  radialRatio: number;
  /** End-systolic over end-diastolic long axis. */
  longRatio: number;
  /** Relative amplitudes of the cos 2θ, sin 2θ, cos 3θ, sin 3θ, cos 4θ, sin 4θ shape modes of both LV borders. */
  shapeModes: [number, number, number, number, number, number];
  /** Wall-thickness factor at the centre of the affected sector (1 = no regional change). */
  regionalThickness: number;
  /** Fraction of normal motion at the centre of the affected sector. */
  regionalMotion: number;
  /** Direction of the affected sector's centre in the image plane (rad, image axes). */
  regionalAngle: number;
  /** von Mises concentration of the affected sector (larger = narrower). */
  regionalConcentration: number;
  /** Direction from the LV centre to the RV (rad, image axes: x right, y down). */
  rvAngle: number;
  /** RV free-wall distance beyond the LV epicardium at the base, end-diastole (mm). */
  rvDepth: number;
  /** RV half-width at the base, end-diastole (mm). */
  rvWidth: number;
  /** RV length as a fraction of the LV epicardial length. */
  rvLength: number;
  /** End-systolic over end-diastolic RV depth. */
  rvDepthRatio: number;
  /** End-systolic over end-diastolic RV half-width. */
  rvWidthRatio: number;
  /** LV axis position at the base relative to the image centre (mm, image axes). */
  centre: [number, number];
  /** LV axis drift per mm toward the apex (mm/mm, image axes). */
  tilt: [number, number];
  /** Directions of the two papillary muscles (rad). */
  papillaryAngles: [number, number];
  /** Direction of the thickest epicardial fat (rad). */
  fatAngle: number;
  /** Maximum epicardial fat thickness (mm). */
  fatThickness: number;
}

const draw = (rng: Rng, [lo, hi]: Range): number => rng.range(lo, hi);

/** Draws a subject of `group`; every draw comes from `rng`, in a fixed order. */
export function sampleCardiacAnatomy(group: CardiacGroup, rng: Rng): CardiacAnatomy {
  const g = CARDIAC_GROUP_SPECS[group];
  // The RV lies anterior and to the patient's right: up and to the left in the image.
  const rvAngle = (-150 * Math.PI) / 180 + rng.range(-0.25, 0.25);
  const opposite = rvAngle + Math.PI;
  const regionalAngle = g.regionalSite === 'septum' ? rvAngle + rng.range(-0.2, 0.2) : opposite + rng.range(-0.6, 0.6);
  return {
    group,
    lvRadius: draw(rng, g.lvRadius),
    lvLength: draw(rng, g.lvLength),
    wall: draw(rng, g.wall),
    apexWall: draw(rng, g.apexWall),
    radialRatio: draw(rng, g.radialRatio),
    longRatio: draw(rng, g.longRatio),
    shapeModes: [
      rng.range(-0.07, 0.07),
      rng.range(-0.07, 0.07),
      rng.range(-0.03, 0.03),
      rng.range(-0.03, 0.03),
      rng.range(-0.015, 0.015),
      rng.range(-0.015, 0.015),
    ],
    regionalThickness: draw(rng, g.regionalThickness),
    regionalMotion: draw(rng, g.regionalMotion),
    regionalAngle,
    regionalConcentration: rng.range(2, 3.5),
    rvAngle,
    rvDepth: draw(rng, g.rvDepth),
    rvWidth: draw(rng, g.rvWidth),
    rvLength: draw(rng, g.rvLength),
    rvDepthRatio: draw(rng, g.rvDepthRatio),
    rvWidthRatio: draw(rng, g.rvWidthRatio),
    centre: [rng.range(8, 16), rng.range(0, 8)],
    tilt: [rng.range(-0.08, 0.08), rng.range(-0.08, 0.08)],
    papillaryAngles: [opposite - rng.range(0.6, 0.9), opposite + rng.range(0.6, 0.9)],
    fatAngle: rng.range(-Math.PI, Math.PI),
    fatThickness: rng.range(2, 5),
  };
}

/** End-systolic frame of a cycle of `frames` frames: about 35 % of the cycle (at least frame 1). */
export function endSystolicFrame(frames: number): number {
  return Math.max(1, Math.min(frames - 1, Math.round(0.35 * frames)));
}

/**
 * Contraction (0 at end-diastole, 1 at end-systole) at `frame` of `frames`: a half-cosine ejection up to the
 * end-systolic frame, a half-cosine filling over the next 40 % of the cycle, then diastasis.
 */
export function contraction(frame: number, frames: number): number {
  const tau = frame / frames;
  const es = endSystolicFrame(frames) / frames;
  if (tau <= es) return 0.5 * (1 - Math.cos((Math.PI * tau) / es));
  const fill = (tau - es) / 0.4;
  return fill >= 1 ? 0 : 0.5 * (1 + Math.cos(Math.PI * fill));
}
