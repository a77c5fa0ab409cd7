/**
 * One subject's jaw as numbers (mm): a U-shaped mandibular arch (parabolic centre line in the axial plane) whose
 * body carries the lower teeth, two rami rising from its posterior ends to the condyles, the upper teeth and the
 * hard palate above, and the neighbours a CT of the head and neck shows around them (airway, tongue, cervical
 * spine, spinal canal, parotid glands, masseters). Axes: x to the patient's left (image i), y posterior (image j,
 * anterior at the top of a slice), z superior (slice k); the origin is the centre of the field of view at its
 * lowest slice.
 */
import type { Rng } from '../../random/index.ts';

/** One subject's jaw (`sampleMandibleAnatomy`), mm in the frame of the file comment. */
export interface MandibleAnatomy {
  /** Half-width of the arch at its posterior ends (mm). */
  archHalfWidth: number;
  /** Antero-posterior depth of the arch (mm). */
  archDepth: number;
  /** y of the arch's front (chin) (mm). */
  archFront: number;
  /** Height of the inferior border of the body (mm). */
  bodyBottom: number;
  /** Body height up to the alveolar crest (mm). */
  bodyHeight: number;
  /** Bucco-lingual thickness of the body (mm). */
  bodyThickness: number;
  /** Ramus height above the body's inferior border (mm). */
  ramusHeight: number;
  /** Ramus antero-posterior width (mm). */
  ramusWidth: number;
  /** Posterior lean of the ramus (mm per mm of height). */
  ramusLean: number;
  /** Teeth per side (lower and upper). */
  teethPerSide: number;
  /** Indices (from the midline, 0-based, per side: left then right) of missing lower teeth. */
  missingTeeth: number[];
  /** Left–right semi-axis of the neck/head outline at the jaw (mm). */
  headHalfWidth: number;
  /** Antero-posterior semi-axis of the neck/head outline at the jaw (mm). */
  headHalfDepth: number;
}

/** Draws a subject's jaw from `rng` in a fixed order. */
export function sampleMandibleAnatomy(rng: Rng): MandibleAnatomy {
  const teethPerSide = 7;
  const missingTeeth: number[] = [];
  for (let t = 0; t < 2 * teethPerSide; t++) if (rng.uniform() < 0.1) missingTeeth.push(t);
  return {
    archHalfWidth: rng.range(44, 50),
    archDepth: rng.range(64, 72),
    archFront: rng.range(-58, -50),
    bodyBottom: rng.range(18, 24),
    bodyHeight: rng.range(25, 31),
    bodyThickness: rng.range(10, 13),
    ramusHeight: rng.range(52, 60),
    ramusWidth: rng.range(26, 32),
    ramusLean: rng.range(0.15, 0.3),
    teethPerSide,
    missingTeeth,
    headHalfWidth: rng.range(60, 68),
    headHalfDepth: rng.range(64, 70),
  };
}
