/**
 * Label-quality scores of one case from out-of-fold class probabilities (class-major: probs[c·V + v]).
 * - Pixel self-confidence: the probability the model gives the label the rater drew (cleanlab's pixel score).
 * - Case softmin (cleanlab `segmentation.rank`, method "softmin"): Σ_v s_v · softmax(−s/T)_v over the pixel scores
 *   s, temperature T = 0.1 — near the lowest pixel scores; lower is worse.
 * - Confident disagreement, after confident learning (Northcutt et al. 2021): class j's threshold t_j is the mean
 *   probability of j over the voxels labelled j (over the whole audited set); a voxel labelled i is confidently j
 *   when p_j ≥ t_j for some j ≠ i (the most probable such j). Those voxels, in connected regions of one kind each,
 *   are the suspicious regions (kinds: the label misses a structure, adds one, or names the wrong one).
 */
import { connectedComponents, fullConnectivity } from '../volume/index.ts';
import { createVolume, type Volume } from '../volume/index.ts';
import { REGION_CODES, type RegionKind } from './region-codes.ts';

/** p(given label) per voxel. */
export function selfConfidence(probs: Float32Array, labels: ArrayLike<number>, classes: number): Float32Array {
  const voxels = labels.length;
  const out = new Float32Array(voxels);
  for (let v = 0; v < voxels; v++) {
    const l = labels[v];
    out[v] = l < classes ? probs[l * voxels + v] : 0;
  }
  return out;
}

/** cleanlab's softmin image score of pixel scores in [0, 1]; see the file comment. */
export function softminScore(pixelScores: ArrayLike<number>, temperature = 0.1): number {
  let min = Infinity;
  for (let v = 0; v < pixelScores.length; v++) if (pixelScores[v] < min) min = pixelScores[v];
  let weight = 0;
  let weighted = 0;
  for (let v = 0; v < pixelScores.length; v++) {
    // exp(−(s − min)/T): the same softmax as exp(−s/T), without underflow of every term.
    const w = Math.exp(-(pixelScores[v] - min) / temperature);
    weight += w;
    weighted += w * pixelScores[v];
  }
  return weighted / weight;
}

/** Per-class sums for the confident-learning thresholds, accumulated case by case. */
export interface ThresholdSums {
  /** Per class j: Σ p_j over the voxels labelled j. */
  sum: Float64Array;
  /** Per class j: number of voxels labelled j. */
  count: Float64Array;
}

/** Zeroed sums for `classes` classes, to be filled by `addThresholdSums`. */
export function emptyThresholdSums(classes: number): ThresholdSums {
  return { sum: new Float64Array(classes), count: new Float64Array(classes) };
}

/** Adds one case's p_j over its voxels labelled j to `sums`. */
export function addThresholdSums(sums: ThresholdSums, probs: Float32Array, labels: ArrayLike<number>): void {
  const voxels = labels.length;
  const classes = sums.sum.length;
  for (let v = 0; v < voxels; v++) {
    const l = labels[v];
    if (l >= classes) continue;
    sums.sum[l] += probs[l * voxels + v];
    sums.count[l]++;
  }
}

/** t_j = mean p_j over voxels labelled j; a class never drawn gets threshold 1 (a voxel must be certain). */
export function classThresholds(sums: ThresholdSums): number[] {
  return [...sums.sum].map((s, j) => (sums.count[j] > 0 ? s / sums.count[j] : 1));
}

export { REGION_CODES, type RegionKind } from './region-codes.ts';

/** One connected region of confidently disagreeing voxels, all of one kind (see the file comment). */
export interface SuspiciousRegion {
  /** 'missing' (labelled background, a structure predicted), 'extra' (labelled, background predicted) or 'swapped'. */
  kind: RegionKind;
  /** Size of the region, voxels. */
  voxels: number;
  /** Volume of the region, mL (voxels × voxel volume from the spacing). */
  volume_mL: number;
  /** The label the rater drew over most of the region's voxels. */
  givenLabel: number;
  /** The class the model is confident of over most of the region's voxels. */
  predictedLabel: number;
  /** Mean probability of the predicted class over the region. */
  meanConfidence: number;
  /** Mean self-confidence (probability of the drawn label) over the region. */
  meanSelfConfidence: number;
  /** Lower corner of the voxel bounding box (i, j, k), inclusive. */
  lo: [number, number, number];
  /** Upper corner of the voxel bounding box (i, j, k), inclusive. */
  hi: [number, number, number];
  /** First and last slice (k) the region touches. */
  slices: [number, number];
  /** Centroid in world coordinates (mm), through the image's affine. */
  centroid_mm: [number, number, number];
}

/** Options of `suspiciousRegions` and `departureRegions`. */
export interface SuspiciousRegionsOptions {
  /** Regions smaller than this are dropped (voxels); default 1. */
  minVoxels?: number;
  /** Connectivity of regions; default 26 in 3D, 8 in 2D (singleton axes dropped: a W×H×1 case is 2D). */
  connectivity?: 4 | 6 | 8 | 26;
}

