/**
 * Head-and-neck CT phantom for mandible segmentation (the noisy-annotation-ratio study): a 3D volume in Hounsfield
 * units with the mandible (body along a U-shaped arch, rami, condyles, coronoid processes; cortical shell over
 * cancellous bone), lower teeth rooted in it and crowned above it, upper teeth and palate, airway, tongue, cervical
 * spine and canal, parotid glands and masseters, inside a head outline with a layer of subcutaneous fat. Rendered
 * with 2×2×2 sub-samples per voxel (partial volume), blurred in-plane and given Gaussian noise, as CT noise is
 * close to Gaussian at these doses. Truth: 1 = mandible (bone only; teeth excluded), the tissue at each voxel centre.
 * The anatomy spans z = 0–120 mm; a taller volume (the seed study's 128 slices of 3 mm) centres that span, the neck
 * continuing below it and the skull above.
 */
import { MultiraterError } from '../../errors.ts';
import { Rng } from '../../random/index.ts';
import { distanceTransform } from '../../volume/index.ts';
import { createVolume, diagonalAffine, type Volume } from '../../volume/index.ts';
import { gaussianBlurSlices } from '../gaussian-blur.ts';
import { sampleMandibleAnatomy, type MandibleAnatomy } from './mandible-anatomy.ts';

/** Options of `headneckPhantom`: the subject's seed, the CT grid and the noise level. */
export interface HeadneckPhantomOptions {
  /** Seed of every random draw of this subject. */
  seed: number;
  /** Voxels per axis; default [96, 96, 48]. */
  shape?: [number, number, number];
  /** Voxel size per axis in mm; default [1.5, 1.5, 2.5]. */
  spacing?: [number, number, number];
  /** CT noise standard deviation (HU); default 18. */
  noiseHu?: number;
}

/** The noisy-ratio study's CT grid: 256×256×128 voxels of 1.17×1.17×3 mm. */
export const HEADNECK_SEED_GEOMETRY: Readonly<{
  /** Voxels along x, y, z. */
  shape: [number, number, number];
  /** Voxel size along x, y, z (mm). */
  spacing: [number, number, number];
}> = { shape: [256, 256, 128], spacing: [1.17, 1.17, 3] };

/** Height of the anatomy's z span, mm. */
const SCENE_HEIGHT_MM = 120;

/** One subject of `headneckPhantom`: the CT, its mandible truth and the anatomy drawn for it. */
export interface HeadneckPhantom {
  /** CT volume in HU, int16. */
  image: Volume<Int16Array>;
  /** Truth: 1 mandible, 0 elsewhere. */
  labels: Volume<Uint8Array>;
  /** The subject's drawn jaw (recorded, so the subject can be described and replayed). */
  anatomy: MandibleAnatomy;
}

const T = {
  air: 0,
  fat: 1,
  soft: 2,
  muscle: 3,
  parotid: 4,
  mandible: 5,
  root: 6,
  enamel: 7,
  maxilla: 8,
  vertebra: 9,
  disc: 10,
  canal: 11,
} as const;
const HU = Float32Array.of(-1000, -95, 35, 60, -15, 0, 1700, 2600, 900, 450, 85, 25);
const CORTICAL_HU = 1450;
const CANCELLOUS_HU = 380;
const CORTEX_MM = 2.2;
const MAP_STEP = 0.5;

