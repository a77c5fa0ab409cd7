/**
 * Short-axis cine MRI phantom: one subject's stack of `size`×`size` slices (slice 0 at the base) over `frames`
 * frames, with the truth labels of every frame (ACDC convention 1 RV, 2 MYO, 3 LV). The image is rendered on a
 * grid `supersample`× finer in-plane and `sliceSupersample`× finer through the slice and averaged (partial volume),
 * then passed through the vendor's contrast curve, point-spread function, bias field and Rician noise
 * (Gudbjartsson & Patz, MRM 34(6), 1995: the magnitude of a complex signal with Gaussian noise in both channels).
 * The truth is the tissue at each voxel centre.
 */
import { MultiraterError } from '../../errors.ts';
import { Rng } from '../../random/index.ts';
import { createVolume, diagonalAffine, type Volume } from '../../volume/index.ts';
import { gaussianBlurSlices } from '../gaussian-blur.ts';
import { smoothRandomField } from '../smooth-random-field.ts';
import { contraction, endSystolicFrame, sampleCardiacAnatomy, type CardiacAnatomy } from './cardiac-anatomy.ts';
import { sampleSurroundings, surroundingsIntensity } from './cardiac-background.ts';
import type { CardiacGroup } from './cardiac-groups.ts';
import { CardiacScene, TISSUE_INTENSITY, TISSUE_LABEL } from './cardiac-scene.ts';
import { VENDOR_PROFILES, type CardiacVendor } from './cardiac-vendors.ts';

/** Options of `cardiacPhantom`: the subject's group, vendor and seed, the cine's size and frames, rendering quality. */
export interface CardiacPhantomOptions {
  /** ACDC group of the subject. */
  group: CardiacGroup;
  /** Scanner vendor (pixel size, contrast, noise, bias); default 'A'. */
  vendor?: CardiacVendor;
  /** Frames per cardiac cycle (≥ 2); ED is frame 0, ES about 35 % of the cycle. Default 12. */
  frames?: number;
  /** In-plane matrix size (pixels per side); default 96. */
  size?: number;
  /** Seed of every random draw of this subject. */
  seed: number;
  /** Sub-samples per pixel side where a pixel straddles a tissue border; default 2. */
  supersample?: number;
  /** Sub-samples through each slice when rendering the image (odd); default 3. */
  sliceSupersample?: number;
  /** Render the image (default true); false gives the labels only, much faster. */
  image?: boolean;
}

/** One rendered subject of `cardiacPhantom`: the cine, its truth and what was drawn for it. */
export interface CardiacPhantom {
  /** Cine image, 4D size×size×slices×frames, int16 scanner units; null when `image: false`. */
  image: Volume<Int16Array> | null;
  /** Truth labels of every frame, 4D, uint8 (0 background, 1 RV, 2 MYO, 3 LV). */
  labels: Volume<Uint8Array>;
  /** End-diastolic frame index (0). */
  edFrame: number;
  /** End-systolic frame index. */
  esFrame: number;
  /** The subject's drawn anatomy (recorded, so the subject can be described and replayed). */
  anatomy: CardiacAnatomy;
  /** The vendor whose profile rendered the image. */
  vendor: CardiacVendor;
  /** Slice thickness = spacing (mm). */
  sliceMm: number;
}

