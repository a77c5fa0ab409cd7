/**
 * What the annotators' labels can tell about the truth, pixel by pixel (the annotators study's Table 3 notes): over
 * a split of a two-class dataset with truth, each pixel's label pattern (one 0/1 per annotator) counted by the
 * truth's class there. Where one pattern occurs on both classes, no model that reads the labels pixel by pixel can
 * tell them apart: with per-pixel confusion matrices (Zhang et al. 2020) either truth fits those labels equally
 * well, and the trace term's argument (Tanno et al. 2019: the truth is recovered when the annotators' mean matrix is
 * diagonally dominant) needs, per pixel, more than half of the annotators to say the truth there. A per-pixel matrix
 * fits any explanation of a pixel's labels exactly; its trace, with the column of the class not chosen driven to 0 by
 * the trace term, is then the number of annotators agreeing with the explanation — `agreement` compares the truth,
 * the majority vote and its flip (the minority) by that number. Also each
 * annotator's area and Dice against the truth, the numbers the seed's published annotators are quoted by.
 * Data contract: labels 0/1 (a label > 0 counts as 1); every case of the split MUST have the truth and every rater.
 */
import { loadDataset, resolveCasePath, type Split } from '../../datasets/index.ts';
import { MultiraterError } from '../../errors.ts';
import { readLabelMap } from '../../io/index.ts';

/** The statistics of `labelPatternStatistics`. */
export interface LabelPatternStatistics {
  /** The raters counted, in pattern order (pattern character k is rater k). */
  raters: string[];
  /** Cases of the split counted. */
  cases: number;
  /** Each pattern seen (one character per rater, in order: '1' = says digit), with its pixels by the truth's class. */
  patterns: { pattern: string; background: number; foreground: number }[];
  /** Pixels whose truth is foreground. */
  truthPixels: number;
  /** Pooled Dice of the best function of the labels at a pixel: each pattern to its more frequent truth class. */
  bestLabelFunctionDice: number;
  /** Pooled Dice of the majority vote (more than half say foreground). */
  majorityDice: number;
  /** Pixels where more than half of the annotators contradict the truth, over `truthPixels`. */
  majorityWrongOverTruth: number;
  /**
   * Mean over pixels of the number of annotators agreeing with each explanation of the labels (the trace of the
   * per-pixel matrices that fit it exactly, see the file comment): the truth, the majority vote, the minority.
   */
  agreement: { truth: number; majority: number; minority: number };
  /** Per annotator, then 'majority': pooled area over the truth's, and the mean over cases of Dice against the truth. */
  annotators: { name: string; areaOverTruth: number; meanDice: number }[];
}

/** Counts the label patterns of `raters` on `split` of the dataset in `data`; see the file comment. */
export function labelPatternStatistics(data: string, raters: readonly string[], split: Split): LabelPatternStatistics {
  const { dataset, root } = loadDataset(data);
  const cases = dataset.cases.filter((c) => c.meta.split === split);
  const R = raters.length;
  const counts = new Float64Array(2 ** R * 2);
  const names = [...raters, 'majority'];
  const area = new Float64Array(R + 1);
  const diceSum = new Float64Array(R + 1);
  let truthPixels = 0;
  for (const c of cases) {
    const missing = c.truth === undefined ? 'truth' : raters.find((r) => c.raters[r] === undefined);
    if (missing !== undefined)
      throw new MultiraterError(
        'missing_label',
        `${data}: case "${c.id}" has no ${missing === 'truth' ? 'truth' : `label of ${missing}`}`,
      );
    const truth = readLabelMap(resolveCasePath(root, c.truth!)).data;
    const labels = raters.map((r) => readLabelMap(resolveCasePath(root, c.raters[r])).data);
    const tp = new Float64Array(R + 1);
    const said = new Float64Array(R + 1);
    let t = 0;
    for (let v = 0; v < truth.length; v++) {
      const fg = truth[v] > 0 ? 1 : 0;
      let pattern = 0;
      let votes = 0;
      for (let r = 0; r < R; r++) {
        const l = labels[r][v] > 0 ? 1 : 0;
        pattern = 2 * pattern + l;
        votes += l;
        said[r] += l;
        tp[r] += l & fg;
      }
      const majority = 2 * votes > R ? 1 : 0;
      said[R] += majority;
      tp[R] += majority & fg;
      counts[2 * pattern + fg]++;
      t += fg;
    }
    truthPixels += t;
    for (let k = 0; k <= R; k++) {
      area[k] += said[k];
      diceSum[k] += said[k] + t === 0 ? 1 : (2 * tp[k]) / (said[k] + t);
    }
  }
  const patterns: LabelPatternStatistics['patterns'] = [];
  let best = { tp: 0, fp: 0 };
  let majority = { tp: 0, fp: 0 };
  let majorityWrong = 0;
  const agree = { truth: 0, majority: 0, minority: 0 };
  let pixels = 0;
  for (let p = 0; p < 2 ** R; p++) {
    const background = counts[2 * p];
    const foreground = counts[2 * p + 1];
    if (background + foreground === 0) continue;
    const pattern = p.toString(2).padStart(R, '0');
    patterns.push({ pattern, background, foreground });
    if (foreground > background) best = { tp: best.tp + foreground, fp: best.fp + background };
    const ones = [...pattern].filter((ch) => ch === '1').length;
    const saysForeground = 2 * ones > R;
    if (saysForeground) majority = { tp: majority.tp + foreground, fp: majority.fp + background };
    majorityWrong += saysForeground ? background : foreground;
    const inMajority = Math.max(ones, R - ones);
    agree.truth += foreground * ones + background * (R - ones);
    agree.majority += (foreground + background) * inMajority;
    agree.minority += (foreground + background) * (R - inMajority);
    pixels += foreground + background;
  }
  const dice = (s: { tp: number; fp: number }) => (2 * s.tp) / (s.tp + s.fp + truthPixels);
  return {
    raters: [...raters],
    cases: cases.length,
    patterns,
    truthPixels,
    bestLabelFunctionDice: dice(best),
    majorityDice: dice(majority),
    majorityWrongOverTruth: majorityWrong / truthPixels,
    agreement: { truth: agree.truth / pixels, majority: agree.majority / pixels, minority: agree.minority / pixels },
    annotators: names.map((name, k) => ({
      name,
      areaOverTruth: area[k] / truthPixels,
      meanDice: diceSum[k] / cases.length,
    })),
  };
}