/** Renders one subject. Same options, same bytes. */
export function headneckPhantom(options: HeadneckPhantomOptions): HeadneckPhantom {
  const [nx, ny, nz] = options.shape ?? [96, 96, 48];
  const spacing = options.spacing ?? [1.5, 1.5, 2.5];
  if ([nx, ny, nz].some((n) => !Number.isInteger(n) || n < 8))
    throw new MultiraterError('invalid_argument', `headneck phantom: shape ${nx}×${ny}×${nz} must be integers ≥ 8`);
  const rng = new Rng(options.seed);
  const anatomy = sampleMandibleAnatomy(rng.fork('anatomy'));
  const jaw = new JawScene(anatomy, ((nx - 1) / 2) * spacing[0] + 2, ((ny - 1) / 2) * spacing[1] + 2);
  const pos = (i: number, n: number, s: number) => (i - (n - 1) / 2) * s;
  const zOffset = Math.max(0, (nz * spacing[2] - SCENE_HEIGHT_MM) / 2);
  const n = nx * ny * nz;
  const labels = new Uint8Array(n);
  for (let k = 0; k < nz; k++) {
    for (let j = 0; j < ny; j++) {
      for (let i = 0; i < nx; i++) {
        labels[i + nx * (j + ny * k)] =
          jaw.classify(pos(i, nx, spacing[0]), pos(j, ny, spacing[1]), k * spacing[2] - zOffset) === T.mandible ? 1 : 0;
      }
    }
  }
  // Cortical shell: bone within CORTEX_MM of the mandible's surface.
  const outside = new Uint8Array(n);
  for (let v = 0; v < n; v++) outside[v] = labels[v] ? 0 : 1;
  const depth = distanceTransform(outside, [nx, ny, nz], { spacing });
  const hu = new Float32Array(n);
  for (let k = 0; k < nz; k++) {
    for (let j = 0; j < ny; j++) {
      for (let i = 0; i < nx; i++) {
        const v = i + nx * (j + ny * k);
        const bone = depth[v] <= CORTEX_MM ? CORTICAL_HU : CANCELLOUS_HU;
        let sum = 0;
        for (let sk = 0; sk < 2; sk++) {
          const z = (k + (sk - 0.5) / 2) * spacing[2] - zOffset;
          for (let sj = 0; sj < 2; sj++) {
            const y = pos(j + (sj - 0.5) / 2, ny, spacing[1]);
            for (let si = 0; si < 2; si++) {
              const t = jaw.classify(pos(i + (si - 0.5) / 2, nx, spacing[0]), y, z);
              sum += t === T.mandible ? bone : HU[t];
            }
          }
        }
        hu[v] = sum / 8;
      }
    }
  }
  gaussianBlurSlices(hu, nx, ny, 0.6);
  const noise = rng.fork('noise');
  const sigma = options.noiseHu ?? 18;
  const image = new Int16Array(n);
  for (let v = 0; v < n; v++) image[v] = Math.max(-1024, Math.min(3071, Math.round(hu[v] + sigma * noise.normal())));
  const affine = diagonalAffine(spacing, [pos(0, nx, spacing[0]), pos(0, ny, spacing[1]), -zOffset]);
  return {
    image: createVolume([nx, ny, nz], image, { spacing, affine }),
    labels: createVolume([nx, ny, nz], labels, { spacing, affine }),
    anatomy,
  };
}

/** Tissue at a point (mm). The arch's distance and arc-length maps make the body and teeth a table look-up. */
class JawScene {
  private readonly a: MandibleAnatomy;
  private readonly mapW: number;
  private readonly mapH: number;
  private readonly halfX: number;
  private readonly halfY: number;
  /** Distance to the arch centre line (mm) and signed arc length of the nearest point from the midline (mm). */
  private readonly dist: Float32Array;
  private readonly arc: Float32Array;
  private readonly teeth: number[];
  private readonly endY: number;

  constructor(anatomy: MandibleAnatomy, halfX: number, halfY: number) {
    this.a = anatomy;
    this.halfX = halfX;
    this.halfY = halfY;
    this.mapW = Math.ceil((2 * halfX) / MAP_STEP) + 1;
    this.mapH = Math.ceil((2 * halfY) / MAP_STEP) + 1;
    const { archHalfWidth: w, archDepth: d, archFront: f } = anatomy;
    this.endY = f + d;
    // Centre line y = archY(x), sampled every 0.5 mm of arc.
    const px: number[] = [];
    const py: number[] = [];
    const ps: number[] = [];
    let s = 0;
    let prevX = 0;
    let prevY = f;
    for (let q = 0; q <= 2000; q++) {
      const x = (w * q) / 2000;
      const y = this.archY(x);
      s += Math.hypot(x - prevX, y - prevY);
      prevX = x;
      prevY = y;
      if (q % 10 === 0) {
        px.push(x, -x);
        py.push(y, y);
        ps.push(s, -s);
      }
    }
    this.dist = new Float32Array(this.mapW * this.mapH).fill(1e6);
    this.arc = new Float32Array(this.mapW * this.mapH);
    const reach = 40;
    for (let my = 0; my < this.mapH; my++) {
      const y = my * MAP_STEP - halfY;
      if (y < f - reach || y > f + d + reach) continue;
      for (let mx = 0; mx < this.mapW; mx++) {
        const x = mx * MAP_STEP - halfX;
        if (Math.abs(x) > w + reach) continue;
        let best = Infinity;
        let at = 0;
        for (let p = 0; p < px.length; p++) {
          const dd = (x - px[p]) ** 2 + (y - py[p]) ** 2;
          if (dd < best) {
            best = dd;
            at = ps[p];
          }
        }
        this.dist[mx + this.mapW * my] = Math.sqrt(best);
        this.arc[mx + this.mapW * my] = at;
      }
    }
    this.teeth = [];
    for (let t = 0; t < anatomy.teethPerSide; t++) this.teeth.push(4 + 8.4 * t);
  }

  /** The arch centre line: flat at the chin, curving back to the posterior ends (a U rather than a V). */
  archY(x: number): number {
    const a = this.a;
    return a.archFront + a.archDepth * Math.abs(x / a.archHalfWidth) ** 2.6;
  }

