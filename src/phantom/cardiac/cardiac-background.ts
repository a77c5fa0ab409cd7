/**
 * The static surroundings of the heart in a short-axis view, as bSSFP shows them: mid-grey body tissue with texture,
 * the anterior chest wall (muscle under subcutaneous fat), dark lungs on both sides with bright vessel dots, the
 * bright descending aorta behind the LV, the spine, and the liver rising into the apical slices. Positions are mm
 * in the image plane (x right = patient left, y down = posterior), relative to the image centre.
 */
import type { Rng } from '../../random/index.ts';

/**
 * Intensity of each surrounding tissue, on the scale of `TISSUE_INTENSITY` (LV blood 1) before the vendor's contrast
 * curve.
 */
export const BACKGROUND_INTENSITY = {
  air: 0,
  body: 0.36,
  muscle: 0.27,
  fat: 0.86,
  lung: 0.05,
  vessel: 0.62,
  aorta: 0.85,
  liver: 0.42,
  spine: 0.48,
};

/** One subject's static surroundings of the heart (`sampleSurroundings`), mm in the image plane. */
export interface CardiacSurroundings {
  /** Chest wall: depth of the skin surface above the heart centre (mm, negative y). */
  skinY: number;
  /** Subcutaneous fat thickness under the skin (mm). */
  fatMm: number;
  /** Pectoral muscle thickness under the fat (mm). */
  muscleMm: number;
  /** Lung ellipses: centre x, centre y, semi-axes (mm); left in the image first. */
  lungs: [number, number, number, number][];
  /** Vessel dots inside the lungs: x, y, radius (mm). */
  vessels: [number, number, number][];
  /** Descending aorta: x, y, radius (mm). */
  aorta: [number, number, number];
  /** Liver: centre x, centre y, semi-axes at the lowest slice (mm). */
  liver: [number, number, number, number];
}

/** Draws a subject's surroundings; `heartX`, `heartY` is the LV axis at the base (mm). */
export function sampleSurroundings(rng: Rng, heartX: number, heartY: number): CardiacSurroundings {
  const lungs: [number, number, number, number][] = [
    [heartX - rng.range(88, 100), heartY + rng.range(-5, 10), rng.range(26, 32), rng.range(55, 65)],
    [heartX + rng.range(58, 68), heartY + rng.range(0, 15), rng.range(24, 30), rng.range(55, 65)],
  ];
  const vessels: [number, number, number][] = [];
  for (const [lx, ly, ax, ay] of lungs) {
    for (let v = 0; v < 6; v++) {
      const t = rng.range(0, 2 * Math.PI);
      const s = Math.sqrt(rng.uniform()) * 0.8;
      vessels.push([lx + ax * s * Math.cos(t), ly + ay * s * Math.sin(t), rng.range(1.2, 2.6)]);
    }
  }
  return {
    skinY: heartY - rng.range(62, 74),
    fatMm: rng.range(6, 12),
    muscleMm: rng.range(8, 12),
    lungs,
    vessels,
    aorta: [heartX + rng.range(18, 30), heartY + rng.range(50, 58), rng.range(9, 12)],
    liver: [heartX - rng.range(30, 45), heartY + rng.range(55, 70), rng.range(55, 70), rng.range(35, 45)],
  };
}

/** Squared bound of the lungs' lobulated radius (1 + 0.08 + 0.04, with margin) in ellipse units. */
const MAX_LOBE_SQUARED = 1.13 * 1.13;

/**
 * Intensity of the surroundings at (x, y) mm; `apexward` in [0, 1] grows from the base slice to the lowest slice
 * (the liver dome enlarges toward the apex).
 */
export function surroundingsIntensity(s: CardiacSurroundings, x: number, y: number, apexward: number): number {
  const I = BACKGROUND_INTENSITY;
  const wave = 4 * Math.cos(x / 25);
  const skin = s.skinY + wave;
  if (y < skin) return I.air;
  if (y < skin + s.fatMm) return I.fat;
  if (y < skin + s.fatMm + s.muscleMm) return I.muscle;
  const [axx, ayy, ar] = s.aorta;
  if ((x - axx) ** 2 + (y - ayy) ** 2 < ar * ar) return I.aorta;
  const [lx, ly, la, lb] = s.liver;
  const grow = 0.35 + 0.65 * apexward;
  const lu = (x - lx) / (la * grow);
  const lv = (y - ly) / (lb * grow);
  if (lu * lu + lv * lv < 1) return I.liver;
  for (const [cx, cy, a, b] of s.lungs) {
    const u = (x - cx) / a;
    const v = (y - cy) / b;
    const q = u * u + v * v;
    // The lobes reach at most 1.12: beyond that the trigonometry below cannot change the answer.
    if (q >= MAX_LOBE_SQUARED) continue;
    // A lobulated border rather than a perfect ellipse.
    const angle = Math.atan2(v, u);
    const lobes = 1 + 0.08 * Math.cos(3 * angle + cx) + 0.04 * Math.cos(7 * angle + cy);
    if (q < lobes * lobes) {
      for (const [vx, vy, vr] of s.vessels) if ((x - vx) ** 2 + (y - vy) ** 2 < vr * vr) return I.vessel;
      return I.lung;
    }
  }
  if ((x - s.aorta[0] + 25) ** 2 + (y - s.aorta[1] - 28) ** 2 < 18 * 18) return I.spine;
  return I.body;
}
