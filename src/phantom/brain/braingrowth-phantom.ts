/**
 * A neonatal brain MRI slice in the manner of the QUBIQ brain-growth data: 2D, T2-like contrast (CSF brightest,
 * unmyelinated white matter bright, cortex darker, skull dark, scalp medium), with the brain — cortex, white
 * matter and ventricles inside the pial surface, sulcal CSF excluded — as the one structure.
 * Geometry in mm, in a frame centred on the head and turned by a small angle: the pial surface is an ellipse
 * (semi-axes growing with the case's age factor) with low-order harmonic wobble; sulci are narrow wedges cut
 * inwards from the surface (wide at the mouth, narrow at the fundus), the interhemispheric fissure a deep one at
 * each pole of the long axis; the cortex is the band within `cortexMm` of the surface or of a sulcus; CSF fills
 * the sulci and a subarachnoid layer outside the surface, then skull and scalp. Intensities get a smooth bias
 * field, Gaussian blur (partial volume) and noise.
 */
import { gaussianBlurSlices } from '../gaussian-blur.ts';
import { smoothRandomField } from '../smooth-random-field.ts';
import { Rng } from '../../random/index.ts';
import { createVolume, type Volume } from '../../volume/index.ts';

/** Options of `braingrowthPhantom`: the case's seed and the slice's size and pixel spacing. */
export interface BraingrowthPhantomOptions {
  /** Seed of the case. */
  seed: number;
  /** Pixels per side; default 256. */
  size?: number;
  /** Pixel size in mm; default 128 mm / size (0.5 mm at 256 pixels: a 128 mm field of view). */
  spacingMm?: number;
}

/** One case of `braingrowthPhantom`: the slice, its brain mask and the anatomy drawn for it. */
export interface BraingrowthPhantom {
  /** T2-like intensities (arbitrary units, about 0–1000). */
  image: Volume<Float32Array>;
  /** 1 = brain (inside the pial surface, sulcal CSF excluded), 0 elsewhere. */
  labels: Volume<Uint8Array>;
  /** The drawn parameters. */
  anatomy: BrainAnatomy;
}

/** One sulcus: a wedge cut inwards from the pial surface. */
export interface Sulcus {
  /** Angle of the sulcus axis in the head frame, radians. */
  angle: number;
  /** Depth from the pial surface, mm. */
  depthMm: number;
  /** Half-width at the mouth (on the pial surface), mm. */
  mouthMm: number;
  /** Half-width at the fundus (the deep end), mm. */
  fundusMm: number;
}

/** One case's drawn anatomy (`sampleBrainAnatomy`), in the head frame, mm. */
export interface BrainAnatomy {
  /** 0 (youngest) … 1 (oldest): scales the brain and its folding. */
  age: number;
  /** Head centre relative to the image centre (x along i, y along j), mm. */
  centreMm: [number, number];
  /** Angle the head frame is turned by relative to the image axes, radians (drawn in ±0.15). */
  rotation: number;
  /** Pial-surface semi-axes along the head frame's x (left–right) and y (anterior–posterior), mm. */
  semiAxesMm: [number, number];
  /** Harmonic wobble: relative amplitude and phase of orders 2…5. */
  harmonics: {
    /** Radius change as a fraction of the ellipse radius, uniform in [0, 0.04 / (order − 1)]. */
    amplitude: number;
    /** Phase of the cosine in radians, uniform in [0, 2π). */
    phase: number;
  }[];
  /** The sulci, the two interhemispheric fissure wedges last. */
  sulci: Sulcus[];
  /** Cortical thickness: band within this distance of the pial surface or of a sulcus, mm. */
  cortexMm: number;
  /** Thickness of the subarachnoid CSF layer outside the pial surface, mm. */
  csfMm: number;
  /** Skull thickness outside the CSF layer, mm. */
  skullMm: number;
  /** Scalp thickness outside the skull, mm. */
  scalpMm: number;
}

const INTENSITY = { background: 20, scalp: 520, skull: 80, csf: 1000, cortex: 430, whiteMatter: 760 };

/** Draws one case's anatomy. */
export function sampleBrainAnatomy(rng: Rng): BrainAnatomy {
  const age = rng.uniform();
  const sulci: Sulcus[] = [];
  const count = 12 + Math.round(10 * age);
  for (let s = 0; s < count; s++)
    sulci.push({
      angle: rng.range(0, 2 * Math.PI),
      depthMm: rng.range(3, 6 + 5 * age),
      mouthMm: rng.range(0.9, 1.5),
      fundusMm: rng.range(0.25, 0.45),
    });
  for (const pole of [Math.PI / 2, (3 * Math.PI) / 2])
    sulci.push({ angle: pole + rng.range(-0.03, 0.03), depthMm: rng.range(14, 20), mouthMm: 1.6, fundusMm: 0.5 });
  return {
    age,
    centreMm: [rng.range(-3, 3), rng.range(-3, 3)],
    rotation: rng.range(-0.15, 0.15),
    semiAxesMm: [32 + 10 * age + rng.range(-2, 2), 40 + 10 * age + rng.range(-2, 2)],
    harmonics: [2, 3, 4, 5].map((k) => ({ amplitude: rng.range(0, 0.04 / (k - 1)), phase: rng.range(0, 2 * Math.PI) })),
    sulci,
    cortexMm: rng.range(2, 2.8),
    csfMm: rng.range(1.5, 3.5),
    skullMm: rng.range(2, 3),
    scalpMm: rng.range(2.5, 4),
  };
}

