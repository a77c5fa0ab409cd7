/**
 * Several raters on the same cases: how reliable each one is, and where one departs from the others.
 * - Reliability: multi-label STAPLE per case (Warfield et al. 2004, ITK's multi-label defaults, our fusion/),
 *   each rater's confusion matrix cm[i][j] = P(says i | truth j) averaged over the cases it labelled; the diagonal
 *   is its per-label sensitivity (for one foreground label: sensitivity and specificity).
 * - Departure: per case, each rater's mean Dice over labels against the majority vote of the other raters (the
 *   other rater alone when there are two); a case where a rater falls far below its own median Dice is where it
 *   departs. Ranked by (median − Dice).
 * - Departure regions: where in a case the audited rater departs. The other raters' vote fractions per class play
 *   the part of the model's probabilities in label-scores.ts: a voxel is a departure when a strict majority of the
 *   others names one label and the rater another, and those voxels, in connected regions, are kinds of regions as
 *   the suspicious ones (missing, extra, swapped; "confidence" = the share of the others agreeing). A systematic
 *   error (a rater who leaves out the apex in every case) is invisible to a model trained on that rater, and only
 *   partly visible to one trained on another, but the other raters show it directly.
 */
import { majorityVote } from '../fusion/index.ts';
import { multiLabelStaple } from '../fusion/index.ts';
import { summarize } from '../stats/index.ts';
import type { Volume } from '../volume/index.ts';
import { suspiciousRegions, type SuspiciousRegion, type SuspiciousRegionsOptions } from './label-scores.ts';

/** How reliable one rater is over the cases it labelled together with at least one other rater. */
export interface RaterReliability {
  /** Rater name. */
  rater: string;
  /** Cases whose STAPLE fit gave this rater a confusion matrix (the matrix's denominator). */
  cases: number;
  /** Label values indexing the matrix, ascending (0 first). */
  labelValues: number[];
  /** Mean over cases of STAPLE's cm[i][j] = P(says labelValues[i] | truth labelValues[j]). */
  confusionMatrix: number[][];
  /** With one foreground label: P(says 1 | 1) and P(says 0 | 0); else null. */
  sensitivity: number | null;
  /** With one foreground label: P(says 0 | truth 0) from the mean matrix; else null. */
  specificity: number | null;
  /** Median over the rater's cases of its mean Dice against the other raters' majority vote. */
  medianDice: number | null;
}

/** One rater on one case: its Dice against the others and how far it falls below its own median. */
export interface RaterDeparture {
  /** Case id. */
  caseId: string;
  /** Rater name. */
  rater: string;
  /** Mean Dice over labels against the other raters' majority vote. */
  dice: number;
  /** The rater's median of that Dice over all its cases. */
  medianDice: number;
  /** medianDice − dice. */
  departure: number;
}

/** One case's label maps per rater (only the raters that labelled it). */
export interface RatedCase {
  /** Case id. */
  id: string;
  /** Label map per rater name, all on the case's grid. */
  raters: Map<string, Volume>;
}