/** The suspicious regions of one case, largest first, and the map of their kinds on the case's grid. */
export function suspiciousRegions(
  labels: Volume,
  probs: Float32Array,
  thresholds: readonly number[],
  options: SuspiciousRegionsOptions = {},
): {
  /** Regions of at least `minVoxels` voxels, largest first. */
  regions: SuspiciousRegion[];
  /** Each voxel's region kind (`REGION_CODES`: 0 none, 1 missing, 2 extra, 3 swapped), on the labels' grid. */
  map: Volume<Uint8Array>;
} {
  const classes = thresholds.length;
  const voxels = labels.data.length;
  const predicted = new Int16Array(voxels).fill(-1);
  const mask = new Uint8Array(voxels);
  for (let v = 0; v < voxels; v++) {
    const given = labels.data[v];
    let best = -1;
    let bestP = -1;
    for (let j = 0; j < classes; j++) {
      const p = probs[j * voxels + v];
      if (j !== given && p >= thresholds[j] && p > bestP) {
        best = j;
        bestP = p;
      }
    }
    if (best >= 0) {
      predicted[v] = best;
      mask[v] = given === 0 ? REGION_CODES.missing : best === 0 ? REGION_CODES.extra : REGION_CODES.swapped;
    }
  }
  const grid = { spacing: labels.spacing, affine: labels.affine };
  // One kind per region: a missing slice next to a boundary the label has wrong stays its own region.
  const connectivity = options.connectivity ?? fullConnectivity(labels.shape);
  const components = connectedComponents(createVolume([...labels.shape], mask, grid), { connectivity, byValue: true });
  const voxelMl = labels.spacing.slice(0, 3).reduce((p, s) => p * s, 1) / 1000;
  const regions = summarizeComponents(
    components.labels.data,
    components.count,
    labels,
    probs,
    predicted,
    classes,
    voxelMl,
  );
  const kept = regions.filter((r) => r.region.voxels >= (options.minVoxels ?? 1));
  const map = new Uint8Array(voxels);
  const codeOf = new Uint8Array(components.count + 1);
  for (const r of kept) codeOf[r.component] = REGION_CODES[r.region.kind];
  for (let v = 0; v < voxels; v++) map[v] = codeOf[components.labels.data[v]];
  kept.sort((a, b) => b.region.voxels - a.region.voxels || a.component - b.component);
  return { regions: kept.map((r) => r.region), map: createVolume([...labels.shape], map, grid) };
}

function summarizeComponents(
  component: Int32Array,
  count: number,
  labels: Volume,
  probs: Float32Array,
  predicted: Int16Array,
  classes: number,
  voxelMl: number,
): { component: number; region: SuspiciousRegion }[] {
  const [nx, ny] = [labels.shape[0], labels.shape[1] ?? 1];
  const voxels = component.length;
  const n = count + 1;
  const size = new Float64Array(n);
  const conf = new Float64Array(n);
  const self = new Float64Array(n);
  const centre = new Float64Array(3 * n);
  const lo = new Int32Array(3 * n).fill(2 ** 30);
  const hi = new Int32Array(3 * n).fill(-1);
  const givenVotes = new Float64Array(n * classes);
  const predVotes = new Float64Array(n * classes);
  for (let v = 0; v < voxels; v++) {
    const c = component[v];
    if (c === 0) continue;
    const ijk = [v % nx, Math.floor(v / nx) % ny, Math.floor(v / (nx * ny))];
    size[c]++;
    const g = labels.data[v];
    const p = predicted[v];
    conf[c] += probs[p * voxels + v];
    self[c] += g < classes ? probs[g * voxels + v] : 0;
    if (g < classes) givenVotes[c * classes + g]++;
    predVotes[c * classes + p]++;
    for (let a = 0; a < 3; a++) {
      centre[3 * c + a] += ijk[a];
      if (ijk[a] < lo[3 * c + a]) lo[3 * c + a] = ijk[a];
      if (ijk[a] > hi[3 * c + a]) hi[3 * c + a] = ijk[a];
    }
  }
  const out: { component: number; region: SuspiciousRegion }[] = [];
  const A = labels.affine;
  for (let c = 1; c < n; c++) {
    const givenLabel = argmax(givenVotes, c * classes, classes);
    const predictedLabel = argmax(predVotes, c * classes, classes);
    const kind: RegionKind = givenLabel === 0 ? 'missing' : predictedLabel === 0 ? 'extra' : 'swapped';
    const ijk = [0, 1, 2].map((a) => centre[3 * c + a] / size[c]);
    const world = [0, 1, 2].map((r) => A[r][0] * ijk[0] + A[r][1] * ijk[1] + A[r][2] * ijk[2] + A[r][3]) as [
      number,
      number,
      number,
    ];
    out.push({
      component: c,
      region: {
        kind,
        voxels: size[c],
        volume_mL: size[c] * voxelMl,
        givenLabel,
        predictedLabel,
        meanConfidence: conf[c] / size[c],
        meanSelfConfidence: self[c] / size[c],
        lo: [lo[3 * c], lo[3 * c + 1], lo[3 * c + 2]],
        hi: [hi[3 * c], hi[3 * c + 1], hi[3 * c + 2]],
        slices: [lo[3 * c + 2], hi[3 * c + 2]],
        centroid_mm: world,
      },
    });
  }
  return out;
}

function argmax(values: Float64Array, offset: number, n: number): number {
  let best = 0;
  for (let j = 1; j < n; j++) if (values[offset + j] > values[offset + best]) best = j;
  return best;
}