  classify(x: number, y: number, z: number): number {
    const a = this.a;
    const zb = a.bodyBottom;
    const crest = zb + a.bodyHeight;
    const headScale = z < zb ? 0.82 + (0.18 * Math.max(0, z)) / zb : 1;
    const hx = a.headHalfWidth * headScale;
    const hy = a.headHalfDepth * headScale;
    const e = (x / hx) ** 2 + ((y - 4) / hy) ** 2;
    if (e >= 1) return T.air;
    const mx = Math.round((x + this.halfX) / MAP_STEP);
    const my = Math.round((y + this.halfY) / MAP_STEP);
    const m = mx + this.mapW * my;
    const d = this.dist[m];
    const s = this.arc[m];
    const halfT = a.bodyThickness / 2;
    // Teeth: lower (roots inside the body, crowns above the crest) and upper.
    if (d < 6 && z > crest - 11 && z < crest + 21) {
      const side = s < 0 ? 1 : 0;
      const as = Math.abs(s);
      for (let t = 0; t < this.teeth.length; t++) {
        const r = Math.min(5, 3 + 0.35 * t);
        const ds = as - this.teeth[t];
        if (ds * ds + d * d >= r * r) continue;
        if (z < crest + 9) {
          if (a.missingTeeth.includes(t + side * a.teethPerSide)) break;
          return z > crest + 1 ? T.enamel : T.root;
        }
        if (z > crest + 10.5) return z < crest + 17 ? T.enamel : T.root;
      }
    }
    // Mandibular body: rounded inferior border, alveolar ridge narrowing toward the crest.
    if (z >= zb && z <= crest) {
      const h = z - zb;
      let half = halfT * (1 - 0.35 * (h / a.bodyHeight) ** 2);
      if (h < 4) half *= Math.sqrt(1 - ((4 - h) / 4) ** 2 * 0.9);
      if (d < half) return T.mandible;
    }
    if (this.inRamus(x, y, z)) return T.mandible;
    // Maxilla: alveolar bone around the upper roots, and the hard palate.
    if (z > crest + 17 && z < crest + 27) {
      if (d < halfT) return T.maxilla;
      if (z > crest + 22 && y > this.archY(x) && y < this.endY - 8) return T.maxilla;
    }
    const ey = this.endY;
    if (z < crest + 27 && (x / 9) ** 2 + ((y - ey - 12) / 7) ** 2 < 1) return T.air;
    if (z >= crest + 27 && (x / 11) ** 2 + ((y - a.archFront - 30) / 22) ** 2 < 1) return T.air;
    const vy = ey + 36;
    if (x * x + (y - vy) ** 2 < 13 * 13) return ((z % 18) + 18) % 18 < 4 ? T.disc : T.vertebra;
    const cr = x * x + (y - vy - 20) ** 2;
    if (cr < 7 * 7) return T.canal;
    if (cr < 11 * 11) return T.vertebra;
    const side = x < 0 ? -1 : 1;
    const pw = a.archHalfWidth + 15;
    if (((x - side * pw) / 10) ** 2 + ((y - ey - 10) / 15) ** 2 + ((z - zb - a.ramusHeight + 18) / 20) ** 2 < 1)
      return T.parotid;
    if (
      Math.abs(x - side * (a.archHalfWidth + 9)) < 5 &&
      y > ey - 14 &&
      y < ey + 12 &&
      z > zb - 2 &&
      z < zb + a.ramusHeight - 14
    )
      return T.muscle;
    if (z > zb + 4 && z < crest + 10 && y > this.archY(x) + 6 && y < ey + 2) return T.muscle;
    if (e > (1 - 7 / hx) ** 2) return T.fat;
    return T.soft;
  }

  /** Ramus plate rising from the posterior end of the body, leaning back; condyle and coronoid process on top. */
  private inRamus(x: number, y: number, z: number): boolean {
    const a = this.a;
    const h = z - a.bodyBottom;
    if (h < 0 || h > a.ramusHeight) return false;
    const xr = a.archHalfWidth + 1 + 0.08 * h;
    const dx = Math.abs(x) - xr;
    const front = this.endY - 12 + a.ramusLean * h;
    const back = front + a.ramusWidth;
    const notch = a.ramusHeight - 14;
    if (h <= notch) {
      const half = h < 3 ? 2 + h * 0.5 : 3.5;
      return Math.abs(dx) < half && y > front && y < back;
    }
    const cz = a.ramusHeight - 6;
    if ((dx / 9) ** 2 + ((y - back + 5) / 5) ** 2 + ((h - cz) / 7) ** 2 < 1) return true;
    return Math.abs(dx) < 2.5 && y > front && y < front + 8 && h < a.ramusHeight - 4;
  }
}