/** Renders one subject. Same options, same bytes. */
export function cardiacPhantom(options: CardiacPhantomOptions): CardiacPhantom {
  const frames = options.frames ?? 12;
  const n = options.size ?? 96;
  const ss = options.supersample ?? 2;
  const sz = options.sliceSupersample ?? 3;
  const vendor = options.vendor ?? 'A';
  if (!Number.isInteger(frames) || frames < 2)
    throw new MultiraterError('invalid_argument', `cardiac phantom: frames must be an integer ≥ 2, got ${frames}`);
  if (!Number.isInteger(n) || n < 16)
    throw new MultiraterError('invalid_argument', `cardiac phantom: size must be an integer ≥ 16, got ${n}`);
  if (!Number.isInteger(ss) || ss < 1)
    throw new MultiraterError('invalid_argument', `cardiac phantom: supersample must be a positive integer, got ${ss}`);
  if (!Number.isInteger(sz) || sz < 1 || sz % 2 === 0)
    throw new MultiraterError(
      'invalid_argument',
      `cardiac phantom: sliceSupersample must be an odd positive integer, got ${sz}`,
    );
  const profile = VENDOR_PROFILES[vendor];
  if (!profile)
    throw new MultiraterError(
      'invalid_argument',
      `cardiac phantom: unknown vendor "${vendor}" (expected A, B, C or D)`,
    );
  const rng = new Rng(options.seed);
  const anatomy = sampleCardiacAnatomy(options.group, rng.fork('anatomy'));
  const geometry = rng.fork('geometry');
  const sliceMm = geometry.range(profile.sliceMm[0], profile.sliceMm[1]);
  const scene = new CardiacScene(anatomy);
  const top = scene.baseHeightEd + sliceMm * geometry.range(0.1, 0.45);
  const slices = Math.min(10, Math.max(8, Math.ceil(top / sliceMm) + 1));
  const p = profile.pixelMm;
  const grid: Grid = { n, slices, p, sliceMm, top };
  const esFrame = endSystolicFrame(frames);
  const spacing = [p, p, sliceMm, 1 / frames];
  const affine = diagonalAffine(spacing, [(-(n - 1) / 2) * p, (-(n - 1) / 2) * p, -top + sliceMm / 2]);
  const perFrame = n * n * slices;
  const labels = new Uint8Array(perFrame * frames);
  const render = options.image ?? true;
  const intensity = render ? new Float32Array(perFrame * frames) : null;
  const background = render ? renderSurroundings(grid, ss, rng) : null;
  for (let f = 0; f < frames; f++) {
    scene.setTime(contraction(f, frames));
    const lab = labels.subarray(f * perFrame, (f + 1) * perFrame);
    if (intensity && background) {
      renderFrame(scene, grid, ss, sz, background, intensity.subarray(f * perFrame, (f + 1) * perFrame), lab);
    } else {
      labelFrame(scene, grid, lab);
    }
  }
  const shape = [n, n, slices, frames];
  const image = intensity
    ? createVolume(shape, acquire(intensity, grid, frames, profile, rng), { spacing, affine })
    : null;
  return {
    image,
    labels: createVolume(shape, labels, { spacing, affine }),
    edFrame: 0,
    esFrame,
    anatomy,
    vendor,
    sliceMm,
  };
}

interface Grid {
  n: number;
  slices: number;
  /** Pixel size (mm). */
  p: number;
  sliceMm: number;
  /** Height of the top of slice 0 above the apex (mm). */
  top: number;
}

const sliceLevel = (g: Grid, k: number): number => g.top - (k + 0.5) * g.sliceMm;

/** Noise-free intensity of the surroundings per voxel (static over the cycle), with a smooth texture. */
function renderSurroundings(g: Grid, ss: number, rng: Rng): Float32Array {
  const { n, slices, p } = g;
  const s = sampleSurroundings(rng.fork('surroundings'), 0, 0);
  const texture = smoothRandomField([n, n, slices], rng.fork('texture'), {
    correlationMm: [5, 5, 10],
    spacing: [p, p, g.sliceMm],
  });
  const out = new Float32Array(n * n * slices);
  const half = (n - 1) / 2;
  const corners = new Float32Array((n + 1) * (n + 1));
  for (let k = 0; k < slices; k++) {
    const apexward = slices > 1 ? k / (slices - 1) : 0;
    // As for the heart: pixels whose four corners agree are uniform, the others are sampled ss×ss.
    for (let j = 0; j <= n; j++) {
      for (let i = 0; i <= n; i++)
        corners[i + (n + 1) * j] = surroundingsIntensity(s, (i - half - 0.5) * p, (j - half - 0.5) * p, apexward);
    }
    for (let j = 0; j < n; j++) {
      for (let i = 0; i < n; i++) {
        const c = corners[i + (n + 1) * j];
        let value = c;
        if (
          c !== corners[i + 1 + (n + 1) * j] ||
          c !== corners[i + (n + 1) * (j + 1)] ||
          c !== corners[i + 1 + (n + 1) * (j + 1)]
        ) {
          let sum = 0;
          for (let sj = 0; sj < ss; sj++) {
            const y = (j - half + (sj + 0.5) / ss - 0.5) * p;
            for (let si = 0; si < ss; si++)
              sum += surroundingsIntensity(s, (i - half + (si + 0.5) / ss - 0.5) * p, y, apexward);
          }
          value = sum / (ss * ss);
        }
        const v = i + n * (j + n * k);
        out[v] = value * (1 + 0.07 * texture[v]);
      }
    }
  }
  return out;
}

