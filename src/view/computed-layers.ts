/**
 * The layers `multirater view` computes from a case's raters with the fusion library: the disagreement count
 * (fusion/disagreement-map.ts), STAPLE's foreground probability (binary STAPLE on "any label > 0", stored as uint8
 * percent so a 512×512×150 map is 39 MB rather than 157 MB of float32) and each `--fused` method's labels; plus
 * each rater's mean Dice for the case table. Results are kept as NIfTI bytes for the most recent cases; the raters'
 * volumes for the last case computed only.
 */
import { encodeNifti } from '../io/index.ts';
import { readLabelMap } from '../io/index.ts';
import { disagreementMap } from '../fusion/index.ts';
import { fusionMethod } from '../fusion/index.ts';
import { majorityVote } from '../fusion/index.ts';
import { staple } from '../fusion/index.ts';
import { assertSameGrid } from '../volume/index.ts';
import { extractFrame } from '../volume/index.ts';
import { createVolume, type Volume } from '../volume/index.ts';
import type { ViewCase, ViewLayer } from './view-catalog.ts';
import type { CaseDice } from './viewer-api.ts';

/** Options of `new ComputedLayerCache`: how many cases' computed layers stay in memory. */
export interface ComputedLayerCacheOptions {
  /** Cases whose computed layers are kept in memory; default 4. */
  maxCases?: number;
}

/** Computes and caches the server-side layers of the cases; one instance per server. */
export class ComputedLayerCache {
  private readonly entries = new Map<number, Map<string, Uint8Array>>();
  private readonly maxCases: number;
  /** The raters of the case computed last, shared by its layers and its Dice row. */
  private lastRaters: { index: number; volumes: Volume[] } | null = null;

  /**
   * Keeps the layers of at most `options.maxCases` cases (default 4); past that, the case first computed is dropped.
   */
  constructor(options: ComputedLayerCacheOptions = {}) {
    this.maxCases = options.maxCases ?? 4;
  }

  /** The NIfTI bytes of a computed layer (`disagreement`, `staple`, `fused-<method>`) of `viewCase`. */
  bytes(viewCase: ViewCase, layer: ViewLayer): Uint8Array {
    let entry = this.entries.get(viewCase.index);
    if (entry === undefined) {
      entry = new Map();
      this.entries.set(viewCase.index, entry);
      while (this.entries.size > this.maxCases) this.entries.delete(this.entries.keys().next().value as number);
    }
    let bytes = entry.get(layer.key);
    if (bytes === undefined) {
      bytes = encodeNifti(computeLayer(this.raters(viewCase), layer));
      entry.set(layer.key, bytes);
    }
    return bytes;
  }

  /** The case's Dice row (caseDice), reusing the raters when the case was just computed. */
  dice(viewCase: ViewCase, labelValues: readonly number[]): CaseDice {
    return caseDice(
      viewCase,
      labelValues,
      this.lastRaters?.index === viewCase.index ? this.lastRaters.volumes : undefined,
    );
  }

  private raters(viewCase: ViewCase): Volume[] {
    if (this.lastRaters?.index !== viewCase.index)
      this.lastRaters = { index: viewCase.index, volumes: readRaters(viewCase) };
    return this.lastRaters.volumes;
  }
}

function computeLayer(raters: Volume[], layer: ViewLayer): Volume {
  if (layer.kind === 'disagreement') return disagreementMap(raters);
  if (layer.kind === 'staple') return stapleForegroundPercent(raters);
  return fusionMethod(layer.method ?? '').fuse(raters, {}).labels;
}

/** STAPLE's foreground probability (foreground = any label > 0) as uint8 percent 0–100. */
export function stapleForegroundPercent(raters: readonly Volume[]): Volume<Uint8Array> {
  const first = raters[0];
  const out = new Uint8Array(first.data.length);
  const binary = raters.map((r) => {
    const b = new Uint8Array(r.data.length);
    for (let i = 0; i < b.length; i++) b[i] = r.data[i] > 0 ? 1 : 0;
    return createVolume(r.shape.slice(), b, { spacing: r.spacing, affine: r.affine });
  });
  if (binary.some((b) => b.data.includes(1))) {
    const w = staple(binary, { foreground: 1 }).probability!.data;
    for (let i = 0; i < out.length; i++) out[i] = Math.round(w[i] * 100);
  }
  return createVolume(first.shape.slice(), out, { spacing: first.spacing, affine: first.affine });
}

/** A case's label map from one layer's file, as its 3D frame `timeIndex` when the file is 4D. */
export function readCaseLabels(viewCase: ViewCase, layer: ViewLayer): Volume {
  const v = readLabelMap(layer.file!, { maxDims: 4 });
  return v.shape.length === 4 && v.shape[3] > 1 ? extractFrame(v, Math.min(viewCase.timeIndex, v.shape[3] - 1)) : v;
}

function readRaters(viewCase: ViewCase): Volume[] {
  const layers = viewCase.layers.filter((l) => l.kind === 'rater');
  const volumes = layers.map((l) => readCaseLabels(viewCase, l));
  volumes.forEach((v, i) => assertSameGrid(v, layers[i].file!, volumes[0], layers[0].file!));
  return volumes;
}

/**
 * Each rater's Dice against the case's truth, or against the raters' majority vote when there is no truth.
 * `raters`: the case's rater volumes when already read (in layer order).
 */
export function caseDice(viewCase: ViewCase, labelValues: readonly number[], raters: Volume[] = []): CaseDice {
  const raterLayers = viewCase.layers.filter((l) => l.kind === 'rater');
  const truthLayer = viewCase.layers.find((l) => l.kind === 'truth');
  if (raterLayers.length === 0 || (truthLayer === undefined && raterLayers.length < 2)) {
    return { index: viewCase.index, reference: null, dice: Object.fromEntries(raterLayers.map((l) => [l.name, null])) };
  }
  if (raters.length === 0) raters = readRaters(viewCase);
  const reference = truthLayer !== undefined ? readCaseLabels(viewCase, truthLayer) : majorityVote(raters).labels;
  const dice: CaseDice['dice'] = {};
  raterLayers.forEach((l, i) => {
    assertSameGrid(raters[i], l.file!, reference, truthLayer?.file ?? 'majority vote');
    dice[l.name] = meanDice(raters[i].data, reference.data, labelValues);
  });
  return { index: viewCase.index, reference: truthLayer !== undefined ? 'truth' : 'majority', dice };
}

/** Mean over `labels` of 2|A∩B| / (|A| + |B|), skipping labels absent from both; null when all are absent. */
export function meanDice(a: ArrayLike<number>, b: ArrayLike<number>, labels: readonly number[]): number | null {
  const size = Math.max(0, ...labels) + 1;
  const inA = new Float64Array(size);
  const inB = new Float64Array(size);
  const both = new Float64Array(size);
  for (let v = 0; v < a.length; v++) {
    const x = a[v];
    const y = b[v];
    if (x < size) inA[x]++;
    if (y < size) inB[y]++;
    if (x === y && x < size) both[x]++;
  }
  let sum = 0;
  let n = 0;
  for (const l of labels) {
    if (inA[l] + inB[l] === 0) continue;
    sum += (2 * both[l]) / (inA[l] + inB[l]);
    n++;
  }
  return n === 0 ? null : sum / n;
}