/** Reliability per rater and departures, largest first; cases with fewer than two raters are skipped. */
export function raterAgreement(
  cases: readonly RatedCase[],
  labelValues: readonly number[],
): {
  /** One entry per rater that labelled a case together with another, in order of first appearance. */
  reliability: RaterReliability[];
  /** One entry per (case, rater), largest departure below the rater's median Dice first. */
  departures: RaterDeparture[];
} {
  const values = [...new Set([0, ...labelValues])].sort((a, b) => a - b);
  const L = values.length;
  const sums = new Map<string, { cm: Float64Array; cases: number; dice: number[] }>();
  const perCase: { caseId: string; rater: string; dice: number }[] = [];
  for (const c of cases) {
    const names = [...c.raters.keys()];
    if (names.length < 2) continue;
    const maps = names.map((n) => c.raters.get(n) as Volume);
    const fused = multiLabelStaple(maps, { names });
    names.forEach((name, r) => {
      const entry = sums.get(name) ?? { cm: new Float64Array(L * L), cases: 0, dice: [] };
      const cm = fused.raters[r].confusionMatrix;
      if (cm) {
        // STAPLE's matrix is over the labels it saw; place it in the full label list.
        fused.labelValues.forEach((vi, i) =>
          fused.labelValues.forEach((vj, j) => (entry.cm[values.indexOf(vi) * L + values.indexOf(vj)] += cm[i][j])),
        );
        for (let j = 0; j < L; j++) if (!fused.labelValues.includes(values[j])) entry.cm[j * L + j] += 1;
        entry.cases++;
      }
      const others = maps.filter((_, k) => k !== r);
      const reference = others.length === 1 ? others[0] : majorityVote(others).labels;
      const dice = meanDice(maps[r], reference, values.slice(1));
      entry.dice.push(dice);
      perCase.push({ caseId: c.id, rater: name, dice });
      sums.set(name, entry);
    });
  }
  const reliability: RaterReliability[] = [...sums].map(([rater, e]) => {
    const cm = Array.from({ length: L }, (_, i) =>
      Array.from({ length: L }, (_, j) => (e.cases > 0 ? e.cm[i * L + j] / e.cases : 0)),
    );
    return {
      rater,
      cases: e.cases,
      labelValues: values,
      confusionMatrix: cm,
      sensitivity: L === 2 ? cm[1][1] : null,
      specificity: L === 2 ? cm[0][0] : null,
      medianDice: summarize(e.dice).median,
    };
  });
  const medians = new Map(reliability.map((r) => [r.rater, r.medianDice ?? 0]));
  const departures = perCase
    .map((p) => ({
      ...p,
      medianDice: medians.get(p.rater) as number,
      departure: (medians.get(p.rater) as number) - p.dice,
    }))
    .sort((a, b) => b.departure - a.departure || a.caseId.localeCompare(b.caseId) || a.rater.localeCompare(b.rater));
  return { reliability, departures };
}

/** Mean Dice over `labels` (a label absent from both counts as 1). */
function meanDice(a: Volume, b: Volume, labels: readonly number[]): number {
  if (labels.length === 0) return 1;
  let total = 0;
  for (const l of labels) {
    let na = 0;
    let nb = 0;
    let both = 0;
    for (let v = 0; v < a.data.length; v++) {
      const x = a.data[v] === l;
      const y = b.data[v] === l;
      if (x) na++;
      if (y) nb++;
      if (x && y) both++;
    }
    total += na + nb === 0 ? 1 : (2 * both) / (na + nb);
  }
  return total / labels.length;
}

/**
 * The regions where `rated` departs from a strict majority of `others` (same grid), largest first, and their map
 * (label-scores.ts codes); `classes` = 1 + the largest label value. Voxels where the others split evenly are not
 * departures.
 */
export function departureRegions(
  rated: Volume,
  others: readonly Volume[],
  classes: number,
  options: SuspiciousRegionsOptions = {},
): {
  /** Departure regions of at least `minVoxels` voxels, largest first. */
  regions: SuspiciousRegion[];
  /** Each voxel's departure kind (`REGION_CODES`: 0 none, 1 missing, 2 extra, 3 swapped), on `rated`'s grid. */
  map: Volume<Uint8Array>;
} {
  const voxels = rated.data.length;
  const fractions = new Float32Array(classes * voxels);
  const share = 1 / others.length;
  for (const o of others) {
    for (let v = 0; v < voxels; v++) {
      const l = o.data[v];
      if (l < classes) fractions[l * voxels + v] += share;
    }
  }
  // Strictly more than half: with two others both must agree; with one, it must say something else.
  const majority = 0.5 + 0.25 * share;
  return suspiciousRegions(rated, fractions, Array(classes).fill(majority), options);
}