/** Pixel bounding box [i0, i1, j0, j1] of everything cardiac at the current level. */
function heartBox(scene: CardiacScene, g: Grid): [number, number, number, number] {
  const [ax, ay] = scene.axis;
  const half = (g.n - 1) / 2;
  const r = scene.reach;
  const clamp = (v: number) => Math.min(g.n - 1, Math.max(0, v));
  return [
    clamp(Math.floor((ax - r) / g.p + half)),
    clamp(Math.ceil((ax + r) / g.p + half)),
    clamp(Math.floor((ay - r) / g.p + half)),
    clamp(Math.ceil((ay + r) / g.p + half)),
  ];
}

/**
 * Partial-volume rendering of one frame. Per sub-plane, tissue is classified at the pixel corners first; a pixel
 * whose four corners agree is taken as uniform, the others are sampled ss×ss (structures are several pixels wide,
 * so a corner-uniform pixel cannot hide one). Labels are the tissue at the voxel centre.
 */
function renderFrame(
  scene: CardiacScene,
  g: Grid,
  ss: number,
  sz: number,
  background: Float32Array,
  out: Float32Array,
  lab: Uint8Array,
): void {
  const { n, p } = g;
  const half = (n - 1) / 2;
  const corners = new Uint8Array((n + 1) * (n + 1));
  // Local references: under tsx an imported binding is a getter call on every read in the loops below.
  const tissueLabel = TISSUE_LABEL;
  const tissueIntensity = TISSUE_INTENSITY;
  const weight = 1 / (ss * ss * sz);
  const centreZ = (sz - 1) / 2;
  for (let k = 0; k < g.slices; k++) {
    const off = n * n * k;
    out.set(background.subarray(off, off + n * n), off);
    // Union of the sub-planes' boxes: inside it the voxel is re-rendered, outside it stays background.
    let [i0, i1, j0, j1] = [n, -1, n, -1];
    for (let z = 0; z < sz; z++) {
      scene.setLevel(sliceLevel(g, k) + ((z + 0.5) / sz - 0.5) * g.sliceMm);
      const [a0, a1, b0, b1] = heartBox(scene, g);
      [i0, i1, j0, j1] = [Math.min(i0, a0), Math.max(i1, a1), Math.min(j0, b0), Math.max(j1, b1)];
    }
    for (let j = j0; j <= j1; j++) out.fill(0, off + i0 + n * j, off + i1 + 1 + n * j);
    for (let z = 0; z < sz; z++) {
      scene.setLevel(sliceLevel(g, k) + ((z + 0.5) / sz - 0.5) * g.sliceMm);
      for (let j = j0; j <= j1 + 1; j++) {
        for (let i = i0; i <= i1 + 1; i++)
          corners[i + (n + 1) * j] = scene.classify((i - half - 0.5) * p, (j - half - 0.5) * p);
      }
      for (let j = j0; j <= j1; j++) {
        for (let i = i0; i <= i1; i++) {
          const v = off + i + n * j;
          const bg = background[v];
          const t = corners[i + (n + 1) * j];
          const uniform =
            t === corners[i + 1 + (n + 1) * j] &&
            t === corners[i + (n + 1) * (j + 1)] &&
            t === corners[i + 1 + (n + 1) * (j + 1)];
          if (z === centreZ) lab[v] = tissueLabel[uniform ? t : scene.classify((i - half) * p, (j - half) * p)];
          if (uniform) {
            out[v] += (t === 0 ? bg : tissueIntensity[t]) / sz;
            continue;
          }
          let sum = 0;
          for (let sj = 0; sj < ss; sj++) {
            const y = (j - half + (sj + 0.5) / ss - 0.5) * p;
            for (let si = 0; si < ss; si++) {
              const c = scene.classify((i - half + (si + 0.5) / ss - 0.5) * p, y);
              sum += c === 0 ? bg : tissueIntensity[c];
            }
          }
          out[v] += sum * weight;
        }
      }
    }
  }
}