/** Radius of the pial surface at head-frame angle θ, mm. */
function pialRadius(a: BrainAnatomy, theta: number): number {
  const [rx, ry] = a.semiAxesMm;
  const c = Math.cos(theta) / rx;
  const s = Math.sin(theta) / ry;
  let wobble = 1;
  a.harmonics.forEach((h, i) => (wobble += h.amplitude * Math.cos((i + 2) * theta + h.phase)));
  return wobble / Math.sqrt(c * c + s * s);
}

/** How far (mm) a point at radius ρ, angle θ lies outside the nearest sulcus wedge (< 0 inside); `surfaces[s]` is sulcus s's pial radius. */
function sulcusDistance(a: BrainAnatomy, surfaces: Float64Array, rho: number, theta: number): number {
  let best = Infinity;
  for (let k = 0; k < a.sulci.length; k++) {
    const s = a.sulci[k];
    let d = theta - s.angle;
    d -= 2 * Math.PI * Math.round(d / (2 * Math.PI));
    if (Math.abs(d) > 0.6) continue;
    const surface = surfaces[k];
    const depth = surface - rho * Math.cos(d);
    if (depth < -1) continue;
    const lateral = Math.abs(rho * Math.sin(d));
    const u = Math.min(Math.max(depth / s.depthMm, 0), 1);
    const halfWidth = s.mouthMm + (s.fundusMm - s.mouthMm) * u;
    const side = lateral - halfWidth;
    const excess = depth - s.depthMm;
    best = Math.min(best, excess <= 0 ? side : Math.hypot(Math.max(side, 0), excess));
  }
  return best;
}

/** Renders the case drawn from `options.seed`. */
export function braingrowthPhantom(options: BraingrowthPhantomOptions): BraingrowthPhantom {
  const n = options.size ?? 256;
  const h = options.spacingMm ?? 128 / n;
  const rng = new Rng(options.seed);
  const a = sampleBrainAnatomy(rng.fork('anatomy'));
  const image = new Float32Array(n * n);
  const labels = new Uint8Array(n * n);
  const cos = Math.cos(a.rotation);
  const sin = Math.sin(a.rotation);
  const surfaces = Float64Array.from(a.sulci, (s) => pialRadius(a, s.angle));
  const ventricles = [-1, 1].map((side) => ({ x: side * (4 + 3 * a.age), y: 2, rx: 2 + a.age, ry: 7 + 4 * a.age }));
  for (let j = 0, p = 0; j < n; j++) {
    for (let i = 0; i < n; i++, p++) {
      const wx = (i - (n - 1) / 2) * h - a.centreMm[0];
      const wy = (j - (n - 1) / 2) * h - a.centreMm[1];
      const x = cos * wx + sin * wy;
      const y = -sin * wx + cos * wy;
      const rho = Math.hypot(x, y);
      const theta = Math.atan2(y, x);
      const inward = pialRadius(a, theta) - rho;
      let value: number;
      if (inward >= 0) {
        const sulcus = sulcusDistance(a, surfaces, rho, theta);
        if (sulcus < 0) value = INTENSITY.csf;
        else {
          labels[p] = 1;
          const inVentricle = ventricles.some((v) => ((x - v.x) / v.rx) ** 2 + ((y - v.y) / v.ry) ** 2 <= 1);
          value = inVentricle
            ? INTENSITY.csf
            : Math.min(inward, sulcus) < a.cortexMm
              ? INTENSITY.cortex
              : INTENSITY.whiteMatter;
        }
      } else if (-inward < a.csfMm) value = INTENSITY.csf;
      else if (-inward < a.csfMm + a.skullMm) value = INTENSITY.skull;
      else if (-inward < a.csfMm + a.skullMm + a.scalpMm) value = INTENSITY.scalp;
      else value = INTENSITY.background;
      image[p] = value;
    }
  }
  const bias = smoothRandomField([n, n], rng.fork('bias'), { correlationMm: 60, spacing: [h, h] });
  for (let p = 0; p < image.length; p++) image[p] *= 1 + 0.08 * bias[p];
  gaussianBlurSlices(image, n, n, 0.7);
  const noise = rng.fork('noise');
  for (let p = 0; p < image.length; p++) image[p] += 25 * noise.normal();
  const grid = { spacing: [h, h] };
  return { image: createVolume([n, n], image, grid), labels: createVolume([n, n], labels, grid), anatomy: a };
}