function labelFrame(scene: CardiacScene, g: Grid, lab: Uint8Array): void {
  const { n, p } = g;
  const half = (n - 1) / 2;
  for (let k = 0; k < g.slices; k++) {
    scene.setLevel(sliceLevel(g, k));
    const [i0, i1, j0, j1] = heartBox(scene, g);
    for (let j = j0; j <= j1; j++) {
      for (let i = i0; i <= i1; i++)
        lab[n * n * k + i + n * j] = TISSUE_LABEL[scene.classify((i - half) * p, (j - half) * p)];
    }
  }
}

/** Vendor acquisition: contrast curve, PSF, bias field, Rician noise, scaling to int16. */
function acquire(
  intensity: Float32Array,
  g: Grid,
  frames: number,
  profile: (typeof VENDOR_PROFILES)['A'],
  rng: Rng,
): Int16Array {
  const { n, slices, p } = g;
  const perFrame = n * n * slices;
  const bias = smoothRandomField([n, n, slices], rng.fork('bias'), {
    correlationMm: [110, 110, 400],
    spacing: [p, p, g.sliceMm],
  });
  for (let v = 0; v < perFrame; v++) bias[v] = Math.exp(profile.bias * bias[v]);
  const noise = rng.fork('noise');
  const normals = normalTable(rng.fork('normal-table'));
  const out = new Int16Array(intensity.length);
  const { noise: sigma, scale } = profile;
  for (let f = 0; f < frames; f++) {
    const frame = intensity.subarray(f * perFrame, (f + 1) * perFrame);
    applyContrast(frame, profile.gamma);
    gaussianBlurSlices(frame, n, n, profile.psfPx);
    const off = f * perFrame;
    for (let v = 0; v < perFrame; v++) {
      // Real and imaginary channel noise: two table deviates picked by the two halves of one 32-bit draw.
      const bits = noise.nextUint32();
      const re = frame[v] * bias[v] + sigma * normals[bits >>> 16];
      const im = sigma * normals[bits & 0xffff];
      const x = scale * Math.sqrt(re * re + im * im);
      // Rounding by truncating x + 0.5: the same as Math.round for 0 ≤ x < 32767 (bar x = 0.5 − 2⁻⁵⁴), and much cheaper.
      out[off + v] = x < 32767 ? (x + 0.5) | 0 : 32767;
    }
  }
  return out;
}

/**
 * 65,536 standard normal deviates (Marsaglia's polar method). Picking from a table this size is indistinguishable
 * from fresh draws for image noise, and costs one 32-bit draw per complex sample instead of two logarithms.
 */
function normalTable(rng: Rng): Float64Array {
  const table = new Float64Array(65536);
  for (let q = 0; q < table.length; q++) table[q] = rng.normal();
  return table;
}

/** x ↦ x^gamma over the intensity range, through a 4096-entry table with linear interpolation (Math.pow per voxel is the slow part). */
function applyContrast(values: Float32Array, gamma: number): void {
  const size = 4096;
  const top = 1.25;
  const table = new Float64Array(size + 2);
  for (let q = 0; q <= size + 1; q++) table[q] = Math.pow((q * top) / size, gamma);
  for (let v = 0; v < values.length; v++) {
    const c = values[v];
    const x = ((c > 0 ? c : 0) * size) / top;
    // min(size, floor(x)) for x ≥ 0, by truncation (cheaper than Math.floor/min/max here).
    const q = x < size ? x | 0 : size;
    const f = x - q;
    values[v] = table[q] + f * (table[q + 1] - table[q]);
  }
}
